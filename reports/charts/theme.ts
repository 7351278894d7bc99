// Sizes and colours shared by every chart. A chart is drawn at WIDTH×HEIGHT CSS pixels and
// rendered at SCALE device pixels per CSS pixel; the PDF prints it 515pt wide (A4 less margins),
// so 15px type prints at about 9.5pt.

import type { ErrorCause } from '../result.ts';

export const WIDTH = 800;
export const HEIGHT = 400;
export const SCALE = 2;

export const FONT = { size: 15, title: 17, small: 13 } as const;

export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e3e3e3';
export const GRID_FAINT = '#f3f3f3';
export const BAND = 'rgba(0, 0, 0, 0.06)';

/** Categorical colours (Tableau 10): servers, variants. */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2',
  '#edc948', '#ff9da7', '#9c755f', '#bab0ac', '#e15759',
];

export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** Latency percentiles: the higher the percentile, the darker the blue. */
export const PERCENTILE_COLORS = { p50: '#9ecae1', p90: '#4292c6', p99: '#08306b' } as const;

export const CAUSE_COLORS: Record<ErrorCause, string> = {
  refused: '#f28e2b',
  reset: '#b07aa1',
  timeout: '#e15759',
  unreachable: '#ff9da7',
  noServer: '#7f3c8d',
  error: '#9c755f',
};

/** Busy levels for utilisation bars: headroom, watch, bottleneck (≥ 90%). */
export const LEVEL_COLORS = { headroom: '#4e79a7', high: '#f2a33a', bottleneck: '#d62728' } as const;

export const SLO_COLOR = '#d62728';

/** Timeline markers by what happened. */
export const MARKER_COLORS: Record<string, string> = {
  fault: '#d62728',
  detection: '#f28e2b',
  moved: '#2ca02c',
  recover: '#1f77b4',
};

/** Adds transparency to a #rrggbb colour (area fills under stacked lines). */
export function alpha(hex: string, a: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
