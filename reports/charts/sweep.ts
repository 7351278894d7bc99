// A sweep's charts: the scenario and each variant run across the values of one field (most
// often the offered load), one colour per variant. Latency against x — p99 solid, p50 dashed, a
// log axis so the knee and the collapse after it both read — and throughput against x, with the
// throughput = offered diagonal when x is the offered load. A ring and "knee 600/s" mark where
// each curve bends.

import type { Chart, ChartDataset, LegendItem, ScaleOptions } from 'chart.js';
import { formatDuration, shortValue } from '../format.ts';
import type { Result } from '../result.ts';
import type { Callout } from './callouts.ts';
import type { Level } from './guides.ts';
import { logDurationAxis } from './log-axis.ts';
import { lineChart, type ChartSpec } from './spec.ts';
import { MUTED, SLO_COLOR, paletteColor } from './theme.ts';
import { chartTitle, LEGEND_LINES, type Point } from './timeline.ts';

export type Sweep = NonNullable<Result['sweep']>;
export type SweepCurve = Sweep['curves'][number];
export type SweepPoint = SweepCurve['points'][number];

/** Whether x is the offered load (requests/s), so throughput can be read against it. */
export function isLoadSweep(sweep: Sweep): boolean {
  return sweep.path.endsWith('arrivals') || sweep.axis.startsWith('offered load');
}

/** "knee 600/s": the short label a knee gets on the charts. */
export function kneeLabel(curve: SweepCurve): string | undefined {
  return curve.knee ? `knee ${shortValue(curve.knee.value)}` : undefined;
}

interface XAxis {
  of: (p: { value: string; x: number }) => number;
  scale: ScaleOptions<'linear'>;
}

/**
 * The x axis both charts share: the points' own x when every one is a number, else (a sweep of
 * names: schedulers, forwarding methods) one evenly spaced slot per value, labelled with it.
 */
function xAxis(sweep: Sweep): XAxis {
  const points = sweep.curves.flatMap((c) => c.points);
  const numeric = points.length > 0 && points.every((p) => Number.isFinite(p.x));
  const title = { display: true, text: sweep.axis };
  if (!numeric) {
    const values = [...new Set(points.map((p) => p.value))];
    return {
      of: (p) => values.indexOf(p.value),
      scale: {
        type: 'linear', min: -0.5, max: values.length - 0.5, title, grid: { display: false },
        // One tick per value, at its slot (Chart.js would start its ticks at -0.5).
        afterBuildTicks: (axis) => {
          axis.ticks = values.map((_, i) => ({ value: i }));
        },
        ticks: { autoSkip: false, maxRotation: 0, callback: (v) => shortValue(values[Number(v)] ?? '') },
      },
    };
  }
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.05;
  // Load starts from nothing: the throughput = offered diagonal then runs from the origin.
  const min = isLoadSweep(sweep) && lo >= 0 ? { min: 0 } : { suggestedMin: lo - pad };
  return { of: (p) => p.x, scale: { type: 'linear', ...min, suggestedMax: hi + pad, title, ticks: { maxTicksLimit: 12 } } };
}

/** The curve's point at its knee. */
function kneePoint(curve: SweepCurve): SweepPoint | undefined {
  return curve.knee ? curve.points.find((p) => p.value === curve.knee!.value) : undefined;
}

function knees(sweep: Sweep, x: XAxis, y: (p: SweepPoint) => number | null): Callout[] {
  return sweep.curves.flatMap((c, i) => {
    const p = kneePoint(c);
    const v = p ? y(p) : null;
    return p && v !== null ? [{ x: x.of(p), y: v, label: kneeLabel(c)!, color: paletteColor(i) }] : [];
  });
}

/** A legend line: its colour and dash, drawn as a short stroke. */
function legendLine(text: string, color: string, dash: number[] = []): LegendItem {
  return { text, fillStyle: color, strokeStyle: color, lineWidth: 2.5, lineDash: dash, pointStyle: 'line', hidden: false };
}

