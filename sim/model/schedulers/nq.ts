// nq: never queue — the first dest (in list order) with no active connection gets it at once; only when every server is busy does it fall back to sed's (activeconns + 1) / weight, because an idle server now beats a faster one later.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';

/** ip_vs_nq.c: overloaded and weight-0 dests are skipped; ties keep the earlier dest. */
export class NeverQueueScheduler implements Scheduler {
  readonly name: SchedulerName = 'nq';
  private dests: Dest[] = [];

  update(dests: readonly Dest[]): void {
    this.dests = dests.slice();
  }

  schedule(_client: number, _port: number, _vip: number): Dest | null {
    const dests = this.dests;
    let least: Dest | null = null;
    let loh = 0;
    for (let i = 0; i < dests.length; i++) {
      const d = dests[i];
      if (d.overloaded || d.weight === 0) continue;
      if (d.activeConns === 0) return d;
      const doh = d.activeConns + 1;
      if (least === null || loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}
