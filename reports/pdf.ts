// The PDF report, A4: a title page that answers the questions (the verdict, key figures, the
// findings and what to change, the scenario), then a page per subject with its charts and
// tables — latency, throughput and errors, resources, and failures when there were any.

import PDFDocument from 'pdfkit';
import type { ChartSpec } from './charts/spec.ts';
import { kneeLabel } from './charts/sweep.ts';
import type { Finding } from './findings.ts';
import { count, formatDuration, percent, perSecond, shortValue } from './format.ts';
import { drawTable } from './pdf-table.ts';
import { BOTTOM, COLORS, CONTENT_WIDTH, FONTS, PAGE, SIZE, TONE_COLORS, registerFonts } from './pdf-style.ts';
import { busiest, failedTotal, type Result } from './result.ts';
import type { Fact } from './scenario-facts.ts';
import * as tables from './tables.ts';
import { variantsOf } from './variant.ts';

type Doc = InstanceType<typeof PDFDocument>;

export interface RenderedChart {
  spec: ChartSpec;
  png: Buffer;
}

export interface PdfInput {
  result: Result;
  facts: Fact[];
  findings: Finding[];
  charts: RenderedChart[];
}

const X = PAGE.margin;

function ensure(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function heading(doc: Doc, text: string, size: number = SIZE.subheading): void {
  ensure(doc, size + 40);
  doc.font(FONTS.semibold).fontSize(size).fillColor(COLORS.ink).text(text, X, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.35);
}

/** A new page with a section title and a rule under it. */
function section(doc: Doc, title: string): void {
  doc.addPage();
  doc.font(FONTS.semibold).fontSize(SIZE.heading).fillColor(COLORS.accent).text(title, X, PAGE.margin, { width: CONTENT_WIDTH });
  const y = doc.y + 4;
  doc.moveTo(X, y).lineTo(X + CONTENT_WIDTH, y).lineWidth(1).strokeColor(COLORS.accent).stroke();
  doc.y = y + 12;
}

function chart(doc: Doc, charts: RenderedChart[], name: string): void {
  const c = charts.find((x) => x.spec.name === name);
  if (!c) return;
  const height = (CONTENT_WIDTH * c.spec.height) / c.spec.width;
  ensure(doc, height);
  doc.image(c.png, X, doc.y, { width: CONTENT_WIDTH });
  doc.y += height + 12;
}

function paragraph(doc: Doc, text: string, color: string = COLORS.ink, size: number = SIZE.body): void {
  doc.font(FONTS.regular).fontSize(size).fillColor(color).text(text, X, doc.y, { width: CONTENT_WIDTH, lineGap: 2 });
  doc.moveDown(0.5);
}

function bullets(doc: Doc, items: Finding[]): void {
  doc.font(FONTS.regular).fontSize(SIZE.body);
  for (const f of items) {
    const h = doc.heightOfString(f.text, { width: CONTENT_WIDTH - 16, lineGap: 2 });
    ensure(doc, h + 6);
    const y = doc.y;
    doc.circle(X + 4, y + 6, 3.2).fillColor(TONE_COLORS[f.tone]).fill();
    doc.fillColor(COLORS.ink).text(f.text, X + 16, y, { width: CONTENT_WIDTH - 16, lineGap: 2 });
    doc.y += 5;
  }
  doc.moveDown(0.4);
}

function verdict(doc: Doc, r: Result, findings: Finding[]): void {
  const slo = findings.find((f) => f.topic === 'slo');
  const label = !r.slo ? 'NO SLO GIVEN' : r.slo.met ? 'SLO MET' : 'SLO MISSED';
  const color = !r.slo ? TONE_COLORS.info : r.slo.met ? TONE_COLORS.good : TONE_COLORS.problem;
  labelledBox(doc, label, slo?.text ?? '', color);
}

/** A tinted box with a coloured bar, a short label in capitals on the left and a sentence. */
function labelledBox(doc: Doc, label: string, text: string, color: string): void {
  doc.font(FONTS.regular).fontSize(SIZE.body);
  const textWidth = CONTENT_WIDTH - 130;
  const h = Math.max(34, doc.heightOfString(text, { width: textWidth, lineGap: 2 }) + 18);
  const y = doc.y;
  doc.roundedRect(X, y, CONTENT_WIDTH, h, 4).fillColor(color).fillOpacity(0.08).fill().fillOpacity(1);
  doc.rect(X, y, 4, h).fillColor(color).fill();
  doc.font(FONTS.bold).fontSize(12).fillColor(color).text(label, X + 14, y + h / 2 - 7, { width: 110, lineBreak: false });
  doc.font(FONTS.regular).fontSize(SIZE.body).fillColor(COLORS.ink).text(text, X + 120, y + 9, { width: textWidth, lineGap: 2 });
  doc.y = y + h + 14;
}

/** The text, cut with an ellipsis to fit `width` in the current font (a long resource name). */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let t = text;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t}…`;
}

/** Four boxes with the numbers people ask first. */
function keyFigures(doc: Doc, r: Result): void {
  const failed = failedTotal(r.requests.failed);
  const top = busiest(r)[0];
  const figures: [string, string, string][] = [
    ['throughput', perSecond(r.throughput), `${count(r.requests.ok)} answered`],
    ['p99 latency', r.latency.count > 0 ? formatDuration(r.latency.p99) : '–', `median ${r.latency.count > 0 ? formatDuration(r.latency.p50) : '–'}`],
    ['failed', r.requests.sent > 0 ? percent(failed / r.requests.sent) : '–', `${count(failed)} of ${count(r.requests.sent)}`],
    ['busiest resource', top ? percent(top.utilisation) : '–', top?.name ?? ''],
  ];
  const gap = 10;
  const w = (CONTENT_WIDTH - gap * (figures.length - 1)) / figures.length;
  const h = 62;
  const y = doc.y;
  figures.forEach(([label, value, sub], i) => {
    const x = X + i * (w + gap);
    doc.roundedRect(x, y, w, h, 4).lineWidth(0.75).strokeColor(COLORS.rule).stroke();
    doc.font(FONTS.regular).fontSize(SIZE.small).fillColor(COLORS.muted).text(label, x + 10, y + 8, { width: w - 20, lineBreak: false });
    doc.font(FONTS.semibold).fontSize(SIZE.figure).fillColor(COLORS.ink).text(value, x + 10, y + 21, { width: w - 20, lineBreak: false });
    doc.font(FONTS.regular).fontSize(SIZE.small).fillColor(COLORS.muted).text(fit(doc, sub, w - 20), x + 10, y + 45, { lineBreak: false });
  });
  doc.y = y + h + 16;
}

function factsTable(doc: Doc, facts: Fact[]): void {
  const labelWidth = 86;
  doc.fontSize(SIZE.table);
  for (const [label, value] of facts) {
    doc.font(FONTS.regular);
    const h = doc.heightOfString(value, { width: CONTENT_WIDTH - labelWidth, lineGap: 1.5 });
    ensure(doc, h + 4);
    const y = doc.y;
    doc.font(FONTS.semibold).fillColor(COLORS.muted).text(label, X, y, { width: labelWidth - 8, lineBreak: false });
    doc.font(FONTS.regular).fillColor(COLORS.ink).text(value, X + labelWidth, y, { width: CONTENT_WIDTH - labelWidth, lineGap: 1.5 });
    doc.y += 4;
  }
}

function titlePage(doc: Doc, input: PdfInput): void {
  const r = input.result;
  doc.font(FONTS.semibold).fontSize(SIZE.small).fillColor(COLORS.muted)
    .text(`WEBFARM REPORT · ${r.source.toUpperCase()}`, X, PAGE.margin, { width: CONTENT_WIDTH });
  doc.moveDown(0.6);
  doc.font(FONTS.bold).fontSize(SIZE.title).fillColor(COLORS.ink).text(r.scenario.name, X, doc.y, { width: CONTENT_WIDTH });
  if (r.scenario.description) paragraph(doc, r.scenario.description, COLORS.muted, 11.5);
  doc.moveDown(0.6);
  verdict(doc, r, input.findings);
  keyFigures(doc, r);
  heading(doc, 'Findings');
  bullets(doc, input.findings.filter((f) => f.topic !== 'slo' && f.topic !== 'advice'));
  heading(doc, 'What to change');
  bullets(doc, input.findings.filter((f) => f.topic === 'advice'));
  heading(doc, 'Scenario');
  factsTable(doc, input.facts);
}

/** A capacity plan's Result: the chosen plan, the frontier, and why each cheaper plan lost. */
function planPage(doc: Doc, input: PdfInput): void {
  const r = input.result;
  const plan = r.plan;
  if (!plan) return;
  section(doc, 'Capacity plan');
  const chosen = plan.verdicts.find((v) => v.status === 'chosen');
  const said = input.findings.filter((f) => f.topic === 'plan');
  // The first finding is the plan in a sentence: what was chosen and why nothing cheaper was.
  labelledBox(doc, chosen ? 'CHOSEN' : 'NO PLAN', said[0]?.text ?? '', chosen ? TONE_COLORS.good : TONE_COLORS.problem);
  // The runners-up are in the table below (and among the title page's findings).
  const by = (status: string) => plan.verdicts.filter((v) => v.status === status).length;
  const parts = [
    `${count(by('pruned'))} ruled out by closed forms before simulating`,
    `${count(plan.frontier.length)} simulated${chosen ? ' (the chosen one again under more seeds)' : ''}`,
    ...(by('not simulated') ? [`${count(by('not simulated'))} dearer one${by('not simulated') > 1 ? 's' : ''} not simulated: a cheaper plan already meets the SLO`] : []),
  ];
  const targets = r.slo?.checks.map((c) => c.target).join(', ');
  const against = targets ? `, judged against ${targets}` : '';
  paragraph(doc, `${count(plan.verdicts.length)} plans in the space${against}: ${parts.join('; ')}.${chosen ? ' The pages after this one detail the chosen plan\'s run.' : ''}`, COLORS.muted);
  chart(doc, input.charts, 'plan-frontier');
  heading(doc, chosen ? 'Cheaper plans, the chosen one and the runners-up' : 'Every plan judged');
  drawTable(doc, tables.planTable(plan), CONTENT_WIDTH);
}

/** A sweep: latency and throughput across its values, each curve's knee, and every run's figures. */
function sweepPage(doc: Doc, input: PdfInput): void {
  const sweep = input.result.sweep;
  if (!sweep || sweep.curves.every((c) => c.points.length === 0)) return;
  section(doc, 'Sweep');
  const points = sweep.curves[0]!.points;
  const range = points.length > 1 ? ` (${shortValue(points[0]!.value)} to ${shortValue(points.at(-1)!.value)})` : '';
  const variants = sweep.curves.length - 1;
  const who = variants > 1 ? `The scenario and each of its ${variants} variants ran` : variants === 1 ? 'The scenario and its variant ran' : 'The scenario ran';
  paragraph(doc, `${who} at each of ${points.length} values of ${sweep.path}${range}, with the same seed. A ring marks each curve's knee: the last value before latency or errors give way.`, COLORS.muted);
  bullets(doc, input.findings.filter((f) => f.topic === 'sweep'));
  chart(doc, input.charts, 'sweep-latency');
  chart(doc, input.charts, 'sweep-throughput');
  const rows = sweep.curves.reduce((n, c) => n + c.points.length, 0);
  // A table per curve reads best; past a page of rows, one compact table wastes less.
  if (rows <= 40 && sweep.curves.length <= 4) {
    for (const c of sweep.curves) {
      if (c.points.length === 0) continue;
      const table = tables.sweepTable(sweep, c);
      ensure(doc, SIZE.subheading + 40 + (table.rows.length + 1) * (SIZE.table + 7));
      const knee = kneeLabel(c) ?? 'no knee within the sweep';
      heading(doc, `${sweep.curves.length > 1 ? c.label : 'Each run of the sweep'} · ${knee}`);
      // Six short columns: across the whole page they would be mostly air.
      drawTable(doc, table, Math.min(CONTENT_WIDTH, 330));
    }
  } else {
    heading(doc, 'Each run of the sweep');
    drawTable(doc, tables.sweepCompactTable(sweep), CONTENT_WIDTH);
  }
}

