// What Chart.js does not draw by itself and a report needs: vertical lines at marked values
// (a fault, its detection, 100% busy, an SLO limit) labelled in a row above the plot, shaded
// spans (the warm-up), horizontal reference levels, value labels at the end of bars, a note on
// an empty chart, and a white background (PNG is transparent by default). Charts ask for them
// as plain data in options.plugins.guides.

import { layouts, type Chart, type ChartType, type LayoutItem, type Plugin } from 'chart.js';
import { FONT_FAMILY } from '../fonts.ts';
import { boxesOverlap, chartObstacles, coveredCount, drawCallouts, type Box as LabelBox, type Callout } from './callouts.ts';
import { BAND, FONT, INK, MUTED } from './theme.ts';

/** A vertical line at a value of the x axis (an instant, a limit), labelled above the plot. */
export interface Instant {
  x: number;
  label: string;
  color: string;
  /** Dashed unless given; [] for a solid line. */
  dash?: number[];
  /** Which side of the line its label prefers (it moves when it would leave the plot). */
  side?: 'left' | 'right';
}

/** A shaded span of the x axis, labelled in its top-left corner. */
export interface Band {
  from: number;
  to: number;
  label: string;
}

/** A horizontal line at a value of the y axis, labelled just above it. */
export interface Level {
  value: number;
  label: string;
  color: string;
  dash?: number[];
  /** Where the label sits: at the plot's right end (default) or its left start. */
  labelAt?: 'start' | 'end';
}

export interface GuideOptions {
  instants?: Instant[];
  bands?: Band[];
  levels?: Level[];
  /** Written in the middle of the plot when there is nothing to show ("no request failed"). */
  empty?: string;
  /** Bars of a horizontal bar chart get their value written at their end, as a percentage. */
  barPercent?: boolean;
  /** Points labelled where their label covers nothing else (a knee, a chosen plan). */
  callouts?: Callout[];
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    guides?: GuideOptions;
  }
}

const font = (weight = 400, size: number = FONT.small) => `${weight} ${size}px ${FONT_FAMILY}`;

/** Text with a white halo, so it stays readable over grid lines and data. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string): void {
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineWidth = 4;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
  ctx.restore();
}

/** A label on a white box, for text that sits over data (filled areas, crossing lines). */
function boxedText(ctx: CanvasRenderingContext2D, text: string, box: LabelBox, color: string): void {
  ctx.save();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.fillStyle = color;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, box.left + 4, (box.top + box.bottom) / 2 + 1);
  ctx.restore();
}

function drawBands(chart: Chart, bands: Band[]): void {
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x!;
  for (const b of bands) {
    const left = Math.max(area.left, x.getPixelForValue(b.from));
    const right = Math.min(area.right, x.getPixelForValue(b.to));
    if (right <= left) continue;
    ctx.save();
    ctx.fillStyle = BAND;
    ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
    ctx.restore();
  }
}

/**
 * Draws the levels, each label just above its line at the preferred end (or below it, or at the
 * other end) where it covers the fewest data lines and no other level's label; returns the
 * labels' boxes, for callouts to keep clear of.
 */
function drawLevels(chart: Chart, levels: Level[]): LabelBox[] {
  const { ctx, chartArea: area } = chart;
  const y = chart.scales.y;
  const boxes: LabelBox[] = [];
  if (!y) return boxes;
  const { segments, points } = chartObstacles(chart);
  for (const l of levels) {
    const p = y.getPixelForValue(l.value);
    if (p < area.top - 0.5 || p > area.bottom + 0.5) continue;
    ctx.save();
    ctx.strokeStyle = l.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(l.dash ?? []);
    ctx.beginPath();
    ctx.moveTo(area.left, p);
    ctx.lineTo(area.right, p);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = font(600);
    const w = ctx.measureText(l.label).width + 8;
    const h = FONT.small + 6;
    const preferred = l.labelAt ?? 'end';
    const ends = preferred === 'end' ? (['end', 'start'] as const) : (['start', 'end'] as const);
    const candidates: LabelBox[] = [];
    for (const above of [true, false]) {
      for (const at of ends) {
        const left = at === 'end' ? area.right - 4 - w : area.left + 4;
        const top = above ? p - 1 - h : p + 1;
        candidates.push({ left, top, right: left + w, bottom: top + h });
      }
    }
    const inside = candidates.filter((b) => b.top >= area.top - 0.5 && b.bottom <= area.bottom + 0.5 && !boxes.some((o) => boxesOverlap(o, b)));
    const scored = (inside.length ? inside : candidates).map((b, i) => ({ b, score: coveredCount(b, segments, points) * 10 + i }));
    const box = scored.reduce((a, c) => (c.score < a.score ? c : a)).b;
    boxedText(ctx, l.label, box, l.color);
    boxes.push(box);
    ctx.restore();
  }
  return boxes;
}

