// Throughput per real server over time, stacked: the top of the stack is the farm's answered
// rate, each band one server's part of it; the dashed line is the rate requests were sent at,
// so the gap between the two is what failed or is still waiting.

import type { ChartDataset } from 'chart.js';
import { formatDuration } from '../format.ts';
import type { Result } from '../result.ts';
import type { ChartSpec } from './spec.ts';
import { HEIGHT, INK, WIDTH, alpha, paletteColor } from './theme.ts';
import { chartTitle, LEGEND, stepPoints, timeAxis, timelineGuides, type Point, type TimelineOptions } from './timeline.ts';

export function throughputChart(result: Result, options: TimelineOptions = {}): ChartSpec {
  const step = result.series.step;
  const perSecond = (v: number) => v / step;
  const servers: ChartDataset<'line', Point[]>[] = result.servers.map((s, i) => ({
    label: `${s.site}/${s.name}`,
    data: stepPoints(result, `ok ${s.site}/${s.name}`, perSecond),
    stack: 'answered',
    fill: i === 0 ? 'origin' : '-1',
    borderColor: paletteColor(i),
    backgroundColor: alpha(paletteColor(i), 0.55),
    borderWidth: 1.5,
    pointRadius: 0,
  }));
  const sent: ChartDataset<'line', Point[]> = {
    label: 'sent',
    data: stepPoints(result, 'sent', perSecond),
    stack: 'sent',
    fill: false,
    borderColor: INK,
    // Transparent, so its legend entry is a dashed outline like the line itself.
    backgroundColor: 'rgba(0, 0, 0, 0)',
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
  };
  const subtitle = `requests answered per second in each ${formatDuration(step)} step, by real server`;
  return {
    name: 'throughput',
    title: 'Throughput per real server',
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'line',
      data: { datasets: [...servers, sent] },
      options: {
        scales: {
          x: timeAxis(result),
          y: { type: 'linear', stacked: true, min: 0, grace: '5%', title: { display: true, text: 'throughput (requests/s)' } },
        },
        plugins: { ...chartTitle('Throughput per real server', subtitle), legend: LEGEND, guides: timelineGuides(result, options) },
      },
    },
  };
}