/** When the run compared variants: how each did, side by side, before the base run's detail. */
function comparisonPages(doc: Doc, input: PdfInput): void {
  const variants = variantsOf(input.result);
  if (variants.length < 2) return;
  if (input.result.source === 'lab') {
    section(doc, 'Measured and predicted');
    paragraph(doc, "The lab's measurement on the real kernel beside the simulator's prediction of the same scenario at the same load. The pages after this one detail the measurement.", COLORS.muted);
  } else {
    section(doc, 'Variants compared');
    paragraph(doc, `The scenario as written (base) and its ${variants.length - 1} variant${variants.length > 2 ? 's' : ''}, run with the same seed. The pages after this one detail the base run.`, COLORS.muted);
  }
  drawTable(doc, tables.comparisonTable(variants), CONTENT_WIDTH);
  if (input.result.source === 'lab') {
    heading(doc, 'Faults, failures and capacity');
    drawTable(doc, tables.predictionTable(variants), CONTENT_WIDTH);
    paragraph(doc, 'Clients moved: client addresses answered by another real server after the fault than before it — the sessions it broke, had their state lived on the real server. Capacity: measured with autocannon before the faults (keep-alive connections over the client addresses); predicted as the simulated load over the busiest resource\'s utilisation.', COLORS.muted);
  }
  chart(doc, input.charts, 'compare-latency');
  chart(doc, input.charts, 'compare-cdf');
  chart(doc, input.charts, 'compare-utilisation');
}

