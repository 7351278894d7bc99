// The data files of a report: results.json (the whole Result) and timeseries.csv (one row per
// step, for spreadsheets and RRD-style graphs).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from './result.ts';

export function resultJson(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function timeSeriesCsv(result: Result): string {
  const { t, columns } = result.series;
  const names = Object.keys(columns);
  const lines = [['t', ...names].map(csvField).join(',')];
  for (let i = 0; i < t.length; i++) {
    lines.push([t[i], ...names.map((n) => columns[n]![i])].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes results.json and timeseries.csv into `dir`; returns the paths written. */
export function writeDataFiles(result: Result, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const csv = join(dir, 'timeseries.csv');
  writeFileSync(json, resultJson(result));
  writeFileSync(csv, timeSeriesCsv(result));
  return [json, csv];
}
