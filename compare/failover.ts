// The failover report, prediction beside measurement: the lab measures a scenario on its
// micro-VMs and the simulator predicts the same scenario, and the report shows both. This is
// the one place that needs both wings, so it lives outside them: sim/ and lab/ never import
// each other (data flows scenario → sim | lab → Result → reports), and compare/ only hands the
// two Results to reports/.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../lab/errors.ts';
import { checkFaults, runFailover, type FailoverRun } from '../lab/failover.ts';
import { DEFAULT_PROVIDER, provider } from '../lab/providers/index.ts';
import type { LabFarm } from '../lab/providers/provider.ts';
import { planFarm } from '../lab/topology.ts';
import { writeDataFiles } from '../reports/data.ts';
import { renderReport } from '../reports/render.ts';
import type { ErrorCause, Result } from '../reports/result.ts';
import { loadScenario } from '../scenarios/load.ts';
import { judge, simulate } from '../sim/run.ts';

export const PREDICTION = 'simulator prediction';

export interface FailoverReport {
  /** The measurement, with the prediction in its variants. */
  lab: Result;
  sim: Result;
  run: FailoverRun;
  bootSeconds: number;
  /** What the farm ran on: "qemu micro-VMs (TCG)"… */
  ranOn: string;
  dir: string;
  written: string[];
}

export interface FailoverReportOptions {
  rate: number;
  set?: string[];
  /** The lab provider (default qemu). */
  provider?: string;
  /** Folder for the report (default reports/out/<name>-lab). */
  out?: string;
  onProgress?: (message: string) => void;
}

export async function failoverReport(file: string, options: FailoverReportOptions): Promise<FailoverReport> {
  const say = options.onProgress ?? (() => {});
  const scenario = loadScenario(file, { set: options.set });
  // The simulator gets the lab's load: the same total rate (Poisson; the lab's is evenly spaced).
  const predicted = loadScenario(file, { set: [...(options.set ?? []), `workload.arrivals=poisson ${options.rate}/s`] });
  const plan = planFarm(scenario);
  checkFaults(plan, scenario);
  const chosen = await provider(options.provider ?? DEFAULT_PROVIDER);
  const missing = await chosen.unavailable();
  if (missing) throw new LabError(`The ${chosen.name} provider cannot run here: ${missing}`);
  const farm: LabFarm = await chosen.boot(plan, { onProgress: say });
  let run: FailoverRun;
  try {
    run = await runFailover(farm, scenario, { rate: options.rate, onProgress: say });
  } finally {
    await farm.teardown();
  }
  say('simulating the same scenario…');
  const sim = simulate(predicted);
  const lab = run.result;
  if (scenario.slo) lab.slo = judge(scenario.slo, lab);
  lab.variants = [{ label: PREDICTION, result: sim }];
  const dir = options.out ?? join('reports', 'out', `${scenario.name}-lab`);
  say('writing the report…');
  const written = [...writeDataFiles(lab, dir), ...await renderReport(lab, scenario, dir)];
  // The raw measurements, for whoever wants to look again.
  const requests = join(dir, 'requests.jsonl');
  writeFileSync(requests, run.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const probes = join(dir, 'probes.log');
  writeFileSync(probes, run.probeLog);
  written.push(requests, probes);
  return { lab, sim, run, bootSeconds: farm.bootSeconds, ranOn: farm.describe, dir, written };
}

const CAUSES: ErrorCause[] = ['refused', 'reset', 'timeout', 'noServer', 'error'];
const sec = (t: number | undefined) => (t === undefined ? '—' : `${t.toFixed(2)} s`);

/** Measurement and prediction side by side, per fault: detection, failures by cause. */
export function sideBySide(lab: Result, sim: Result, figures: FailoverRun['figures'] = []): string {
  const rows: string[][] = [['', 'lab (measured)', 'simulator (predicted)']];
  const failed = (r: Result) => CAUSES.reduce((a, c) => a + r.requests.failed[c], 0);
  rows.push(['requests sent', String(lab.requests.sent), String(sim.requests.sent)]);
  rows.push(['ok', String(lab.requests.ok), String(sim.requests.ok)]);
  rows.push(['failed', String(failed(lab)), String(failed(sim))]);
  for (const c of CAUSES) if (lab.requests.failed[c] + sim.requests.failed[c] > 0) rows.push([`  ${c}`, String(lab.requests.failed[c]), String(sim.requests.failed[c])]);
  rows.push(['p50 / p99', `${(lab.latency.p50 * 1000).toFixed(1)} / ${(lab.latency.p99 * 1000).toFixed(1)} ms`, `${(sim.latency.p50 * 1000).toFixed(1)} / ${(sim.latency.p99 * 1000).toFixed(1)} ms`]);
  (lab.faults ?? []).forEach((f, i) => {
    const s = sim.faults?.[i];
    rows.push([`${f.host} ${f.kind} at`, sec(f.at), sec(s?.at)]);
    if (f.kind === 'recover') return;
    rows.push(['  detected after', sec(f.detection), sec(s?.detection)]);
    rows.push(['  traffic off it at', sec(f.movedAt), sec(s?.movedAt)]);
    const x = figures[i];
    if (x?.wholeAt !== undefined) rows.push(['  all served again at', sec(x.wholeAt), '']);
    if (x?.movedClients !== undefined) rows.push(['  client addresses moved', String(x.movedClients), '']);
    if (x?.resetByDirector) rows.push(['  reset by the director', `${x.resetByDirector} (flush race)`, '']);
    const nf = (x: Record<ErrorCause, number> | undefined) => (x ? CAUSES.filter((c) => x[c] > 0).map((c) => `${x[c]} ${c}`).join(', ') || '0' : '—');
    rows.push(['  failed until next fault', nf(f.failed), nf(s?.failed)]);
  });
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return rows.map((r) => r.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd()).join('\n');
}
