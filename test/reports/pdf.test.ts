// The written report: renderReport's files, and the PDF read back — its pages counted from
// the file's own page objects, its text extracted with poppler's pdftotext (Debian package
// poppler-utils) and compared with the findings, its fonts checked to be embedded.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findings } from '../../reports/findings.ts';
import { renderReport } from '../../reports/render.ts';
import { FARM, plan, simulated, sweep } from './fixtures.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function pdfText(file: string): string {
  const run = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  if (run.error) throw new Error(`pdftotext is needed to read the report back: apt-get install poppler-utils (${run.error.message})`);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The text laid out as on the page, so a table's row reads as one line. */
function pdfLayout(file: string): string {
  const run = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').map(words).join('\n');
}

/** Whitespace folded, so sentences wrapped across lines and columns compare as written. */
function words(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** pdfkit writes its page dictionaries uncompressed: one `/Type /Page` each. */
function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

const FAULTY = `${FARM.replace('duration: 20s', 'duration: 30s')}healthcheck: { kind: monit, cycle: 1s }
faults:
  - { at: 10s, host: web1, kind: crash }
  - { at: 20s, host: web1, kind: recover }
`;

describe('reports: the PDF report', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'webfarm-report-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the charts and an A4 report whose text holds every finding', async () => {
    const { result, scenario } = simulated();
    const written = await renderReport(result, scenario, join(dir, 'farm'));
    assert.deepEqual(written.map((p) => basename(p)), ['latency.png', 'cdf.png', 'throughput.png', 'errors.png', 'utilisation.png', 'report.pdf']);
    const file = join(dir, 'farm', 'report.pdf');
    const pdf = readFileSync(file);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    // Title and findings, latency, throughput and errors, resources: no faults, no failures page.
    assert.equal(pageCount(pdf), 4);
    assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/, 'A4');
    const text = words(pdfText(file));
    for (const f of findings(result, scenario)) assert.ok(text.includes(words(f.text)), `the PDF says: ${f.text}`);
    for (const heading of ['farm', 'Two servers behind one director', 'Findings', 'What to change', 'Scenario', 'Latency', 'Throughput and errors', 'Resources', 'page 4 of 4']) {
      assert.ok(text.includes(heading), `the PDF has "${heading}"`);
    }
    assert.match(text, /SLO (MET|MISSED)/);
    assert.match(text, /site bcn uplink 100Mbps · director: sh, NAT \(masquerading\)/);
    // Neither a sweep nor a plan: neither page.
    assert.ok(!text.includes('Capacity plan') && !text.includes('Sweep'), 'no sweep or plan page');
  });

  it('embeds its fonts: text is vector, searchable and the same on every machine', () => {
    const pdf = readFileSync(join(dir, 'farm', 'report.pdf')).toString('latin1');
    const fonts = [...pdf.matchAll(/\/BaseFont \/([A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[2]);
    assert.ok(fonts.length >= 2 && fonts.every((f) => f!.startsWith('Inter')), `fonts: ${fonts.join(', ')}`);
    assert.ok((pdf.match(/\/FontFile2/g) ?? []).length >= 2, 'TrueType programs embedded');
  });

  it('adds a failures page with the faults and the health checker\'s log', async () => {
    const { result, scenario } = simulated(FAULTY);
    assert.ok(result.faults?.length, 'the simulator reported the faults');
    await renderReport(result, scenario, join(dir, 'faulty'));
    const file = join(dir, 'faulty', 'report.pdf');
    assert.equal(pageCount(readFileSync(file)), 5);
    const text = words(pdfText(file));
    assert.match(text, /Failures Faults and what followed/);
    assert.match(text, /web1 crashed at 10s: detected/);
    assert.ok(text.includes(words(result.checks![0]!.text)), 'the first line of the health check log');
  });

  it('is written by npm run sim next to the data files; --json writes nothing', () => {
    const out = join(dir, 'cli');
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const stdout = execFileSync(tsx, ['sim/cli.ts', 'scenarios/failover.yaml', '--out', out], { cwd: root, encoding: 'utf8' });
    const wrote = stdout.split('\n').find((l) => l.startsWith('wrote '));
    assert.ok(wrote, stdout);
    for (const f of ['results.json', 'timeseries.csv', 'latency.png', 'utilisation.png', 'report.pdf']) assert.ok(wrote.includes(`/${f}`), `${f} in: ${wrote}`);
    assert.equal(pageCount(readFileSync(join(out, 'report.pdf'))), 5);
    const json = join(dir, 'json');
    execFileSync(tsx, ['sim/cli.ts', 'scenarios/failover.yaml', '--json', '--out', json], { cwd: root, encoding: 'utf8' });
    assert.throws(() => readFileSync(join(json, 'report.pdf')), /ENOENT/);
  });

  it('adds a sweep page: both charts, each curve\'s knee by name, every run in a table', async () => {
    const { result, scenario } = simulated();
    result.sweep = sweep();
    const written = await renderReport(result, scenario, join(dir, 'sweep'));
    assert.deepEqual(written.map((p) => basename(p)).filter((f) => f.startsWith('sweep')), ['sweep-latency.png', 'sweep-throughput.png']);
    const file = join(dir, 'sweep', 'report.pdf');
    // The title page, the sweep (its tables run onto a second page), then latency, throughput, resources.
    assert.equal(pageCount(readFileSync(file)), 6);
    const text = words(pdfText(file));
    assert.match(text, /Sweep The scenario and its variant ran at each of 5 values of workload\.arrivals \(200\/s to 1000\/s\)/);
    assert.ok(text.includes('For base, the knee is at 600/s: beyond it p99 rises from 30ms to 400ms.'), 'the knee in the findings');
    assert.ok(text.includes('base · knee 600/s'), 'the knee\'s label over its curve\'s table');
    assert.ok(text.includes('bigger · no knee within the sweep'));
    assert.ok(pdfLayout(file).includes('\n600/s 600/s 9ms 55ms 0% knee\n'), 'the knee\'s row');
  });

  it('adds a capacity plan page: the chosen plan, the frontier, and why cheaper plans lost', async () => {
    const { result, scenario } = simulated();
    result.plan = plan();
    const written = await renderReport(result, scenario, join(dir, 'plan'));
    assert.ok(written.some((p) => basename(p) === 'plan-frontier.png'));
    const file = join(dir, 'plan', 'report.pdf');
    assert.equal(pageCount(readFileSync(file)), 5);
    const text = words(pdfText(file));
    const rows = pdfLayout(file);
    assert.match(text, /Capacity plan CHOSEN The cheapest farm that meets the SLO is 4 servers × 1 core, 100Mbps, dr, at 900 a month/);
    for (const row of [
      '2 servers × 1 core, 100Mbps, dr 700 pruned – the servers would be 150% busy',
      '3 servers × 1 core, 100Mbps, dr 800 missed 1.2s p99 1.2s misses p99 ≤ 200ms',
      '4 servers × 1 core, 100Mbps, dr 900 chosen 110ms meets the SLO under 4 seeds',
      '5 servers × 1 core, 100Mbps, dr 1,000 met 70ms meets the SLO but costs 100 more',
    ]) assert.ok(rows.includes(`\n${row}`), `the verdicts table has: ${row}`);
    assert.ok(!text.includes('6 servers × 1 core'), 'plans never simulated are counted, not listed');
    assert.match(text, /6 plans in the space, judged against p99 ≤ 200ms, errors ≤ 0\.1%: 2 ruled out by closed forms before simulating; 3 simulated/);
  });
});
