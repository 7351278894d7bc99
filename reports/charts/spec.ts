// A chart as data: what to draw and at what size. Builders return these without drawing, so
// they are cheap to test; render.ts turns one into a PNG.

import type { ChartConfiguration, ChartDataset, ChartOptions } from 'chart.js';
import { HEIGHT, WIDTH } from './theme.ts';

export type ChartConfig = ChartConfiguration<'line', unknown[]> | ChartConfiguration<'bar', unknown[]>;

export interface ChartSpec {
  /** The PNG's file name without extension: latency, throughput, errors, utilisation, cdf. */
  name: string;
  /** What the chart shows, for the PDF's alt text and headings. */
  title: string;
  /** CSS pixels; the PNG is SCALE times larger. */
  width: number;
  height: number;
  config: ChartConfig;
}

/** A line chart at the report's usual size. */
export function lineChart(name: string, title: string, datasets: ChartDataset<'line', unknown[]>[], options: ChartOptions<'line'>): ChartSpec {
  return { name, title, width: WIDTH, height: HEIGHT, config: { type: 'line', data: { datasets }, options } };
}
