// The latency distribution as a CDF on a logarithmic latency axis: the share of requests
// answered within each latency, so the median and the tail read off one curve. Several
// variants are several curves.

import type { ChartDataset } from 'chart.js';
import { formatDuration } from '../format.ts';
import type { Variant } from '../variant.ts';
import type { Instant, Level } from './guides.ts';
import { lineChart, type ChartSpec } from './spec.ts';
import { MUTED, PERCENTILE_COLORS, SLO_COLOR, paletteColor } from './theme.ts';
import { logDurationAxis } from './log-axis.ts';
import { chartTitle, LEGEND_LINES, type Point } from './timeline.ts';

export function cdfChart(variants: Variant[], heading = 'Latency distribution'): ChartSpec {
  const all = variants.flatMap((v) => v.result.cdf.map((p) => p.latency)).filter((x) => x > 0);
  const single = variants.length === 1;
  const datasets: ChartDataset<'line', Point[]>[] = variants.map((v, i) => {
    const color = single ? PERCENTILE_COLORS.p99 : paletteColor(i);
    return {
      label: v.name,
      data: v.result.cdf.filter((p) => p.latency > 0).map((p) => ({ x: p.latency, y: p.share * 100 })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 2.5,
    };
  });
  // Seconds on the axis, each tick written with its own unit (5ms, 1s): a log axis spans units.
  const x = logDurationAxis(all, 'latency (log scale)');
  const max = x.max as number;
  const levels: Level[] = [
    // Labelled on the left, where the curve is still low.
    { value: 50, label: 'p50', color: MUTED, dash: [2, 4], labelAt: 'start' },
    { value: 90, label: 'p90', color: MUTED, dash: [2, 4], labelAt: 'start' },
    { value: 99, label: 'p99', color: MUTED, dash: [2, 4], labelAt: 'start' },
  ];
  const slo = variants[0]!.result.slo?.checks.find((c) => c.target.startsWith('p99'));
  const instants: Instant[] = slo && slo.limit <= max
    ? [{ x: slo.limit, label: `SLO p99 ≤ ${formatDuration(slo.limit)}`, color: SLO_COLOR, dash: [8, 5], side: 'left' }]
    : [];
  const title = chartTitle(heading, 'share of answered requests within each latency (log scale)');
  return lineChart('cdf', heading, datasets, {
    scales: {
      x,
      y: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'requests answered within (%)' }, ticks: { stepSize: 10 } },
    },
    plugins: { ...title, legend: { ...LEGEND_LINES, display: !single }, guides: { levels, instants } },
  });
}
