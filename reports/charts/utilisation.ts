// Utilisation per resource: how busy each CPU, NIC and link was over the measured window, as
// horizontal bars from the busiest down, with the 90% bottleneck mark and the 100% line.
// One variant colours bars by level (headroom, high, bottleneck); several are grouped bars.

import type { ChartDataset } from 'chart.js';
import { BOTTLENECK, level } from '../levels.ts';
import { busiest, type ResourceUse } from '../result.ts';
import type { Variant } from '../variant.ts';
import type { Instant } from './guides.ts';
import type { ChartSpec } from './spec.ts';
import { LEVEL_COLORS, MUTED, WIDTH, paletteColor } from './theme.ts';
import { chartTitle, LEGEND } from './timeline.ts';


export function utilisationChart(variants: Variant[], heading = 'Utilisation per resource'): ChartSpec {
  const order = busiest(variants[0]!.result).map((r) => r.name);
  for (const v of variants.slice(1)) for (const r of v.result.resources) if (!order.includes(r.name)) order.push(r.name);
  const use = (v: Variant, name: string): ResourceUse | undefined => v.result.resources.find((r) => r.name === name);
  const single = variants.length === 1;
  const datasets: ChartDataset<'bar', (number | null)[]>[] = variants.map((v, i) => {
    const values = order.map((name) => {
      const u = use(v, name);
      return u ? +(u.utilisation * 100).toFixed(3) : null;
    });
    return {
      label: v.name,
      data: values,
      backgroundColor: single ? values.map((x) => LEVEL_COLORS[level((x ?? 0) / 100)]) : paletteColor(i),
      borderWidth: 0,
      barPercentage: 0.85,
      categoryPercentage: single ? 0.8 : 0.85,
    };
  });
  const top = Math.max(100, ...datasets.flatMap((d) => d.data.map((x) => x ?? 0)));
  const instants: Instant[] = [
    { x: BOTTLENECK * 100, label: 'bottleneck ≥ 90%', color: LEVEL_COLORS.bottleneck, dash: [6, 4], side: 'left' },
    { x: 100, label: '100%', color: MUTED, dash: [], side: 'left' },
  ];
  const rowHeight = single ? 34 : 12 + 20 * variants.length;
  const height = Math.max(260, 150 + order.length * rowHeight);
  const title = chartTitle(heading, 'busy share of each resource over the measured window');
  return {
    name: 'utilisation',
    title: heading,
    width: WIDTH,
    height,
    config: {
      type: 'bar',
      data: { labels: order, datasets },
      options: {
        indexAxis: 'y',
        scales: {
          x: { type: 'linear', min: 0, max: top, title: { display: true, text: 'utilisation (% busy)' }, ticks: { stepSize: 10 } },
          y: { type: 'category', grid: { display: false } },
        },
        plugins: { ...title, legend: { ...LEGEND, display: !single }, guides: { instants, barPercent: true } },
      },
    },
  };
}
