// Caching resolvers between clients and the authoritative DNS. Each keeps its last answer for
// the TTL; a share of them (and of the clients behind them: browsers, operating systems) keep
// it longer, by a drawn extra time — which is why moving traffic by DNS takes minutes for most
// and hours for a few. All clients behind one resolver share its answer: big resolvers make
// hot spots.

import type { Sampler } from '../engine/distributions.ts';
import type { Rng } from '../engine/rng.ts';

export class Resolvers {
  private expiry: Float64Array;
  private cached: Int32Array;
  private sticky: Uint8Array;
  queries = 0;

  constructor(
    count: number,
    private ttl: number,
    staleShare: number,
    private extra: Sampler,
    rng: Rng,
    /** Asks the authoritative server: the first address of a fresh answer. */
    private ask: (now: number) => number,
  ) {
    this.expiry = new Float64Array(count).fill(-Infinity);
    this.cached = new Int32Array(count);
    this.sticky = Uint8Array.from({ length: count }, () => (rng.random() < staleShare ? 1 : 0));
  }

  /** The answer resolver `id` gives at time `now` (fetching a fresh one if its cache expired). */
  resolve(id: number, now: number): number {
    if (now < this.expiry[id]!) return this.cached[id]!;
    const a = this.ask(now);
    this.queries++;
    this.cached[id] = a;
    this.expiry[id] = now + this.ttl + (this.sticky[id] === 1 ? this.extra.sample() : 0);
    return a;
  }
}
