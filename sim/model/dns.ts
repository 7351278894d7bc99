// The authoritative DNS of a farm balanced by DNS: the name has one address per real server
// (pure DNS balancing) or per site (mixed), and every answer lists them all. Rotated, each
// answer starts one address further, as BIND's round robin does; weighted, the first address
// is drawn in proportion to its weight and the rest follow in order. An answer is kept as the
// index of its first address: clients use it, and try the next ones when it fails.

import type { Rng } from '../engine/rng.ts';

export class AuthoritativeDns {
  private next = 0;
  private cumulative: Float64Array;

  constructor(
    readonly addresses: number,
    private order: 'rotate' | 'weighted',
    weights: readonly number[],
    private rng: Rng,
  ) {
    let sum = 0;
    this.cumulative = Float64Array.from(weights, (w) => (sum += w));
  }

  /** The first address of a fresh answer. */
  answer(): number {
    if (this.order === 'rotate') {
      const a = this.next;
      this.next = (a + 1) % this.addresses;
      return a;
    }
    const total = this.cumulative[this.cumulative.length - 1]!;
    const x = this.rng.random() * total;
    let i = 0;
    while (this.cumulative[i]! <= x) i++;
    return i;
  }
}
