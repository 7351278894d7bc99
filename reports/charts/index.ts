// The charts of one run's report, in the order the PDF shows them.

import type { Result } from '../result.ts';
import { single, variantsOf } from '../variant.ts';
import { comparisonCharts } from './compare.ts';
import { cdfChart } from './cdf.ts';
import { directorCharts } from './director.ts';
import { errorsChart } from './errors.ts';
import { latencyChart } from './latency.ts';
import { planCharts } from './plan.ts';
import type { ChartSpec } from './spec.ts';
import { sweepCharts } from './sweep.ts';
import { throughputChart } from './throughput.ts';
import type { TimelineOptions } from './timeline.ts';
import { utilisationChart } from './utilisation.ts';

export type { ChartSpec } from './spec.ts';
export { renderChart } from './render.ts';
export { comparisonCharts } from './compare.ts';
export { sweepCharts } from './sweep.ts';
export { planCharts } from './plan.ts';

/**
 * The run's own charts (a lab run's with the director's counters), then, when it has `compare:` variants, the comparison charts, then a
 * sweep's (sweep-latency, sweep-throughput) and a capacity plan's frontier (plan-frontier).
 */
export function reportCharts(result: Result, options: TimelineOptions = {}): ChartSpec[] {
  const one = single(result);
  return [
    latencyChart(one, options),
    cdfChart(one),
    throughputChart(result, options),
    errorsChart(result, options),
    ...directorCharts(result, options),
    utilisationChart(one),
    ...(result.variants?.length ? comparisonCharts(variantsOf(result)) : []),
    ...sweepCharts(result),
    ...planCharts(result),
  ];
}
