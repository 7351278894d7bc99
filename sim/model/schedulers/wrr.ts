// wrr: weighted round robin — passes over the list with a falling threshold cw (from the max weight down by the gcd of the weights), picking every dest whose weight reaches cw; the kernel interleaves this way so a heavy server's share is spread over the cycle instead of sent as one burst.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { gcd } from './hash.ts';

/**
 * ip_vs_wrr.c. State (struct ip_vs_wrr_mark): cl the last dest (or head), cw the current weight
 * threshold, mw the maximum weight less (di - 1), di the gcd of the positive weights. Over one
 * cycle a dest of weight w is picked w/di times. Any add, delete or weight edit recomputes mw
 * and di, puts cl back at the head and keeps cw where it can (ip_vs_wrr_dest_changed).
 * Overloaded dests are skipped; the `stop` bookkeeping ends the search after every dest has been
 * tried at threshold 1, exactly as the kernel does.
 */
export class WeightedRoundRobinScheduler implements Scheduler {
  readonly name: SchedulerName = 'wrr';
  private dests: Dest[] = [];
  /** cl: index of the dest chosen last; -1 is the list head. */
  private cl = -1;
  private cw = 0;
  private mw = 0;
  private di = 1;

  update(dests: readonly Dest[]): void {
    this.dests = dests.slice();
    let g = 0;
    let max = 0;
    for (const d of this.dests) {
      if (d.weight > 0) g = g > 0 ? gcd(d.weight, g) : d.weight;
      if (d.weight > max) max = d.weight;
    }
    this.di = g > 0 ? g : 1;
    this.mw = max - (this.di - 1);
    this.cl = -1;
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.trunc(this.cw / this.di) * this.di + 1;
  }

  schedule(_client: number, _port: number, _vip: number): Dest | null {
    if (this.mw === 0) return null;
    const dests = this.dests;
    const n = dests.length;
    const last = this.cl;
    let i = last;
    let stop = -2; // none
    let lastPass = false;
    let restarted = false;
    for (;;) {
      // list_for_each_entry_continue: the dests after i, up to the end of the list.
      for (i = i + 1; i < n; i++) {
        const d = dests[i];
        if (!d.overloaded && d.weight >= this.cw) {
          this.cl = i;
          return d;
        }
        if (i === stop) {
          this.cl = i;
          return null; // all destinations are overloaded
        }
      }
      i = -1; // back at the head
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        if (lastPass || last === -1) {
          this.cl = -1;
          return null;
        }
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && last !== -1) stop = last;
    }
  }
}
