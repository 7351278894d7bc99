// Chart.js on @napi-rs/canvas (Skia, no cairo): a ChartSpec in, PNG bytes out. The one place
// that touches Chart.js's global registry and the canvas' fonts.

import { BasicPlatform, Chart, registerables, type ChartConfiguration } from 'chart.js';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { FONT_FAMILY, FONT_FILES } from '../fonts.ts';
import { guides, whiteBackground } from './guides.ts';
import { rgbPng } from './png.ts';
import type { ChartSpec } from './spec.ts';
import { FONT, GRID, INK, SCALE } from './theme.ts';

let ready = false;

function setUp(): void {
  if (ready) return;
  for (const file of [FONT_FILES.regular, FONT_FILES.semibold]) {
    if (!GlobalFonts.registerFromPath(file, FONT_FAMILY)) throw new Error(`cannot load the report font ${file}`);
  }
  Chart.register(...registerables, guides, whiteBackground);
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = FONT.size;
  Chart.defaults.color = INK;
  Chart.defaults.borderColor = GRID;
  ready = true;
}

/** Draws the chart once, without animation, at SCALE device pixels per CSS pixel. */
export function renderChart(spec: ChartSpec): Buffer {
  setUp();
  const canvas = createCanvas(spec.width, spec.height);
  const config = {
    ...spec.config,
    platform: BasicPlatform,
    options: { ...spec.config.options, responsive: false, animation: false as const, devicePixelRatio: SCALE },
  };
  // Chart.js reads width, height and getContext('2d'), which the Skia canvas provides.
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, config as unknown as ChartConfiguration);
  try {
    return rgbPng(canvas.data(), canvas.width, canvas.height, 96 * SCALE);
  } finally {
    chart.destroy();
  }
}
