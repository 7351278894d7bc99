// How busy is too busy. At utilisation ρ a queue's waiting time grows like 1/(1−ρ): at 70% a
// request already waits about 2.3 service times, at 90% about 9, and near 100% without bound.

/** At or above this busy share a resource is the bottleneck. */
export const BOTTLENECK = 0.9;
/** Above this, queueing is a large part of latency: worth watching. */
export const HIGH = 0.7;
export type Level = 'headroom' | 'high' | 'bottleneck';

/** How busy a resource at this utilisation is, in the words the tables and the colours use. */
export function level(utilisation: number): Level {
  if (utilisation >= BOTTLENECK) return 'bottleneck';
  if (utilisation >= HIGH) return 'high';
  return 'headroom';
}

/** What a resource should be brought down to when sizing: leaves room for bursts. */
export const TARGET = 0.7;