function latencyPage(doc: Doc, input: PdfInput): void {
  section(doc, 'Latency');
  chart(doc, input.charts, 'latency');
  chart(doc, input.charts, 'cdf');
  heading(doc, 'Latency of the answered requests');
  drawTable(doc, tables.latencyTable(input.result), CONTENT_WIDTH);
}

function throughputPage(doc: Doc, input: PdfInput): void {
  section(doc, 'Throughput and errors');
  chart(doc, input.charts, 'throughput');
  chart(doc, input.charts, 'errors');
  heading(doc, 'Requests in the measured window');
  drawTable(doc, tables.requestsTable(input.result), CONTENT_WIDTH);
  if (input.result.servers.length > 0) {
    heading(doc, 'Real servers');
    drawTable(doc, tables.serversTable(input.result), CONTENT_WIDTH);
  }
}

function resourcesPage(doc: Doc, input: PdfInput): void {
  section(doc, 'Resources');
  chart(doc, input.charts, 'utilisation');
  heading(doc, 'Utilisation over the measured window');
  drawTable(doc, tables.resourcesTable(input.result), CONTENT_WIDTH);
}

/** A lab run: the director's counters as the deck drew them with RRD. */
function directorPage(doc: Doc, input: PdfInput): void {
  if (!input.charts.some((c) => c.spec.name.startsWith('director-'))) return;
  section(doc, "The director's counters");
  chart(doc, input.charts, 'director-connections');
  chart(doc, input.charts, 'director-packets');
}