interface TimelineLabel {
  left: number;
  width: number;
  text: string;
  color: string;
  /** The instant's x in pixels (a band's label has none: it gets no line). */
  line?: number;
  dash?: number[];
  lane: number;
}

const LANE = FONT.small + 8;

/**
 * Every label of the timeline — the instants' and the bands' — left to right, each in the first
 * lane (row) where it overlaps nothing. `toPixel` maps an x value to pixels across [left, right].
 */
function laneLabels(
  ctx: CanvasRenderingContext2D, bands: Band[], instants: Instant[],
  toPixel: (x: number) => number, left: number, right: number,
): TimelineLabel[] {
  ctx.save();
  ctx.font = font(600);
  const labels: Omit<TimelineLabel, 'lane'>[] = [];
  for (const b of bands) {
    const from = Math.max(left, toPixel(b.from));
    const to = Math.min(right, toPixel(b.to));
    if (to - from >= 4) labels.push({ left: from, width: ctx.measureText(b.label).width + 8, text: b.label, color: MUTED });
  }
  for (const m of instants) {
    const p = toPixel(m.x);
    if (p < left - 0.5 || p > right + 0.5) continue;
    const width = ctx.measureText(m.label).width + 8;
    // On the preferred side of the line (right by default) when it fits there, else the other.
    const fitsRight = p + width <= right;
    const fitsLeft = p - width >= left;
    const toRight = m.side === 'left' ? !fitsLeft && fitsRight : fitsRight || !fitsLeft;
    const at = toRight ? Math.min(p, right - width) : Math.max(left, p - width);
    labels.push({ left: at, width, text: m.label, color: m.color, line: p, ...(m.dash ? { dash: m.dash } : {}) });
  }
  ctx.restore();
  const laneEnds: number[] = [];
  return labels.sort((a, b) => a.left - b.left).map((l) => {
    let lane = laneEnds.findIndex((end) => end + 4 <= l.left);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = l.left + l.width;
    return { ...l, lane };
  });
}

/**
 * A row above the plot, under the legend, tall enough for the timeline's label lanes, so labels
 * never sit on the data. Chart.js lays it out like its own title and legend boxes.
 */
class LabelRow {
  readonly position = 'top';
  readonly weight = 0;
  readonly fullSize = false;
  readonly options = {};
  top = 0;
  left = 0;
  right = 0;
  bottom = 0;
  width = 0;
  height = 0;
  constructor(private chart: Chart, private opts: GuideOptions) {}
  isHorizontal(): boolean {
    return true;
  }
  /** Lanes are counted with the plot's left edge and width as the layout knows them so far. */
  update(maxWidth: number, _maxHeight: number, margins: { left: number }): void {
    const { min, max, type } = this.chart.options.scales?.x as { min?: number; max?: number; type?: string };
    const log = type === 'logarithmic';
    const f = (v: number) => (log ? Math.log10(v) : v);
    const lo = f(min ?? (log ? 1 : 0));
    const hi = f(max ?? 10);
    const left = margins.left;
    const toPixel = (x: number) => left + ((f(x) - lo) / (hi - lo || 1)) * maxWidth;
    const labels = laneLabels(this.chart.ctx, this.opts.bands ?? [], this.opts.instants ?? [], toPixel, left, left + maxWidth);
    const lanes = labels.reduce((n, l) => Math.max(n, l.lane + 1), 0);
    this.width = maxWidth;
    this.height = lanes > 0 ? lanes * LANE + 2 : 0;
  }
  draw(): void {}
}

