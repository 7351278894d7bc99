// wlc: weighted least connections (LVS's default) — the dest with the smallest overhead/weight, overhead = activeconns * 256 + inactconns; the kernel has no floats, so it compares loh * weight > doh * least->weight instead of dividing.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { connOverhead } from './hash.ts';

/**
 * ip_vs_wlc.c: the first dest that is not overloaded and has weight > 0 is the starting "least";
 * a later dest replaces it only when strictly less loaded (ties keep the earlier one). A later
 * weight-0 dest can never win: loh * 0 > doh * w is never true.
 */
export class WeightedLeastConnectionScheduler implements Scheduler {
  readonly name: SchedulerName = 'wlc';
  private dests: Dest[] = [];

  update(dests: readonly Dest[]): void {
    this.dests = dests.slice();
  }

  schedule(_client: number, _port: number, _vip: number): Dest | null {
    const dests = this.dests;
    const n = dests.length;
    let i = 0;
    while (i < n && (dests[i].overloaded || dests[i].weight <= 0)) i++;
    if (i === n) return null;
    let least = dests[i];
    let loh = connOverhead(least);
    for (i++; i < n; i++) {
      const d = dests[i];
      if (d.overloaded) continue;
      const doh = connOverhead(d);
      if (loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}
