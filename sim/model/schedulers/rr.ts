// rr: round robin — each new connection goes to the next dest in list order, skipping quiesced (weight 0) and overloaded ones; the kernel keeps only a cursor, so it is as cheap as a scheduler can be and ignores load entirely.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';

/**
 * ip_vs_rr.c. The cursor (sched_data) points at the dest chosen last, or at the list head before
 * the first pick. Adding a dest leaves the cursor where it is (rr has no add_dest); deleting the
 * dest under the cursor moves it back to that dest's predecessor (ip_vs_rr_del_dest), so the
 * rotation continues with the dest that followed the deleted one.
 */
export class RoundRobinScheduler implements Scheduler {
  readonly name: SchedulerName = 'rr';
  private dests: Dest[] = [];
  /** Index of the dest chosen last; -1 is the list head. */
  private cursor = -1;

  update(dests: readonly Dest[]): void {
    const old = this.dests;
    const last = this.cursor >= 0 ? old[this.cursor] : undefined;
    this.dests = dests.slice();
    this.cursor = -1;
    if (last === undefined) return;
    const kept = this.indexOfId(last.id);
    if (kept >= 0) {
      this.cursor = kept;
      return;
    }
    // The cursor's dest was deleted: fall back to the nearest surviving predecessor, or the head.
    for (let j = old.indexOf(last) - 1; j >= 0; j--) {
      const i = this.indexOfId(old[j].id);
      if (i >= 0) {
        this.cursor = i;
        return;
      }
    }
  }

  private indexOfId(id: number): number {
    return this.dests.findIndex((d) => d.id === id);
  }

  schedule(_client: number, _port: number, _vip: number): Dest | null {
    const dests = this.dests;
    const n = dests.length;
    // From the head: one pass over every dest. From a dest: the ones after it, then around to it.
    let i = this.cursor;
    for (let k = 0; k < n; k++) {
      i = i + 1 >= n ? 0 : i + 1;
      const d = dests[i];
      if (!d.overloaded && d.weight > 0) {
        this.cursor = i;
        return d;
      }
    }
    return null;
  }
}
