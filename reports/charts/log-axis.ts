// A logarithmic axis of durations, in seconds, each labelled tick written with its own unit
// (500µs, 5ms, 1s): latencies span decades, and a log axis spans units.

import type { ScaleOptions } from 'chart.js';
import { formatDuration } from '../format.ts';
import { GRID, GRID_FAINT } from './theme.ts';

/** The 1-2-5 value at or below x (or at or above it when `up`): tidy ends for a log axis. */
export function niceLog(x: number, up: boolean): number {
  const e = Math.floor(Math.log10(x));
  const steps = [1, 2, 5, 10].map((m) => m * 10 ** e);
  return up ? steps.find((s) => s >= x * (1 - 1e-9))! : [...steps].reverse().find((s) => s <= x * (1 + 1e-9))!;
}

/**
 * The mantissas that get a tick label on a log axis spanning `decades`: more on a short axis,
 * 1-2-5 when they fit, then 1 and 5, then powers of ten only; the other ticks keep
 * their grid line.
 */
export function labelledMantissas(decades: number): number[] {
  // A short axis (20ms..50ms) would show two labels with 1-2-5 alone: label more ticks.
  if (decades < 0.5) return [1, 2, 3, 4, 5, 6, 7, 8, 9];
  if (decades < 1.2) return [1, 2, 3, 5, 7];
  if (decades <= 3.5) return [1, 2, 5];
  if (decades <= 5.5) return [1, 5];
  return [1];
}

export function mantissaOf(v: number): number {
  return v / 10 ** Math.floor(Math.log10(v) + 1e-9);
}

/** The axis for these durations (seconds; zeros and gaps are left out), titled `title`. */
export function logDurationAxis(values: number[], title: string): ScaleOptions<'logarithmic'> {
  const positive = values.filter((v) => v > 0);
  const min = positive.length ? niceLog(Math.min(...positive), false) : 1e-3;
  const max = positive.length ? niceLog(Math.max(...positive), true) : 1;
  const shown = labelledMantissas(Math.log10(max / min));
  return {
    type: 'logarithmic',
    min,
    max,
    title: { display: true, text: title },
    // Unlabelled ticks (3, 4, 6…) keep a fainter grid line, so the labelled ones read as the scale.
    grid: { color: (c) => (c.tick?.label ? GRID : GRID_FAINT) },
    ticks: {
      autoSkip: false,
      maxRotation: 0,
      callback: (v) => (shown.some((m) => Math.abs(mantissaOf(Number(v)) - m) < 1e-6) ? formatDuration(Number(v)) : ''),
    },
  };
}