const rows = new WeakMap<Chart, LabelRow>();

/** The instants' lines down the plot, then their labels (and the bands') in the row above it. */
function drawTimeline(chart: Chart, bands: Band[], instants: Instant[]): void {
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x!;
  const labels = laneLabels(ctx, bands, instants, (v) => x.getPixelForValue(v), area.left, area.right);
  const row = rows.get(chart);
  const top = (lane: number) => (row ? row.top : area.top + 4) + lane * LANE;
  ctx.save();
  ctx.lineWidth = 1.5;
  for (const l of labels) {
    if (l.line === undefined) continue;
    ctx.setLineDash(l.dash ?? [6, 4]);
    ctx.strokeStyle = l.color;
    ctx.beginPath();
    ctx.moveTo(l.line, top(l.lane) + LANE - 4);
    ctx.lineTo(l.line, area.bottom);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.font = font(600);
  for (const l of labels) {
    const y = top(l.lane);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.95)';
    ctx.fillRect(l.left, y, l.width, LANE - 4);
    if (l.line !== undefined) {
      ctx.strokeStyle = l.color;
      ctx.lineWidth = 1;
      ctx.strokeRect(l.left, y, l.width, LANE - 4);
    }
    ctx.fillStyle = l.color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(l.text, l.left + 4, y + (LANE - 4) / 2 + 1);
  }
  ctx.restore();
}

function formatPercent(v: number): string {
  return `${v < 10 && v > 0 ? v.toFixed(2) : v.toFixed(1)}%`;
}

/** Values at the end of horizontal bars: outside when there is room, else inside in white. */
function drawBarPercent(chart: Chart): void {
  const { ctx, chartArea: area } = chart;
  ctx.save();
  ctx.font = font(600);
  ctx.textBaseline = 'middle';
  chart.data.datasets.forEach((ds, i) => {
    const meta = chart.getDatasetMeta(i);
    if (meta.hidden) return;
    meta.data.forEach((bar, j) => {
      const v = ds.data[j];
      if (typeof v !== 'number') return;
      const text = formatPercent(v);
      const w = ctx.measureText(text).width;
      const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
      if (x + 6 + w <= area.right) {
        ctx.textAlign = 'left';
        haloText(ctx, text, x + 6, y, INK);
      } else {
        ctx.textAlign = 'right';
        ctx.fillStyle = '#ffffff';
        ctx.fillText(text, x - 6, y);
      }
    });
  });
  ctx.restore();
}

function drawEmpty(chart: Chart, text: string): void {
  const { ctx, chartArea: area } = chart;
  ctx.save();
  ctx.font = font(400, FONT.title);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  haloText(ctx, text, (area.left + area.right) / 2, (area.top + area.bottom) / 2, MUTED);
  ctx.restore();
}

// Chart.js reads `descriptors` from a registered plugin; its types leave the field out.
export const guides: Plugin & { descriptors: object } = {
  id: 'guides',
  // Plain data, not scriptable: Chart.js would otherwise try to call or index into it.
  descriptors: { _scriptable: false, _indexable: false },
  beforeUpdate(chart, _args, opts: GuideOptions) {
    if (rows.has(chart) || !(opts.instants?.length || opts.bands?.length)) return;
    const row = new LabelRow(chart, opts);
    rows.set(chart, row);
    layouts.addBox(chart, row as unknown as LayoutItem);
  },
  beforeDatasetsDraw(chart, _args, opts: GuideOptions) {
    if (opts.bands?.length && chart.scales.x) drawBands(chart, opts.bands);
  },
  afterDatasetsDraw(chart, _args, opts: GuideOptions) {
    const levelLabels = opts.levels?.length ? drawLevels(chart, opts.levels) : [];
    if ((opts.instants?.length || opts.bands?.length) && chart.scales.x) drawTimeline(chart, opts.bands ?? [], opts.instants ?? []);
    if (opts.barPercent) drawBarPercent(chart);
    if (opts.callouts?.length) drawCallouts(chart, opts.callouts, levelLabels);
  },
  afterDraw(chart, _args, opts: GuideOptions) {
    if (opts.empty) drawEmpty(chart, opts.empty);
  },
};

export const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};
