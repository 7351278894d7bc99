// twos: weighted random "power of two choices" (Mitzenmacher) — draw two dests at random in proportion to their weights and keep the one with the lower overhead/weight (cross-multiplied); two random looks avoid both rr's blindness to load and the herd that least-connection sends to one idle server.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { connOverhead } from './hash.ts';

/**
 * ip_vs_twos.c (Linux 6.2 and later; Debian 12's 6.1 kernel has no ip_vs_twos module).
 * total = sum of the weights of the dests not overloaded with weight > 0; two draws r1, r2
 * uniform in [0, total] (get_random_u32_below(total + 1)); walking the list each draw is
 * reduced by each weight and picks the first dest where it reaches <= 0 (so the first dest gets
 * one extra chance in total + 1). choice2 wins only if strictly less loaded:
 * weight2 * overhead1 > weight1 * overhead2.
 */
export class TwosScheduler implements Scheduler {
  readonly name: SchedulerName = 'twos';
  private dests: Dest[] = [];

  constructor(private readonly random: () => number) {}

  update(dests: readonly Dest[]): void {
    this.dests = dests.slice();
  }

  schedule(_client: number, _port: number, _vip: number): Dest | null {
    const dests = this.dests;
    const n = dests.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = dests[i];
      if (!d.overloaded && d.weight > 0) total += d.weight;
    }
    if (total === 0) return null;
    let r1 = Math.floor(this.random() * (total + 1));
    let r2 = Math.floor(this.random() * (total + 1));
    let choice1: Dest | null = null;
    let choice2: Dest | null = null;
    for (let i = 0; i < n; i++) {
      const d = dests[i];
      if (d.overloaded || d.weight <= 0) continue;
      r1 -= d.weight;
      r2 -= d.weight;
      if (r1 <= 0 && choice1 === null) choice1 = d;
      if (r2 <= 0 && choice2 === null) choice2 = d;
      if (choice1 !== null && choice2 !== null) break;
    }
    // r1, r2 <= total, so both draws always land on a dest.
    const c1 = choice1 as Dest;
    const c2 = choice2 as Dest;
    return c2.weight * connOverhead(c1) > c1.weight * connOverhead(c2) ? c2 : c1;
  }
}
