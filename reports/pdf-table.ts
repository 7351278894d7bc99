// Draws a Table on the PDF: a header with a rule, zebra rows, numbers right-aligned. Columns
// take their natural width; spare width goes to the text columns, and when the table is too
// wide the widest text column wraps. A table that runs off the page goes on with its header.

import type PDFDocument from 'pdfkit';
import { BOTTOM, COLORS, FONTS, PAGE, SIZE } from './pdf-style.ts';
import type { Table } from './tables.ts';

type Doc = InstanceType<typeof PDFDocument>;

const PAD = 6;
const ROW = SIZE.table + 7;

function columnWidths(doc: Doc, table: Table, width: number): number[] {
  doc.font(FONTS.semibold).fontSize(SIZE.table);
  const header = table.columns.map((c) => doc.widthOfString(c.title));
  doc.font(FONTS.regular);
  const widths = table.columns.map((_, i) =>
    Math.max(header[i]!, ...table.rows.map((r) => doc.widthOfString(r[i] ?? ''))) + 2 * PAD);
  const total = widths.reduce((a, b) => a + b, 0);
  const text = table.columns.map((c, i) => (c.align === 'left' ? i : -1)).filter((i) => i >= 0);
  if (total > width && text.length > 0) {
    const widest = text.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
    widths[widest] = Math.max(60, widths[widest]! - (total - width));
  } else if (total < width) {
    const grow = text.length > 0 ? [text.at(-1)!] : widths.map((_, i) => i);
    for (const i of grow) widths[i]! += (width - total) / grow.length;
  }
  return widths;
}

function drawHeader(doc: Doc, table: Table, x: number, y: number, widths: number[]): number {
  doc.font(FONTS.semibold).fontSize(SIZE.table).fillColor(COLORS.muted);
  let cx = x;
  table.columns.forEach((c, i) => {
    doc.text(c.title, cx + PAD, y + 3, { width: widths[i]! - 2 * PAD, align: c.align, lineBreak: false });
    cx += widths[i]!;
  });
  const end = y + ROW;
  doc.moveTo(x, end).lineTo(cx, end).lineWidth(0.75).strokeColor(COLORS.rule).stroke();
  return end + 1;
}

/** Draws the table at the current position across `width`; leaves doc.y below it. */
export function drawTable(doc: Doc, table: Table, width: number, x = PAGE.margin): void {
  const widths = columnWidths(doc, table, width);
  const full = widths.reduce((a, b) => a + b, 0);
  let y = drawHeader(doc, table, x, doc.y, widths);
  doc.font(FONTS.regular).fontSize(SIZE.table);
  table.rows.forEach((row, r) => {
    const height = Math.max(ROW, ...row.map((cell, i) =>
      table.columns[i]!.align === 'left' ? doc.heightOfString(cell, { width: widths[i]! - 2 * PAD }) + 7 : ROW));
    if (y + height > BOTTOM) {
      doc.addPage();
      y = drawHeader(doc, table, x, doc.y, widths);
      doc.font(FONTS.regular).fontSize(SIZE.table);
    }
    if (r % 2 === 1) doc.rect(x, y, full, height).fillColor(COLORS.zebra).fill();
    doc.fillColor(COLORS.ink);
    let cx = x;
    row.forEach((cell, i) => {
      const col = table.columns[i]!;
      doc.text(cell, cx + PAD, y + 3.5, { width: widths[i]! - 2 * PAD, align: col.align, lineBreak: col.align === 'left' });
      cx += widths[i]!;
    });
    y += height;
  });
  doc.moveTo(x, y).lineTo(x + full, y).lineWidth(0.75).strokeColor(COLORS.rule).stroke();
  doc.x = x;
  doc.y = y + 14;
}
