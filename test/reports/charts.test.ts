// Charts: the specs say what each axis measures, and the PNGs, decoded again, are the right
// size, not blank, and show the colours of what they must show (and not of what they must not).

import { strict as assert } from 'node:assert';
import { inflateSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { ChartSpec } from '../../reports/charts/spec.ts';
import { placeCallouts, type Callout } from '../../reports/charts/callouts.ts';
import { cdfChart } from '../../reports/charts/cdf.ts';
import { directorCharts } from '../../reports/charts/director.ts';
import { comparisonCharts } from '../../reports/charts/compare.ts';
import { errorsChart } from '../../reports/charts/errors.ts';
import { reportCharts } from '../../reports/charts/index.ts';
import { latencyChart } from '../../reports/charts/latency.ts';
import { labelledMantissas, niceLog } from '../../reports/charts/log-axis.ts';
import { PLAN_COLORS, planFrontierChart } from '../../reports/charts/plan.ts';
import { rgbPng } from '../../reports/charts/png.ts';
import { renderChart } from '../../reports/charts/render.ts';
import { sweepLatencyChart, sweepThroughputChart } from '../../reports/charts/sweep.ts';
import { CAUSE_COLORS, LEVEL_COLORS, MARKER_COLORS, PALETTE, PERCENTILE_COLORS, SCALE, SLO_COLOR } from '../../reports/charts/theme.ts';
import { throughputChart } from '../../reports/charts/throughput.ts';
import { utilisationChart } from '../../reports/charts/utilisation.ts';
import type { Result } from '../../reports/result.ts';
import { single } from '../../reports/variant.ts';
import { crafted, P99_SLO, plan, resource, simulated, sweep } from './fixtures.ts';

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function decode(png: Buffer): Promise<Pixels> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
}

/** Pixels within `tolerance` of the colour on every channel. */
function countColour(p: Pixels, hex: string, tolerance = 12): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  let c = 0;
  for (let i = 0; i < p.data.length; i += 4) {
    if (Math.abs(p.data[i]! - r) <= tolerance && Math.abs(p.data[i + 1]! - g) <= tolerance && Math.abs(p.data[i + 2]! - b) <= tolerance) c++;
  }
  return c;
}

function nonWhiteShare(p: Pixels): number {
  let c = 0;
  for (let i = 0; i < p.data.length; i += 4) if (p.data[i]! < 245 || p.data[i + 1]! < 245 || p.data[i + 2]! < 245) c++;
  return c / (p.width * p.height);
}

async function drawn(spec: ChartSpec): Promise<Pixels> {
  const p = await decode(renderChart(spec));
  assert.equal(p.width, spec.width * SCALE);
  assert.equal(p.height, spec.height * SCALE);
  return p;
}

// Chart.js scale options are deep unions; tests read them as plain data.
function scale(spec: ChartSpec, axis: 'x' | 'y'): { type?: string; title?: { text?: string } } {
  return (spec.config.options?.scales as Record<string, { type?: string; title?: { text?: string } }>)[axis]!;
}

