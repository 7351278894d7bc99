// How numbers read in a report: the same words and units as the terminal summary, with
// thousands separators for counts. Pure functions, shared by findings, tables and charts.

import { formatBandwidth, formatDuration } from '../scenarios/units.ts';

export { formatBandwidth, formatDuration };

/** A share as a percentage: 24.8%, 0.53% (two decimals below 10%, so small error rates show). */
export function percent(share: number): string {
  if (share === 0) return '0%';
  const p = share * 100;
  return `${p.toFixed(p < 10 ? 2 : 1)}%`;
}

/** A share as people write a limit or threshold: 90%, 0.1%, 12.5% (no padding zeros). */
export function percentLimit(share: number): string {
  return `${+(share * 100).toPrecision(3)}%`;
}

/** A count with thousands separators: 20,845. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A rate per second: 98.4/s. */
export function perSecond(r: number): string {
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : +r.toPrecision(3)}/s`;
}

/** A size in bytes, decimal as the scenario files write it: 20KB, 1.5MB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${+(bytes / 1e9).toPrecision(3)}GB`;
  if (bytes >= 1e6) return `${+(bytes / 1e6).toPrecision(3)}MB`;
  if (bytes >= 1e3) return `${+(bytes / 1e3).toPrecision(3)}KB`;
  return `${+bytes.toPrecision(3)}B`;
}

export interface AxisUnit {
  /** Written after the axis title: "latency (ms)". */
  unit: string;
  /** Multiplies a value in seconds into the unit. */
  factor: number;
}

/** The unit that keeps latency axis numbers short: µs, ms or s. */
export function latencyUnit(maxSeconds: number): AxisUnit {
  if (maxSeconds >= 2) return { unit: 's', factor: 1 };
  if (maxSeconds > 0 && maxSeconds < 2e-3) return { unit: 'µs', factor: 1e6 };
  return { unit: 'ms', factor: 1e3 };
}

/** The unit for a time axis spanning `seconds`: s up to 10 minutes, then min, then h. */
export function timeUnit(seconds: number): AxisUnit {
  if (seconds > 36_000) return { unit: 'h', factor: 1 / 3600 };
  if (seconds > 600) return { unit: 'min', factor: 1 / 60 };
  return { unit: 's', factor: 1 };
}

/**
 * A sweep value as a label says it: the rate of "poisson 600/s" (600/s), else the value as
 * written (8, 1Gbps, 50ms).
 */
export function shortValue(value: string): string {
  const rate = /(\d+(?:\.\d+)?\s*\/\s*(?:s|min|h))\b/.exec(value);
  return rate ? rate[1]!.replace(/\s+/g, '') : value;
}

/** A monthly cost as the scenario's prices give it, with thousands separators: 1,350. */
export function money(n: number): string {
  return Math.abs(n - Math.round(n)) < 0.005 ? count(n) : n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
