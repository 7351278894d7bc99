// lc: least connections — the dest with the smallest overhead (activeconns * 256 + inactconns), weights ignored except that weight 0 (quiesced) and overloaded dests are skipped; the kernel weighs an established connection as 256 closing ones because those are what cost a server work.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { connOverhead } from './hash.ts';

/** ip_vs_lc.c: strict `doh < loh`, so on a tie the first dest in list order wins. */
export class LeastConnectionScheduler implements Scheduler {
  readonly name: SchedulerName = 'lc';
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
      const doh = connOverhead(d);
      if (least === null || doh < loh) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}
