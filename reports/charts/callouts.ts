// Labelled points on a chart: a sweep's knee ("knee 600/s"), a plan's chosen farm. Each point
// gets a ring and a short label in a white box, placed around the point where it covers no
// other label, marker or line (or as few lines as it can), tied to its point by a leader line
// when it had to move away. Drawn after the datasets, so labels sit on top.

import type { Chart } from 'chart.js';
import { FONT_FAMILY } from '../fonts.ts';
import { FONT } from './theme.ts';

export interface Callout {
  /** The point, in the axes' values. */
  x: number;
  y: number;
  label: string;
  color: string;
  /** A ring round the point (default), or none when a dataset already draws a marker there. */
  marker?: 'ring' | 'none';
  /** Larger type, for the one point the chart is about. */
  strong?: boolean;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type Segment = [x1: number, y1: number, x2: number, y2: number];

const RING = 7;
const PAD = 3;

export function boxesOverlap(a: Box, b: Box, pad = PAD): boolean {
  return a.left < b.right + pad && b.left < a.right + pad && a.top < b.bottom + pad && b.top < a.bottom + pad;
}

/** Liang–Barsky: does the segment cross the box? */
function crosses(s: Segment, b: Box): boolean {
  const [x1, y1, x2, y2] = s;
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [[-dx, x1 - b.left], [dx, b.right - x1], [-dy, y1 - b.top], [dy, b.bottom - y1]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** Every drawn line of the chart's visible line datasets, and every drawn point as a small box. */
export function chartObstacles(chart: Chart): { segments: Segment[]; points: Box[] } {
  const segments: Segment[] = [];
  const points: Box[] = [];
  chart.data.datasets.forEach((ds, i) => {
    const meta = chart.getDatasetMeta(i);
    if (meta.hidden || meta.type !== 'line') return;
    const showLine = (ds as { showLine?: boolean }).showLine !== false;
    const radius = Number((ds as { pointRadius?: number }).pointRadius ?? 3);
    let prev: { x: number; y: number } | undefined;
    for (const el of meta.data) {
      const p = el as unknown as { x: number; y: number; skip?: boolean };
      if (p.skip || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
        prev = undefined;
        continue;
      }
      if (radius > 0) points.push({ left: p.x - radius, top: p.y - radius, right: p.x + radius, bottom: p.y + radius });
      if (prev && showLine) segments.push([prev.x, prev.y, p.x, p.y]);
      prev = p;
    }
  });
  return { segments, points };
}

/** How many data lines and points the box covers. */
export function coveredCount(box: Box, segments: Segment[], points: Box[]): number {
  return segments.filter((s) => crosses(s, box)).length + points.filter((p) => boxesOverlap(p, box, 0)).length;
}

/** The 8 directions around a point, preferred first: above right, above left, below…, then straight. */
const DIRECTIONS: [number, number][] = [[1, -1], [-1, -1], [1, 1], [-1, 1], [0, -1], [0, 1], [1, 0], [-1, 0]];
const DISTANCES = [6, 18, 34, 54, 80, 110];

/** The label's box when its nearest corner (or edge middle) sits `d` px from the point along `dir`. */
function boxAt(px: number, py: number, w: number, h: number, [dx, dy]: [number, number], d: number): Box {
  const reach = RING + d;
  const cx = px + dx * reach;
  const cy = py + dy * reach;
  const left = dx > 0 ? cx : dx < 0 ? cx - w : cx - w / 2;
  const top = dy > 0 ? cy : dy < 0 ? cy - h : cy - h / 2;
  return { left, top, right: left + w, bottom: top + h };
}

export interface PlacedCallout {
  callout: Callout;
  px: number;
  py: number;
  box: Box;
  /** Lines of the chart the label covers (0 when it found a clear spot). */
  crossings: number;
}

/**
 * Places every label: for each (in order), the nearest spot inside `area` that overlaps no label
 * already placed, no other callout's ring and as few lines and points of the data as possible.
 * `reserved` are boxes already taken (a level's label). Pure geometry, so tests can check it.
 */
export function placeCallouts(
  items: { callout: Callout; px: number; py: number; width: number; height: number }[],
  area: Box, segments: Segment[], points: Box[], reserved: Box[] = [],
): PlacedCallout[] {
  const rings: Box[] = items.map((i) => ({ left: i.px - RING, top: i.py - RING, right: i.px + RING, bottom: i.py + RING }));
  const taken: Box[] = [...reserved];
  const placed: PlacedCallout[] = [];
  items.forEach((item, k) => {
    let best: { box: Box; score: number; crossings: number } | undefined;
    for (const d of DISTANCES) {
      DIRECTIONS.forEach((dir, j) => {
        const box = boxAt(item.px, item.py, item.width, item.height, dir, d);
        if (box.left < area.left + 2 || box.right > area.right - 2 || box.top < area.top + 2 || box.bottom > area.bottom - 2) return;
        if (taken.some((t) => boxesOverlap(t, box))) return;
        if (rings.some((r, i) => boxesOverlap(r, box, i === k ? 0 : PAD))) return;
        const crossings = segments.filter((s) => crosses(s, box)).length
          + points.filter((p) => boxesOverlap(p, box, 0) && !boxesOverlap(p, rings[k]!, 0)).length;
        const score = crossings * 1000 + d * 2 + j;
        if (!best || score < best.score) best = { box, score, crossings };
      });
    }
    // Nowhere free inside the plot (a crowded corner): above right of the point, clamped.
    if (!best) {
      const box = boxAt(item.px, item.py, item.width, item.height, [1, -1], DISTANCES[0]!);
      const dx = Math.min(0, area.right - 2 - box.right) + Math.max(0, area.left + 2 - box.left);
      const dy = Math.max(0, area.top + 2 - box.top) + Math.min(0, area.bottom - 2 - box.bottom);
      best = { box: { left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy }, score: Infinity, crossings: -1 };
    }
    taken.push(best.box);
    placed.push({ callout: item.callout, px: item.px, py: item.py, box: best.box, crossings: best.crossings });
  });
  return placed;
}

const font = (c: Callout) => `600 ${c.strong ? FONT.size : FONT.small}px ${FONT_FAMILY}`;

/** The point of the box nearest to (x, y): where a leader line ends. */
function nearest(b: Box, x: number, y: number): [number, number] {
  return [Math.min(Math.max(x, b.left), b.right), Math.min(Math.max(y, b.top), b.bottom)];
}

export function drawCallouts(chart: Chart, callouts: Callout[], reserved: Box[] = []): PlacedCallout[] {
  const { ctx, chartArea: area } = chart;
  const xs = chart.scales.x;
  const ys = chart.scales.y;
  if (!xs || !ys) return [];
  ctx.save();
  const items = callouts.flatMap((c) => {
    const px = xs.getPixelForValue(c.x);
    const py = ys.getPixelForValue(c.y);
    if (!Number.isFinite(px) || !Number.isFinite(py)) return [];
    if (px < area.left - 1 || px > area.right + 1 || py < area.top - 1 || py > area.bottom + 1) return [];
    ctx.font = font(c);
    const size = c.strong ? FONT.size : FONT.small;
    return [{ callout: c, px, py, width: ctx.measureText(c.label).width + 10, height: size + 8 }];
  });
  const { segments, points } = chartObstacles(chart);
  const placed = placeCallouts(items, area, segments, points, reserved);
  // Rings first, then leader lines, then labels, so no label is crossed by another's line.
  for (const p of placed) {
    if ((p.callout.marker ?? 'ring') === 'none') continue;
    ctx.beginPath();
    ctx.arc(p.px, p.py, RING, 0, 2 * Math.PI);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = p.callout.color;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(p.px, p.py, 3, 0, 2 * Math.PI);
    ctx.fillStyle = p.callout.color;
    ctx.fill();
  }
  for (const p of placed) {
    const [ex, ey] = nearest(p.box, p.px, p.py);
    const dist = Math.hypot(ex - p.px, ey - p.py);
    if (dist <= RING + 4) continue;
    const f = RING / dist;
    ctx.beginPath();
    ctx.moveTo(p.px + (ex - p.px) * f, p.py + (ey - p.py) * f);
    ctx.lineTo(ex, ey);
    ctx.lineWidth = 1.25;
    ctx.strokeStyle = p.callout.color;
    ctx.stroke();
  }
  for (const p of placed) {
    const { box, callout: c } = p;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.94)';
    ctx.fillRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    ctx.lineWidth = 1;
    ctx.strokeStyle = c.color;
    ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.right - box.left - 1, box.bottom - box.top - 1);
    ctx.font = font(c);
    ctx.fillStyle = c.color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(c.label, box.left + 5, (box.top + box.bottom) / 2 + 1);
  }
  ctx.restore();
  return placed;
}
