// Where requests come from. Open loop: arrivals at a rate that does not care how the farm is
// doing (Poisson, possibly changing on a timeline, or any renewal process). Closed loop: a
// fixed number of users, each waiting for its answer and then thinking before the next.

import type { Arrivals } from '../../scenarios/schema.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import type { Rng } from '../engine/rng.ts';
import { distributionMean } from '../../scenarios/distribution.ts';

export interface OpenSource {
  /** Time of the arrival after one at `now`, or Infinity when none comes before `end`. */
  next(now: number): number;
}

/** Poisson with a piecewise-constant rate: memorylessness lets us restart at each change. */
class PoissonTimeline implements OpenSource {
  private at: Float64Array;
  private meanGap: Float64Array;
  private k = 0;
  constructor(private rng: Rng, steps: { at: number; rate: number }[], private end: number) {
    this.at = Float64Array.from([...steps.map((s) => s.at), Infinity]);
    this.meanGap = Float64Array.from(steps.map((s) => (s.rate > 0 ? 1 / s.rate : Infinity)));
  }
  next(now: number): number {
    if (this.meanGap.length === 1) {
      // One fixed rate: the common case, kept short.
      const t = now - Math.log(this.rng.randomOpen()) * this.meanGap[0]!;
      return t < this.end ? t : Infinity;
    }
    let t = now;
    for (;;) {
      while (t >= this.at[this.k + 1]!) this.k++;
      const gap = this.meanGap[this.k]!;
      const boundary = this.at[this.k + 1]!;
      const candidate = gap === Infinity ? Infinity : t - Math.log(this.rng.randomOpen()) * gap;
      if (candidate < boundary) return candidate < this.end ? candidate : Infinity;
      if (boundary >= this.end) return Infinity;
      t = boundary;
    }
  }
}

class Renewal implements OpenSource {
  private gap: Sampler;
  constructor(rng: Rng, interarrival: Parameters<typeof sampler>[0], private end: number) {
    this.gap = sampler(interarrival, rng);
  }
  next(now: number): number {
    const t = now + this.gap.sample();
    return t < this.end ? t : Infinity;
  }
}

export function openSource(a: Exclude<Arrivals, { kind: 'closed' }>, rng: Rng, end: number): OpenSource {
  return a.kind === 'open' ? new PoissonTimeline(rng, a.steps, end) : new Renewal(rng, a.interarrival, end);
}

/** Mean arrival rate of an open source over [0, end): for summaries and planners. */
export function meanRate(a: Arrivals, end: number): number {
  if (a.kind === 'closed') return NaN;
  if (a.kind === 'renewal') {
    return 1 / distributionMean(a.interarrival);
  }
  let area = 0;
  a.steps.forEach((s, i) => {
    const until = Math.min(end, a.steps[i + 1]?.at ?? end);
    if (until > s.at) area += s.rate * (until - s.at);
  });
  return area / end;
}
