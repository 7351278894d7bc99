// Shared data, the "copies" way: every real server keeps its own copy of the site's content
// and refreshes it every `sync` seconds (rsync from cron, each server at its own minute).
// After an update, a server answers from its stale copy until its next sync.

import type { Rng } from '../engine/rng.ts';

export class ContentCopies {
  private phase: Float64Array;
  /** Time of the latest content update so far. */
  lastUpdate = -Infinity;

  constructor(servers: number, private sync: number, rng: Rng) {
    this.phase = Float64Array.from({ length: servers }, () => rng.random() * sync);
  }

  /** When server k last synchronised at or before t (the initial copy counts as a sync at 0). */
  lastSync(k: number, t: number): number {
    const p = this.phase[k]!;
    if (t < p) return 0;
    return p + Math.floor((t - p) / this.sync) * this.sync;
  }

  /** Whether server k answers from a stale copy at time t. */
  stale(k: number, t: number): boolean {
    return this.lastUpdate > this.lastSync(k, t);
  }
}
