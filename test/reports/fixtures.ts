// Results for the report tests: crafted ones, whose every number is chosen so a finding or a
// chart can be checked exactly, and simulated ones, so the report also meets real data.

import { parseScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { simulate } from '../../sim/run.ts';
import { ERROR_CAUSES, noFailures, resultHeader, type ErrorCause, type ResourceUse, type Result } from '../../reports/result.ts';

export const FARM = `name: farm
description: Two servers behind one director
seed: 3
duration: 20s
warmup: 2s
clients: { addresses: 64 }
workload:
  arrivals: poisson 100/s
  cpu: exponential 5ms
  response: 20KB
sites:
  - name: bcn
    uplink: 100Mbps
    director: { scheduler: sh, forwarding: nat }
    servers:
      - { name: web1 }
      - { name: web2 }
slo: { p99: 200ms, errors: 0.1% }
`;

export function scenario(text = FARM, set: string[] = []): Scenario {
  return parseScenario(text, 'farm.yaml', { set });
}

export function simulated(text = FARM, set: string[] = []): { result: Result; scenario: Scenario } {
  const s = scenario(text, set);
  return { result: simulate(s), scenario: s };
}

export function failures(f: Partial<Record<ErrorCause, number>>): Record<ErrorCause, number> {
  return { ...noFailures(), ...f };
}

export function resource(name: string, kind: ResourceUse['kind'], utilisation: number, site = 'bcn'): ResourceUse {
  return { name, kind, site, utilisation };
}

/**
 * A 60 s run (10 s warm-up) of 100 requests/s on bcn/web1 and bcn/web2, nothing failed, CPUs
 * at 25%; `over` replaces any part. The series has one row a second, split evenly.
 */
export function crafted(over: Partial<Result> = {}): Result {
  const steps = 60;
  const t = Array.from({ length: steps }, (_, i) => i);
  const col = (v: number) => t.map(() => v);
  const base: Result = {
    ...resultHeader('simulation', { name: 'crafted', seed: 1, duration: 60, warmup: 10 }),
    requests: { sent: 5000, ok: 5000, failed: failures({}) },
    throughput: 100,
    latency: { count: 5000, mean: 0.008, p50: 0.006, p90: 0.018, p99: 0.036, p999: 0.057, max: 0.073 },
    cdf: [
      { latency: 0.002, share: 0.01 }, { latency: 0.006, share: 0.5 }, { latency: 0.018, share: 0.9 },
      { latency: 0.036, share: 0.99 }, { latency: 0.073, share: 1 },
    ],
    resources: [
      resource('bcn/web1 cpu', 'server-cpu', 0.25),
      resource('bcn/web2 cpu', 'server-cpu', 0.24),
      resource('bcn uplink out', 'uplink-out', 0.16),
      resource('bcn director cpu', 'director-cpu', 0.005),
    ],
    servers: [
      { site: 'bcn', name: 'web1', ok: 2500, share: 0.5 },
      { site: 'bcn', name: 'web2', ok: 2500, share: 0.5 },
    ],
    series: {
      step: 1,
      t,
      columns: {
        sent: col(100), ok: col(100), ...Object.fromEntries(ERROR_CAUSES.map((c) => [c, col(0)])),
        mean: col(0.008), p50: col(0.006), p90: col(0.018), p99: col(0.036),
        'ok bcn/web1': col(50), 'ok bcn/web2': col(50),
        'util bcn/web1 cpu': col(0.25), 'util bcn/web2 cpu': col(0.24),
      },
    },
  };
  return { ...base, ...over };
}

type Sweep = NonNullable<Result['sweep']>;

/**
 * A load sweep of two curves at 200/s to 1000/s: base holds to 600/s (its knee: p99 doubles
 * beyond it, then requests fail), bigger has no knee. `over` replaces any part.
 */
export function sweep(over: Partial<Sweep> = {}): Sweep {
  const point = (rate: number, p50: number, p99: number, failedShare = 0, throughput = rate) => ({
    value: `poisson ${rate}/s`, x: rate, offered: rate, throughput, p50, p99, failedShare,
  });
  return {
    path: 'workload.arrivals',
    axis: 'offered load (requests/s)',
    curves: [
      {
        label: 'base',
        points: [point(200, 0.006, 0.03), point(400, 0.007, 0.04), point(600, 0.009, 0.055), point(800, 0.05, 0.4), point(1000, 1.2, 4.5, 0.2, 820)],
        knee: { value: 'poisson 600/s', x: 600, why: 'beyond it p99 rises from 30ms to 400ms' },
      },
      {
        label: 'bigger',
        points: [point(200, 0.006, 0.03), point(400, 0.006, 0.032), point(600, 0.007, 0.035), point(800, 0.007, 0.04), point(1000, 0.008, 0.05)],
      },
    ],
    ...over,
  };
}

type Plan = NonNullable<Result['plan']>;

/**
 * A plan over 1..6 servers at 100 a month each plus 500: 1 and 2 pruned by closed forms, 3
 * simulated and missed, 4 chosen, 5 met (runner-up), 6 not simulated.
 */
export function plan(over: Partial<Plan> = {}): Plan {
  const label = (n: number) => `${n} server${n > 1 ? 's' : ''} × 1 core, 100Mbps, dr`;
  return {
    chosen: label(4),
    verdicts: [
      { label: label(1), cost: 600, status: 'pruned', reason: 'the servers would be 300% busy' },
      { label: label(2), cost: 700, status: 'pruned', reason: 'the servers would be 150% busy' },
      { label: label(3), cost: 800, status: 'missed', reason: 'p99 1.2s misses p99 ≤ 200ms (bcn/web1 cpu 100% busy)', p99: 1.2, failedShare: 0 },
      { label: label(4), cost: 900, status: 'chosen', reason: 'meets the SLO under 4 seeds', p99: 0.11, failedShare: 0 },
      { label: label(5), cost: 1000, status: 'met', reason: 'meets the SLO but costs 100 more', p99: 0.07, failedShare: 0 },
      { label: label(6), cost: 1100, status: 'not simulated', reason: 'a cheaper plan already meets the SLO' },
    ],
    frontier: [
      { label: label(3), cost: 800, p99: 1.2, met: false },
      { label: label(4), cost: 900, p99: 0.11, met: true },
      { label: label(5), cost: 1000, p99: 0.07, met: true },
    ],
    ...over,
  };
}

export const P99_SLO: Result['slo'] = { met: true, checks: [{ target: 'p99 ≤ 200ms', limit: 0.2, value: 0.11, met: true }] };
