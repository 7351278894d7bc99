// The charts of a comparison: the variants of a `compare:` list (or any named Results, such as
// a sweep's runs) side by side — p99 over time, the latency CDFs, and utilisation per resource
// when the variants share few enough resources for grouped bars to stay readable.

import type { Variant } from '../variant.ts';
import { cdfChart } from './cdf.ts';
import { latencyChart } from './latency.ts';
import type { ChartSpec } from './spec.ts';
import { utilisationChart } from './utilisation.ts';

/** More resources than this and grouped bars would not fit a page. */
const MAX_GROUPED_RESOURCES = 14;

export function comparisonCharts(variants: Variant[]): ChartSpec[] {
  const charts: ChartSpec[] = [
    { ...latencyChart(variants, { markers: [] }, 'Latency of each variant over time'), name: 'compare-latency' },
    { ...cdfChart(variants, 'Latency distribution of each variant'), name: 'compare-cdf' },
  ];
  const resources = new Set(variants.flatMap((v) => v.result.resources.map((r) => r.name)));
  if (resources.size <= MAX_GROUPED_RESOURCES) {
    charts.push({ ...utilisationChart(variants, 'Utilisation per resource, by variant'), name: 'compare-utilisation' });
  }
  return charts;
}