/** One entry per variant, then what solid and dashed mean: six entries say less than five. */
function latencyLegend(sweep: Sweep) {
  const many = sweep.curves.length > 1;
  return {
    ...LEGEND_LINES,
    labels: {
      ...LEGEND_LINES.labels,
      generateLabels: (_chart: Chart): LegendItem[] => many
        ? [...sweep.curves.map((c, i) => legendLine(c.label, paletteColor(i))), legendLine('p99', MUTED), legendLine('p50', MUTED, [6, 4])]
        : [legendLine('p99', paletteColor(0)), legendLine('p50', paletteColor(0), [6, 4])],
    },
  };
}

function curveLine(label: string, data: Point[], color: string, dash?: number[]): ChartDataset<'line', Point[]> {
  return {
    label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: dash ? 0 : 3, spanGaps: false,
    ...(dash ? { borderDash: dash } : {}),
  };
}

export function sweepLatencyChart(sweep: Sweep, slo?: Result['slo']): ChartSpec {
  const x = xAxis(sweep);
  const latency = (v: number) => (v > 0 ? v : null);
  const datasets = sweep.curves.flatMap((c, i) => [
    curveLine(`${c.label} p99`, c.points.map((p) => ({ x: x.of(p), y: latency(p.p99) })), paletteColor(i)),
    curveLine(`${c.label} p50`, c.points.map((p) => ({ x: x.of(p), y: latency(p.p50) })), paletteColor(i), [6, 4]),
  ]);
  const values = sweep.curves.flatMap((c) => c.points.flatMap((p) => [p.p50, p.p99]));
  // Headroom above the highest point, so its marker and a knee's ring are not cut by the edge.
  const top = Math.max(0, ...values) * 1.15;
  const limit = slo?.checks.find((c) => c.target.startsWith('p99'));
  const levels: Level[] = limit ? [{ value: limit.limit, label: `SLO p99 ≤ ${formatDuration(limit.limit)}`, color: SLO_COLOR, dash: [8, 5] }] : [];
  const what = sweep.curves.length > 1 ? 'p99 solid, p50 dashed, one colour per variant' : 'p99 solid, p50 dashed';
  const heading = 'Latency across the sweep';
  return lineChart('sweep-latency', heading, datasets, {
    scales: { x: x.scale, y: logDurationAxis([...values, top, ...(limit ? [limit.limit * 1.15] : [])], 'latency (log scale)') },
    plugins: {
      ...chartTitle(heading, `${what}; a ring marks each curve's knee`),
      legend: latencyLegend(sweep),
      guides: { levels, callouts: knees(sweep, x, (p) => latency(p.p99)) },
    },
  });
}

export function sweepThroughputChart(sweep: Sweep): ChartSpec {
  const x = xAxis(sweep);
  const load = isLoadSweep(sweep);
  const datasets: ChartDataset<'line', Point[]>[] = sweep.curves.map((c, i) =>
    curveLine(c.label, c.points.map((p) => ({ x: x.of(p), y: p.throughput })), paletteColor(i)));
  if (load) {
    const top = Math.max(...sweep.curves.flatMap((c) => c.points.map((p) => Math.max(p.x, p.offered))));
    datasets.push({
      label: 'throughput = offered', data: [{ x: 0, y: 0 }, { x: top, y: top }],
      borderColor: MUTED, backgroundColor: MUTED, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0,
    });
  }
  const heading = 'Throughput across the sweep';
  const subtitle = load
    ? 'requests answered per second at each offered load; below the dashed diagonal the farm falls behind'
    : `requests answered per second at each value of ${sweep.path}`;
  return lineChart('sweep-throughput', heading, datasets, {
    scales: {
      x: x.scale,
      y: { type: 'linear', min: 0, grace: '5%', title: { display: true, text: 'throughput (requests/s)' } },
    },
    plugins: {
      ...chartTitle(heading, subtitle),
      legend: LEGEND_LINES,
      guides: { callouts: knees(sweep, x, (p) => p.throughput) },
    },
  });
}

/** The sweep's two charts: latency, then throughput. */
export function sweepCharts(result: Result): ChartSpec[] {
  if (!result.sweep || result.sweep.curves.every((c) => c.points.length === 0)) return [];
  return [sweepLatencyChart(result.sweep, result.slo), sweepThroughputChart(result.sweep)];
}
