// Latency over time: p50, p90 and p99 of the requests answered in each step, with the SLO's
// latency limit as a line when it is near enough to the data to be read against it. Several
// variants draw their p99 (solid) and p50 (dashed) side by side.

import type { ChartDataset } from 'chart.js';
import { formatDuration, latencyUnit } from '../format.ts';
import type { Result } from '../result.ts';
import type { Variant } from '../variant.ts';
import type { Level } from './guides.ts';
import { lineChart, type ChartSpec } from './spec.ts';
import { PERCENTILE_COLORS, SLO_COLOR, paletteColor } from './theme.ts';
import { logDurationAxis } from './log-axis.ts';
import { chartTitle, LEGEND_LINES, stepPoints, timeAxis, timelineGuides, type Point, type TimelineOptions } from './timeline.ts';

const PERCENTILES = ['p50', 'p90', 'p99'] as const;
type Percentile = (typeof PERCENTILES)[number];

/** A step where nothing was answered has no latency: a gap, not a zero. */
function percentilePoints(result: Result, p: Percentile, factor: number): Point[] {
  const ok = result.series.columns.ok ?? [];
  return stepPoints(result, p, (v, i) => (ok[i]! > 0 ? v * factor : null));
}

/** The SLO's latency limits (p50, p90, p99, mean) that the chart can show as lines. */
function sloLimits(result: Result): { target: string; limit: number }[] {
  return (result.slo?.checks ?? [])
    .filter((c) => /^(p50|p90|p99|mean)\b/.test(c.target))
    .map((c) => ({ target: c.target.split(' ')[0]!, limit: c.limit }));
}

function maxOf(points: Point[]): number {
  return points.reduce((m, p) => (p.y !== null && p.y > m ? p.y : m), 0);
}

function line(label: string, data: Point[], color: string, dash?: number[]): ChartDataset<'line', Point[]> {
  return {
    label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, spanGaps: false,
    ...(dash ? { borderDash: dash } : {}),
  };
}

export function latencyChart(variants: Variant[], options: TimelineOptions = {}, heading = 'Latency percentiles over time'): ChartSpec {
  const first = variants[0]!.result;
  const peak = Math.max(...variants.map((v) => Math.max(...v.result.series.columns.p99 ?? [0])));
  // Variants can differ by orders of magnitude: side by side they share a log axis in seconds.
  const log = variants.length > 1;
  const { unit, factor } = log ? { unit: 's', factor: 1 } : latencyUnit(peak);
  const datasets = variants.length === 1
    ? [...PERCENTILES].reverse().map((p) => line(p, percentilePoints(first, p, factor), PERCENTILE_COLORS[p]))
    // Side by side, p99 alone says most; p50 dashed too while that stays readable.
    : variants.flatMap((v, i) => [
      line(variants.length > 3 ? v.name : `${v.name} p99`, percentilePoints(v.result, 'p99', factor), paletteColor(i)),
      ...(variants.length > 3 ? [] : [line(`${v.name} p50`, percentilePoints(v.result, 'p50', factor), paletteColor(i), [6, 4])]),
    ]);
  const top = Math.max(...datasets.map((d) => maxOf(d.data)));
  // An SLO far above the data would squash it flat: then the subtitle says where the limit is.
  const limits = sloLimits(first);
  const shown = limits.filter((l) => l.limit * factor <= 2.5 * top || top === 0);
  const hidden = limits.filter((l) => !shown.includes(l));
  const levels: Level[] = shown.map((l) => ({
    value: l.limit * factor, label: `SLO ${l.target} ≤ ${formatDuration(l.limit)}`, color: SLO_COLOR, dash: [8, 5],
  }));
  const step = formatDuration(first.series.step);
  const what = variants.length === 1 ? '' : variants.length > 3 ? 'p99 of each variant; ' : 'p99 solid, p50 dashed; ';
  const subtitle = [
    `${what}each point: the requests answered in one ${step} step`,
    ...hidden.map((l) => `SLO ${l.target} ≤ ${formatDuration(l.limit)} lies far above`),
  ].join(' · ');
  const suggestedMax = Math.max(top, ...shown.map((l) => l.limit * factor)) * 1.08;
  const guides = { ...timelineGuides(first, options), levels };
  return lineChart('latency', heading, datasets, {
    scales: {
      x: timeAxis(first),
      y: log
        ? logDurationAxis([...datasets.flatMap((d) => d.data.map((p) => p.y ?? 0)), ...shown.map((l) => l.limit)], 'latency (log scale)')
        : { type: 'linear', min: 0, suggestedMax, title: { display: true, text: `latency (${unit})` } },
    },
    plugins: { ...chartTitle(heading, subtitle), legend: LEGEND_LINES, guides },
  });
}