function failuresPage(doc: Doc, input: PdfInput): void {
  const r = input.result;
  if (!r.faults?.length && !r.checks?.length) return;
  section(doc, 'Failures');
  if (r.faults?.length) {
    heading(doc, 'Faults and what followed');
    drawTable(doc, tables.faultsTable(r), CONTENT_WIDTH);
  }
  if (r.checks?.length) {
    heading(doc, 'Health check log');
    drawTable(doc, tables.checkLogTable(r), CONTENT_WIDTH);
  }
}

/** "webfarm · failover · page 2 of 5" at the foot of every page. */
function footers(doc: Doc, name: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it, or pdfkit would start a new page for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONTS.regular).fontSize(SIZE.small - 0.5).fillColor(COLORS.muted)
      .text(`webfarm · ${name} · page ${i + 1} of ${range.count}`, X, PAGE.height - PAGE.margin / 2 - 4, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

export function buildPdf(input: PdfInput): Promise<Buffer> {
  const name = input.result.scenario.name;
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: `webfarm report: ${name}`, Author: 'webfarm', Subject: input.result.scenario.description ?? name },
  });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  titlePage(doc, input);
  planPage(doc, input);
  sweepPage(doc, input);
  comparisonPages(doc, input);
  latencyPage(doc, input);
  throughputPage(doc, input);
  resourcesPage(doc, input);
  directorPage(doc, input);
  failuresPage(doc, input);
  footers(doc, name);
  doc.end();
  return done;
}
