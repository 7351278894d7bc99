// sed: shortest expected delay — the dest with the smallest (activeconns + 1) / weight, cross-multiplied; counting the new connection itself (+1) makes a big idle server beat a small idle one, which wlc's plain ratio cannot see (Weinrib & Shenker 1988).

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';

/** ip_vs_sed.c: inactive connections are ignored; ties keep the earlier dest in list order. */
export class ShortestExpectedDelayScheduler implements Scheduler {
  readonly name: SchedulerName = 'sed';
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
    let loh = least.activeConns + 1;
    for (i++; i < n; i++) {
      const d = dests[i];
      if (d.overloaded) continue;
      const doh = d.activeConns + 1;
      if (loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}
