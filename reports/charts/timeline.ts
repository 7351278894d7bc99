// What the charts over time share: a time axis in the run's own unit, per-step values placed
// at the middle of their step, the warm-up shaded, and the run's instants (a fault, its
// detection, traffic moved) marked as vertical lines.

import { Chart, type ChartOptions, type LegendItem, type ScaleOptions } from 'chart.js';
import { timeUnit, type AxisUnit } from '../format.ts';
import type { Marker, Result } from '../result.ts';
import type { Band, GuideOptions, Instant } from './guides.ts';
import { FONT, MARKER_COLORS, MUTED } from './theme.ts';

export interface Point {
  x: number;
  y: number | null;
}

export interface TimelineOptions {
  /** Instants to mark; by default the Result's own markers. */
  markers?: Marker[];
}

export function timeAxisUnit(result: Result): AxisUnit {
  return timeUnit(result.scenario.duration);
}

/** A series column as points at the middle of each step; `value` maps (count, step index) to y. */
export function stepPoints(result: Result, column: string, value: (v: number, i: number) => number | null): Point[] {
  const { t, step, columns } = result.series;
  const values = columns[column];
  if (!values) return [];
  const { factor } = timeAxisUnit(result);
  return t.map((start, i) => ({ x: (start + step / 2) * factor, y: value(values[i]!, i) }));
}

export function timeAxis(result: Result): ScaleOptions<'linear'> {
  const { unit, factor } = timeAxisUnit(result);
  return {
    type: 'linear',
    min: 0,
    max: result.scenario.duration * factor,
    title: { display: true, text: `time (${unit})` },
    ticks: { maxTicksLimit: 13 },
  };
}

export function timelineGuides(result: Result, options: TimelineOptions = {}): GuideOptions {
  const { factor } = timeAxisUnit(result);
  const bands: Band[] = result.window.from > 0 ? [{ from: 0, to: result.window.from * factor, label: 'warm-up' }] : [];
  const instants: Instant[] = (options.markers ?? result.markers ?? []).map((m) => ({
    x: m.t * factor,
    label: m.label,
    color: MARKER_COLORS[m.kind] ?? MUTED,
  }));
  return { bands, instants };
}

type Plugins = NonNullable<ChartOptions<'line'>['plugins']>;

export function chartTitle(text: string, subtitle?: string): Pick<Plugins, 'title' | 'subtitle'> {
  return {
    title: { display: true, text, font: { size: FONT.title, weight: 600 }, padding: { top: 4, bottom: subtitle ? 2 : 8 } },
    subtitle: { display: !!subtitle, text: subtitle ?? '', color: MUTED, font: { size: FONT.small }, padding: { bottom: 8 } },
  };
}

export const LEGEND = {
  position: 'top' as const,
  labels: { boxWidth: 22, boxHeight: 10, padding: 14 },
};

/**
 * For line charts: each legend entry a short line in the dataset's colour and dash. Chart.js's
 * own 'line' legend style takes the point's style, which has no dash, so the dash is copied here.
 */
export const LEGEND_LINES = {
  ...LEGEND,
  labels: {
    ...LEGEND.labels,
    usePointStyle: true,
    pointStyleWidth: 30,
    generateLabels: (chart: Chart): LegendItem[] =>
      Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
        const ds = chart.data.datasets[item.datasetIndex ?? 0] as { borderDash?: number[]; borderColor?: string };
        return { ...item, pointStyle: 'line' as const, lineDash: ds.borderDash ?? [], strokeStyle: ds.borderColor ?? item.strokeStyle, lineWidth: 2.5 };
      }),
  },
};
