// Where the farm runs out: the resources at or above a threshold (90% busy by default), the
// one that saturates first, and one sentence on what would help — the course's question,
// "bandwidth or the application?", answered from the measured utilisations.

import type { Forwarding } from '../scenarios/schema.ts';
import type { ResourceUse } from '../reports/result.ts';
// The same threshold the report's charts and findings draw: one definition of "saturated".
import { BOTTLENECK } from '../reports/levels.ts';

export interface Bottleneck {
  /** Resources at or above the threshold, busiest first. */
  saturated: string[];
  /** The busiest resource, saturated or not. */
  busiest: string;
  busiestUtilisation: number;
  /** bandwidth, application, director or none. */
  kind: 'bandwidth' | 'application' | 'director' | 'none';
  advice: string;
}

export function findBottleneck(resources: ResourceUse[], forwarding: Forwarding | undefined, threshold = BOTTLENECK): Bottleneck {
  const sorted = [...resources].sort((a, b) => b.utilisation - a.utilisation);
  const top = sorted[0];
  const saturated = sorted.filter((r) => r.utilisation >= threshold);
  if (!top || saturated.length === 0) {
    return {
      saturated: [], busiest: top?.name ?? 'none', busiestUtilisation: top?.utilisation ?? 0, kind: 'none',
      advice: top ? `Nothing is saturated: the busiest resource, ${top.name}, is ${(top.utilisation * 100).toFixed(0)}% busy.` : 'Nothing was measured.',
    };
  }
  const first = saturated[0]!;
  const pct = `${(first.utilisation * 100).toFixed(0)}%`;
  switch (first.kind) {
    case 'uplink-out':
    case 'uplink-in':
      return {
        saturated: saturated.map((r) => r.name), busiest: first.name, busiestUtilisation: first.utilisation, kind: 'bandwidth',
        advice: `Bandwidth-bound: ${first.name} is ${pct} busy. More servers will not help; buy more uplink, or add another site reached by DNS (each site brings its own uplink).`,
      };
    case 'director-nic':
    case 'director-cpu':
      return {
        saturated: saturated.map((r) => r.name), busiest: first.name, busiestUtilisation: first.utilisation, kind: 'director',
        advice: forwarding === 'nat'
          ? `The director is the bottleneck: ${first.name} is ${pct} busy. Under nat every answer passes through it; direct routing (dr) or tunnelling (tun) lets answers bypass it.`
          : `The director is the bottleneck: ${first.name} is ${pct} busy. A faster director, or DNS across several sites each with its own director, would help.`,
      };
    default:
      return {
        saturated: saturated.map((r) => r.name), busiest: first.name, busiestUtilisation: first.utilisation, kind: 'application',
        advice: `Application-bound: ${first.name} is ${pct} busy. Add real servers behind the director (the cheaper fix), or faster ones.`,
      };
  }
}
