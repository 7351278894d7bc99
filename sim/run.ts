// A scenario in, a Result out: builds the farm, runs it and gathers what was measured.
// No I/O here; the command line prints and writes.

import type { Scenario } from '../scenarios/schema.ts';
import { resultHeader, type Result, type SloVerdict } from '../reports/result.ts';
import { Metrics, round } from './metrics.ts';
import { Farm, type RunHooks } from './model/farm.ts';
import { formatDuration } from '../scenarios/units.ts';
import { percentLimit } from '../reports/format.ts';
import { findBottleneck } from './bottleneck.ts';
import { farmCost } from './costs.ts';

export function simulate(scenario: Scenario, hooks: RunHooks = {}): Result {
  const farm = new Farm(scenario, (shape) =>
    new Metrics(scenario.warmup, scenario.duration, scenario.step, shape.labels, shape.resources));
  const m = farm.run(hooks);
  try {
    const window = scenario.duration - scenario.warmup;
    const failed = { ...m.failedBy };
    const latency = m.latency();
    const result: Result = {
      ...resultHeader('simulation', scenario),
      requests: { sent: m.sent, ok: m.ok, failed },
      throughput: round(m.departures / window),
      latency,
      cdf: m.cdf(),
      resources: m.utilisation(),
      servers: m.shares(),
      series: m.timeSeries(),
      events: farm.events,
    };
    if (scenario.faults.length > 0) {
      farm.record.countMoves();
      result.faults = farm.record.faults;
      result.markers = farm.record.markers;
    }
    if (scenario.healthcheck.kind !== 'none') result.checks = farm.record.log;
    const sessions = farm.sessionTable;
    if (sessions) result.sessions = { started: sessions.started, completed: sessions.completed, broken: sessions.brokenCount };
    if (scenario.clients.retries > 0 || scenario.balancing !== 'local') result.retries = farm.retried;
    if (scenario.balancing !== 'local') result.dnsQueries = farm.resolverQueries;
    result.bottleneck = findBottleneck(result.resources, scenario.sites.find((s) => s.director)?.director?.forwarding);
    const cost = farmCost(scenario);
    if (cost) result.cost = cost;
    if (scenario.storage?.kind === 'copies') result.staleReads = farm.staleReads;
    if (scenario.slo) result.slo = judge(scenario.slo, result);
    return result;
  } finally {
    m.dispose();
  }
}

/** Each SLO target against what was measured. */
export function judge(slo: NonNullable<Scenario['slo']>, r: Pick<Result, 'latency' | 'requests'>): SloVerdict {
  const checks: SloVerdict['checks'] = [];
  for (const key of ['mean', 'p50', 'p90', 'p99'] as const) {
    const limit = slo[key];
    if (limit === undefined) continue;
    const value = r.latency[key];
    checks.push({ target: `${key} ≤ ${formatDuration(limit)}`, limit, value, met: r.latency.count > 0 && value <= limit });
  }
  if (slo.errors !== undefined) {
    const failed = r.requests.sent - r.requests.ok;
    const share = r.requests.sent > 0 ? failed / r.requests.sent : 0;
    checks.push({ target: `errors ≤ ${percentLimit(slo.errors)}`, limit: slo.errors, value: share, met: share <= slo.errors });
  }
  return { met: checks.every((c) => c.met), checks };
}
