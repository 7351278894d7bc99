// The PDF's page geometry, type and colours, and the fonts it embeds. A4 portrait in points.

import type PDFDocument from 'pdfkit';
import { FONT_FILES } from './fonts.ts';
import type { Tone } from './findings.ts';

export const PAGE = { width: 595.28, height: 841.89, margin: 48 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const BOTTOM = PAGE.height - PAGE.margin;

export const FONTS = { regular: 'Inter', semibold: 'Inter-SemiBold', bold: 'Inter-Bold' } as const;
export const SIZE = { body: 10, small: 8.5, table: 9, heading: 15, subheading: 11.5, title: 26, figure: 17 } as const;

export const COLORS = {
  ink: '#222222',
  muted: '#666666',
  rule: '#d0d0d0',
  zebra: '#f5f6f8',
  accent: '#08306b',
} as const;

export const TONE_COLORS: Record<Tone, string> = {
  good: '#2e7d32',
  info: '#777777',
  warning: '#e08a00',
  problem: '#c62828',
};

type Doc = InstanceType<typeof PDFDocument>;

/** Embeds Inter (subset to the glyphs used), so text is vector, searchable and the same everywhere. */
export function registerFonts(doc: Doc): void {
  doc.registerFont(FONTS.regular, FONT_FILES.regular);
  doc.registerFont(FONTS.semibold, FONT_FILES.semibold);
  doc.registerFont(FONTS.bold, FONT_FILES.bold);
}