describe('reports: charts', function () {
  this.timeout(30_000);

  it('writes valid RGB PNGs that decode to the same pixels', async () => {
    const rgba = new Uint8Array(4 * 3 * 2);
    const colours = [[255, 255, 255], [0, 0, 0], [200, 10, 30], [1, 2, 3], [255, 0, 255], [9, 99, 199]];
    colours.forEach(([r, g, b], i) => rgba.set([r!, g!, b!, 255], i * 4));
    const png = rgbPng(rgba, 3, 2);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 3);
    assert.equal(png.readUInt32BE(20), 2);
    assert.equal(png[25], 2, 'colour type RGB: no alpha for pdfkit to split off');
    const p = await decode(png);
    colours.forEach(([r, g, b], i) => assert.deepEqual([...p.data.subarray(i * 4, i * 4 + 3)], [r, g, b]));
    // The IDAT holds one filter byte and three bytes a pixel per row.
    const idat = png.indexOf('IDAT');
    assert.equal(inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4))).length, 2 * (1 + 3 * 3));
  });

  it('labels every axis with what it measures and its unit', () => {
    const r = crafted();
    const latency = latencyChart(single(r));
    assert.equal(scale(latency, 'x').title?.text, 'time (s)');
    assert.equal(scale(latency, 'y').title?.text, 'latency (ms)');
    assert.equal(scale(throughputChart(r), 'y').title?.text, 'throughput (requests/s)');
    assert.equal(scale(errorsChart(r), 'y').title?.text, 'failed (requests/s)');
    assert.equal(scale(utilisationChart(single(r)), 'x').title?.text, 'utilisation (% busy)');
    const cdf = cdfChart(single(r));
    assert.equal(scale(cdf, 'x').type, 'logarithmic');
    assert.equal(scale(cdf, 'y').title?.text, 'requests answered within (%)');
    // A long run reads in minutes; seconds of latency read in seconds.
    const long = crafted({ scenario: { ...r.scenario, duration: 3600 } });
    assert.equal(scale(latencyChart(single(long)), 'x').title?.text, 'time (min)');
  });

  it('gives a log axis tidy ends and fewer labels as it spans more decades', () => {
    assert.equal(niceLog(0.0018, false), 0.001);
    assert.equal(niceLog(0.146, true), 0.2);
    assert.equal(niceLog(0.6, true), 1);
    assert.deepEqual(labelledMantissas(0.4), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(labelledMantissas(0.7), [1, 2, 3, 5, 7]);
    assert.deepEqual(labelledMantissas(3), [1, 2, 5]);
    assert.deepEqual(labelledMantissas(5), [1, 5]);
    assert.deepEqual(labelledMantissas(7), [1]);
  });

  it('draws latency percentiles in their colours, and a fault marker only when there is one', async () => {
    const r = crafted();
    const plain = await drawn(latencyChart(single(r)));
    assert.ok(nonWhiteShare(plain) > 0.03, 'not blank');
    assert.ok(countColour(plain, PERCENTILE_COLORS.p99, 8) > 1000, 'the p99 line is drawn');
    assert.equal(countColour(plain, MARKER_COLORS.fault!, 8), 0, 'no fault, no red');
    const marked = await drawn(latencyChart(single(r), { markers: [{ t: 30, label: 'web1 crash', kind: 'fault' }] }));
    assert.ok(countColour(marked, MARKER_COLORS.fault!, 8) > 500, 'the fault is marked in red');
  });

  it('shows the SLO limit as a line when it is near the data', () => {
    const slo = { met: true, checks: [{ target: 'p99 ≤ 50ms', limit: 0.05, value: 0.036, met: true }] };
    const near = latencyChart(single(crafted({ slo })));
    assert.deepEqual(near.config.options?.plugins?.guides?.levels?.map((l) => l.label), ['SLO p99 ≤ 50ms']);
    const far = latencyChart(single(crafted({ slo: { ...slo, checks: [{ ...slo.checks[0]!, target: 'p99 ≤ 2s', limit: 2 }] } })));
    assert.deepEqual(far.config.options?.plugins?.guides?.levels, []);
    assert.match(String(far.config.options?.plugins?.subtitle?.text), /SLO p99 ≤ 2s lies far above/);
  });

  it('stacks errors by cause, and says so when nothing failed', async () => {
    const none = errorsChart(crafted());
    assert.equal(none.config.data.datasets.length, 0);
    assert.equal(none.config.options?.plugins?.guides?.empty, 'No request failed');
    const r = crafted();
    r.series.columns.refused = r.series.t.map((t) => (t >= 20 && t < 30 ? 8 : 0));
    r.series.columns.timeout = r.series.t.map((t) => (t >= 25 && t < 28 ? 40 : 0));
    const spec = errorsChart(r);
    assert.deepEqual(spec.config.data.datasets.map((d) => d.label), ['refused', 'timeout']);
    const p = await drawn(spec);
    assert.ok(countColour(p, CAUSE_COLORS.refused, 6) > 2000, 'refusals drawn');
    assert.ok(countColour(p, CAUSE_COLORS.timeout, 6) > 2000, 'timeouts drawn');
    assert.equal(countColour(await drawn(none), CAUSE_COLORS.refused, 6), 0);
  });

  it('colours a bottleneck\'s bar red and a resource with headroom blue', async () => {
    const bars = (u: number) => utilisationChart(single(crafted({ resources: [resource('bcn/web1 cpu', 'server-cpu', u), resource('bcn uplink out', 'uplink-out', 0.1)] })));
    const hot = await drawn(bars(0.95));
    const cool = await drawn(bars(0.5));
    // The 90% guide is red too, but a bar is far larger than its line and label.
    assert.ok(countColour(hot, LEVEL_COLORS.bottleneck, 6) > 20_000, 'the saturated bar is red');
    assert.ok(countColour(cool, LEVEL_COLORS.bottleneck, 6) < 5_000, 'no red bar below 90%');
    assert.ok(countColour(cool, LEVEL_COLORS.headroom, 6) > 20_000, 'bars with headroom are blue');
  });

  it('draws the director\'s counters of a lab run per real server and mark, and none for a simulation', async () => {
    const base = crafted();
    assert.deepEqual(directorCharts(base), [], 'a simulated run has no director counters');
    const t = base.series.t;
    const lab = crafted({
      source: 'lab',
      series: {
        ...base.series,
        columns: {
          ...base.series.columns,
          'director established web1': t.map((i) => (i < 20 ? 30 : 0)), 'director closing web1': t.map(() => 5),
          'director established web2': t.map(() => 30),
          'director in pkts/s web1': t.map((i) => (i < 20 ? 300 : 0)), 'director in pkts/s web2': t.map(() => 300),
          'director marked pkts/s fwmark 1': t.map((i) => (i < 25 ? 600 : 0)), 'director marked pkts/s fwmark 3': t.map((i) => (i < 25 ? 0 : 600)),
        },
      },
    });
    const charts = directorCharts(lab);
    assert.deepEqual(charts.map((c) => c.name), ['director-connections', 'director-packets']);
    const labels = (c: ChartSpec) => c.config.data.datasets.map((d) => d.label);
    assert.deepEqual(labels(charts[0]!), ['web1 established', 'web1 closing (TIME_WAIT, FIN…)', 'web2 established', 'web2 closing (TIME_WAIT, FIN…)']);
    assert.deepEqual(labels(charts[1]!), ['to web1 (ipvsadm)', 'to web2 (ipvsadm)', 'marked fwmark 1 (iptables)', 'marked fwmark 3 (iptables)']);
    const p = await drawn(charts[1]!);
    assert.ok(countColour(p, PALETTE[0]!) > 500 && countColour(p, PALETTE[1]!) > 500, 'both servers\' lines are drawn in their colours');
    assert.ok(reportCharts(lab).some((c) => c.name === 'director-packets'), 'the report includes them');
  });

  it('renders every chart of a simulated run, and comparison charts for its variants', async () => {
    const { result } = simulated();
    const specs = reportCharts(result);
    assert.deepEqual(specs.map((s) => s.name), ['latency', 'cdf', 'throughput', 'errors', 'utilisation']);
    for (const spec of specs) {
      const p = await drawn(spec);
      assert.ok(nonWhiteShare(p) > 0.02, `${spec.name} is not blank`);
    }
    // Each real server's band in its own colour.
    const tp = await drawn(throughputChart(result));
    assert.ok(countColour(tp, PALETTE[0]!, 6) > 300 && countColour(tp, PALETTE[1]!, 6) > 300, 'both servers drawn');
    const withVariants = { ...result, variants: [{ label: 'busier', result }] };
    assert.deepEqual(reportCharts(withVariants).slice(5).map((s) => s.name), ['compare-latency', 'compare-cdf', 'compare-utilisation']);
    const cmp = comparisonCharts([{ name: 'a', result }, { name: 'b', result }]);
    assert.equal(scale(cmp[0]!, 'y').type, 'logarithmic', 'variants share a log latency axis');
  });

  describe('a sweep', () => {
    it('gets its charts only when the Result has a sweep', () => {
      const names = (r: Result) => reportCharts(r).map((s) => s.name);
      assert.ok(!names(crafted()).some((n) => n.startsWith('sweep')), 'no sweep, no sweep charts');
      assert.deepEqual(names(crafted({ sweep: sweep() })).slice(5), ['sweep-latency', 'sweep-throughput']);
    });

    it('draws p99 solid and p50 dashed per curve against the swept axis, on a log latency axis', () => {
      const spec = sweepLatencyChart(sweep(), P99_SLO);
      assert.equal(scale(spec, 'x').title?.text, 'offered load (requests/s)');
      assert.equal(scale(spec, 'y').type, 'logarithmic');
      const ds = spec.config.data.datasets as { label?: string; borderColor?: string; borderDash?: number[] }[];
      assert.deepEqual(ds.map((d) => [d.label, d.borderColor, d.borderDash ?? []]), [
        ['base p99', PALETTE[0], []], ['base p50', PALETTE[0], [6, 4]],
        ['bigger p99', PALETTE[1], []], ['bigger p50', PALETTE[1], [6, 4]],
      ]);
      const guides = spec.config.options?.plugins?.guides;
      // Only base bends: its knee is labelled at its p99 there; the SLO is a line.
      assert.deepEqual(guides?.callouts, [{ x: 600, y: 0.055, label: 'knee 600/s', color: PALETTE[0] }]);
      assert.deepEqual(guides?.levels?.map((l) => l.label), ['SLO p99 ≤ 200ms']);
    });

    it('draws throughput against offered load with the diagonal, and no diagonal for other fields', () => {
      const load = sweepThroughputChart(sweep());
      assert.equal(scale(load, 'y').title?.text, 'throughput (requests/s)');
      assert.ok(load.config.data.datasets.some((d) => d.label === 'throughput = offered'));
      assert.equal(load.config.options?.plugins?.guides?.callouts?.[0]?.y, 600, 'the knee at its throughput');
      const servers = sweepThroughputChart(sweep({ path: 'sites[0].servers.count', axis: 'sites[0].servers.count' }));
      assert.ok(!servers.config.data.datasets.some((d) => d.label === 'throughput = offered'));
      assert.equal(scale(servers, 'x').title?.text, 'sites[0].servers.count');
    });

    it('renders the knee: a ring and its label add the curve\'s colour', async () => {
      const withKnee = await drawn(sweepLatencyChart(sweep()));
      assert.ok(nonWhiteShare(withKnee) > 0.03, 'not blank');
      assert.ok(countColour(withKnee, PALETTE[1]!, 8) > 1000, 'the second curve is drawn');
      const plain = sweep();
      delete plain.curves[0]!.knee;
      const without = await drawn(sweepLatencyChart(plain));
      const added = countColour(withKnee, PALETTE[0]!, 8) - countColour(without, PALETTE[0]!, 8);
      assert.ok(added > 400, `the knee's ring and label: ${added} more pixels of base's colour`);
    });

    it('places labels clear of each other, of the rings and of the lines, inside the plot', () => {
      const area = { left: 0, top: 0, right: 800, bottom: 400 };
      const label = (text: string): Callout => ({ x: 0, y: 0, label: text, color: '#000000' });
      // Three knees at one point (variants that bend at the same load) and a line through it.
      const items = ['knee 500/s', 'knee 500/s', 'knee 500/s'].map((t, i) => ({ callout: label(t), px: 400, py: 200 + i, width: 90, height: 21 }));
      const line: [number, number, number, number] = [0, 400, 800, 0];
      const placed = placeCallouts(items, area, [line], []);
      for (const [i, a] of placed.entries()) {
        const b = a.box;
        assert.ok(b.left >= area.left && b.right <= area.right && b.top >= area.top && b.bottom <= area.bottom, 'inside');
        assert.equal(a.crossings, 0, 'on no line');
        assert.ok(b.right < 393 || b.left > 407 || b.bottom < 193 || b.top > 209, 'off the rings');
        for (const c of placed.slice(i + 1)) {
          assert.ok(b.right <= c.box.left || c.box.right <= b.left || b.bottom <= c.box.top || c.box.bottom <= b.top, 'no two labels overlap');
        }
      }
      // Against the right edge, a label goes to the left of its point.
      const edge = placeCallouts([{ callout: label('knee 700/s'), px: 795, py: 200, width: 90, height: 21 }], area, [], []);
      assert.ok(edge[0]!.box.right <= 795);
    });
  });

  describe('a capacity plan', () => {
    it('gets its frontier chart only when the Result has a plan', () => {
      assert.ok(!reportCharts(crafted()).some((s) => s.name === 'plan-frontier'));
      assert.deepEqual(reportCharts(crafted({ plan: plan() })).slice(5).map((s) => s.name), ['plan-frontier']);
    });

    it('plots cost against p99: met, missed, the chosen one labelled, pruned plans on the axis, the SLO line', () => {
      const spec = planFrontierChart(plan(), P99_SLO);
      assert.equal(scale(spec, 'x').title?.text, 'cost per month');
      assert.equal(scale(spec, 'y').type, 'logarithmic');
      const ds = spec.config.data.datasets as { label?: string; data: { x: number; y: number | null }[] }[];
      assert.deepEqual(ds.map((d) => [d.label, d.data.map((p) => p.x)]), [
        ['frontier', [800, 900, 1000]],
        ['meets the SLO', [1000]],
        ['misses the SLO', [800]],
        ['chosen', [900]],
        ['ruled out before simulating', [600, 700]],
      ]);
      const guides = spec.config.options?.plugins?.guides;
      assert.equal(guides?.callouts?.[0]?.label, 'chosen: 4 servers × 1 core, 100Mbps, dr · 900 a month');
      assert.deepEqual(guides?.levels?.map((l) => l.label), ['SLO p99 ≤ 200ms']);
      // A mean target has no p99 line to draw: the subtitle says so.
      const mean = planFrontierChart(plan(), { met: true, checks: [{ target: 'mean ≤ 12.5ms', limit: 0.0125, value: 0.012, met: true }] });
      assert.deepEqual(mean.config.options?.plugins?.guides?.levels, []);
      assert.match(String(mean.config.options?.plugins?.subtitle?.text), /SLO mean ≤ 12\.5ms: no p99 limit to draw/);
    });

    it('renders met, missed and chosen plans in their colours, and the SLO in red', async () => {
      const p = await drawn(planFrontierChart(plan(), P99_SLO));
      assert.ok(nonWhiteShare(p) > 0.02, 'not blank');
      for (const [what, colour] of Object.entries({ met: PLAN_COLORS.met, missed: PLAN_COLORS.missed, chosen: PLAN_COLORS.chosen, pruned: PLAN_COLORS.pruned })) {
        assert.ok(countColour(p, colour, 8) > 150, `${what} drawn`);
      }
      assert.ok(countColour(p, SLO_COLOR, 8) > 500, 'the SLO line');
      const none = await drawn(planFrontierChart(plan()));
      assert.ok(countColour(none, SLO_COLOR, 8) < 50, 'no SLO, no red line');
    });
  });
});
