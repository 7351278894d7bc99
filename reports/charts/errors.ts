// Failed requests over time, stacked by cause: refused, reset, timeout, no server, error. Only
// the causes that happened get a bar and a legend entry; a run without failures says so.

import type { ChartDataset } from 'chart.js';
import { formatDuration } from '../format.ts';
import { ERROR_CAUSES, type ErrorCause, type Result } from '../result.ts';
import { CAUSE_TEXT } from '../causes.ts';
import type { ChartSpec } from './spec.ts';
import { CAUSE_COLORS, HEIGHT, WIDTH } from './theme.ts';
import { chartTitle, LEGEND, stepPoints, timeAxis, timelineGuides, type Point, type TimelineOptions } from './timeline.ts';

export function errorsChart(result: Result, options: TimelineOptions = {}): ChartSpec {
  const step = result.series.step;
  const columns = result.series.columns;
  const happened = ERROR_CAUSES.filter((c) => (columns[c] ?? []).some((v) => v > 0));
  const datasets: ChartDataset<'bar', Point[]>[] = happened.map((cause) => ({
    label: CAUSE_TEXT[cause].title,
    data: stepPoints(result, cause, (v) => v / step),
    backgroundColor: CAUSE_COLORS[cause],
    borderWidth: 0,
    barPercentage: 1,
    categoryPercentage: 0.9,
    stack: 'failed',
  }));
  const guides = { ...timelineGuides(result, options), ...(happened.length === 0 ? { empty: 'No request failed' } : {}) };
  return {
    name: 'errors',
    title: 'Failed requests by cause',
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'bar',
      data: { datasets },
      options: {
        scales: {
          // A bar chart offsets its axis by half a bar; steps already sit at their middles.
          x: { ...timeAxis(result), stacked: true, offset: false, grid: { offset: false } },
          y: { type: 'linear', stacked: true, min: 0, suggestedMax: 1, grace: happened.length > 0 ? '5%' : 0, title: { display: true, text: 'failed (requests/s)' } },
        },
        plugins: {
          ...chartTitle('Failed requests by cause', `requests failed per second in each ${formatDuration(step)} step`),
          legend: { ...LEGEND, display: happened.length > 0 },
          guides,
        },
      },
    },
  };
}
