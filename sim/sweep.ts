// A sweep: the scenario and each of its variants across the values of one field, and where
// each curve bends. The knee is the last value before latency or errors give way: p99 more
// than twice its value at the lightest load, more than 1% failed, or throughput below 95% of
// what was offered.

import { failedTotal, offeredRate, type Result } from '../reports/result.ts';
import { formatDuration } from '../scenarios/units.ts';

export interface SweepPoint {
  value: string;
  /** The x of the chart: offered requests/s when sweeping load, else the value as a number. */
  x: number;
  offered: number;
  throughput: number;
  p50: number;
  p99: number;
  failedShare: number;
}

export interface SweepCurve {
  label: string;
  points: SweepPoint[];
  knee?: { value: string; x: number; why: string };
}

export interface SweepReport {
  path: string;
  /** What x measures, for axis titles. */
  axis: string;
  curves: SweepCurve[];
}

export function point(value: string, r: Result, overLoad: boolean): SweepPoint {
  const failed = failedTotal(r.requests.failed);
  const offered = offeredRate(r);
  const numeric = Number(/[0-9]+(?:\.[0-9]+)?/.exec(value)?.[0] ?? NaN);
  return {
    value, x: overLoad ? offered : numeric, offered, throughput: r.throughput, p50: r.latency.p50, p99: r.latency.p99,
    failedShare: r.requests.sent > 0 ? failed / r.requests.sent : 0,
  };
}

/** The knee of one curve, in words. Points are in sweep order (lightest load first). */
export function knee(points: SweepPoint[], overLoad: boolean): SweepCurve['knee'] {
  if (points.length < 2) return undefined;
  const base = points[0]!.p99;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    let why: string | undefined;
    if (p.failedShare > 0.01) why = `beyond it ${(p.failedShare * 100).toFixed(1)}% of requests fail`;
    else if (overLoad && p.throughput < 0.95 * p.offered) why = `beyond it throughput (${p.throughput.toFixed(0)}/s) falls behind the offered load (${p.offered.toFixed(0)}/s)`;
    else if (p.p99 > 2 * base) why = `beyond it p99 rises from ${formatDuration(base)} to ${formatDuration(p.p99)}`;
    if (why) {
      const k = points[i - 1]!;
      return { value: k.value, x: k.x, why };
    }
  }
  return undefined;
}

export function sweepFindings(report: SweepReport): string[] {
  return report.curves.map((c) => c.knee
    ? `${c.label}: the knee is at ${c.knee.value}; ${c.knee.why}.`
    : `${c.label}: no knee within the sweep (up to ${c.points[c.points.length - 1]!.value}).`);
}
