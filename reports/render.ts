// The report's edge: renders a Result's charts to PNG and its PDF next to results.json and
// timeseries.csv. The only file I/O in reports/ besides data.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenarios/schema.ts';
import { renderChart, reportCharts } from './charts/index.ts';
import type { TimelineOptions } from './charts/timeline.ts';
import { findings } from './findings.ts';
import { buildPdf, type RenderedChart } from './pdf.ts';
import type { Result } from './result.ts';
import { scenarioFacts } from './scenario-facts.ts';

export type ReportOptions = TimelineOptions;

/** The charts as PNG bytes, by file name (latency.png, …), without writing anything. */
export function renderCharts(result: Result, options: ReportOptions = {}): RenderedChart[] {
  return reportCharts(result, options).map((spec) => ({ spec, png: renderChart(spec) }));
}

/** The PDF report's bytes, without writing anything. */
export function reportPdf(result: Result, scenario: Scenario | undefined, charts: RenderedChart[]): Promise<Buffer> {
  return buildPdf({ result, facts: scenarioFacts(result, scenario), findings: findings(result, scenario), charts });
}

/** Writes <chart>.png for every chart and report.pdf into `dir`; returns the paths written. */
export async function renderReport(result: Result, scenario: Scenario | undefined, dir: string, options: ReportOptions = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const charts = renderCharts(result, options);
  const written: string[] = [];
  for (const c of charts) {
    const file = join(dir, `${c.spec.name}.png`);
    writeFileSync(file, c.png);
    written.push(file);
  }
  const pdf = join(dir, 'report.pdf');
  writeFileSync(pdf, await reportPdf(result, scenario, charts));
  written.push(pdf);
  return written;
}
