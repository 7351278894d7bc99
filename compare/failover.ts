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
import { ERROR_CAUSES, failedTotal, predictedCapacity, type CapacityReport, type ErrorCause, type Result } from '../reports/result.ts';
import { loadScenarioSet } from '../scenarios/load.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { measureCapacity } from '../lab/capacity.ts';
import { judge, simulate } from '../sim/run.ts';

export const PREDICTION = 'simulator prediction';

/** One scenario (the base or a `compare:` variant) measured on a fresh farm and predicted. */
export interface LabRun {
  label: string;
  scenario: Scenario;
  /** The measurement as a Result, with its capacity. */
  lab: Result;
  /** The simulator's prediction of it, with its predicted capacity. */
  sim: Result;
  run: FailoverRun;
  bootSeconds: number;
}

export interface FailoverReport {
  /** The report's Result: the first run's measurement, everything else in its variants. */
  lab: Result;
  runs: LabRun[];
  /** What the farms ran on: "qemu micro-VMs (TCG)"… */
  ranOn: string;
  dir: string;
  written: string[];
}

export interface FailoverReportOptions {
  rate: number;
  set?: string[];
  /** The lab provider (default qemu). */
  provider?: string;
  /** Seconds of autocannon before the faults (0: no capacity phase). */
  capacitySeconds?: number;
  /** Requests per kept-alive connection of each client address (default 10; 1: a connection per request). */
  requestsPerConnection?: number;
  /** Folder for the report (default reports/out/<name>-lab). */
  out?: string;
  onProgress?: (message: string) => void;
}

/** Keep-alive connections of the capacity phase: one per client address, at most 64. */
const CAPACITY_CONNECTIONS = 64;

/** A run's name in a comparison: its health checker, as a sysadmin would say it. */
export function checkerLabel(s: Scenario): string {
  const hc = s.healthcheck;
  if (hc.kind === 'monit') return `monit ${hc.cycle}s, ${hc.action === 'deck' ? "the deck's" : 'the corrected'} script`;
  if (hc.kind === 'keepalived') return `keepalived, delay_loop ${hc.delay_loop}s`;
  return 'no health check';
}

export async function failoverReport(file: string, options: FailoverReportOptions): Promise<FailoverReport> {
  const say = options.onProgress ?? (() => {});
  const set = loadScenarioSet(file, { set: options.set });
  // The simulator gets the lab's load: the same total rate (Poisson; the lab's is evenly spaced).
  const predicted = loadScenarioSet(file, { set: [...(options.set ?? []), `workload.arrivals=poisson ${options.rate}/s`] });
  const todo = [
    { label: set.variants.length > 0 ? checkerLabel(set.base) : '', scenario: set.base, predicted: predicted.base },
    ...set.variants.map((v, i) => ({ label: v.label, scenario: v.scenario, predicted: predicted.variants[i]!.scenario })),
  ];
  // Every scenario must be playable before the first farm boots.
  for (const t of todo) checkFaults(planFarm(t.scenario), t.scenario);
  const chosen = await provider(options.provider ?? DEFAULT_PROVIDER);
  const missing = await chosen.unavailable();
  if (missing) throw new LabError(`The ${chosen.name} provider cannot run here: ${missing}`);

  const runs: LabRun[] = [];
  let ranOn = chosen.name;
  for (const [i, t] of todo.entries()) {
    const tell = (m: string) => say(todo.length > 1 ? `[${i + 1}/${todo.length} ${t.label}] ${m}` : m);
    const farm: LabFarm = await chosen.boot(planFarm(t.scenario), { onProgress: tell });
    ranOn = farm.describe;
    let run: FailoverRun;
    let capacity: CapacityReport | undefined;
    try {
      if ((options.capacitySeconds ?? 4) > 0) {
        tell(`capacity: autocannon, ${CAPACITY_CONNECTIONS} keep-alive connections for ${options.capacitySeconds ?? 4} s…`);
        capacity = await measureCapacity(farm, { seconds: options.capacitySeconds ?? 4, connections: CAPACITY_CONNECTIONS });
      }
      run = await runFailover(farm, t.scenario, { rate: options.rate, requestsPerConnection: options.requestsPerConnection, onProgress: tell });
    } finally {
      await farm.teardown();
    }
    tell('simulating the same scenario…');
    const sim = simulate(t.predicted);
    // Capacity from the same farm without its faults: the faults would load one server more.
    const capacityPredicted = predictedCapacity(simulate({ ...t.predicted, faults: [] }));
    if (capacityPredicted) sim.capacity = capacityPredicted;
    const lab = run.result;
    if (capacity) lab.capacity = capacity;
    if (t.scenario.slo) lab.slo = judge(t.scenario.slo, lab);
    runs.push({ label: t.label, scenario: t.scenario, lab, sim, run, bootSeconds: farm.bootSeconds });
  }

  const [first, ...rest] = runs;
  const lab = first!.lab;
  if (rest.length === 0) {
    lab.variants = [{ label: PREDICTION, result: first!.sim }];
  } else {
    lab.label = `${first!.label} · lab`;
    lab.variants = [
      { label: `${first!.label} · simulator`, result: first!.sim },
      ...rest.flatMap((r) => [{ label: `${r.label} · lab`, result: r.lab }, { label: `${r.label} · simulator`, result: r.sim }]),
    ];
  }
  const dir = options.out ?? join('reports', 'out', `${set.base.name}-lab`);
  say('writing the report…');
  const written = [...writeDataFiles(lab, dir), ...await renderReport(lab, set.base, dir)];
  // The raw measurements, for whoever wants to look again: one pair of files per run.
  runs.forEach((r, i) => {
    const suffix = runs.length > 1 ? `-${i + 1}` : '';
    const requests = join(dir, `requests${suffix}.jsonl`);
    writeFileSync(requests, r.run.records.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const probes = join(dir, `probes${suffix}.log`);
    writeFileSync(probes, r.run.probeLog);
    written.push(requests, probes);
  });
  return { lab, runs, ranOn, dir, written };
}

const sec = (t: number | undefined) => (t === undefined ? '—' : `${t.toFixed(2)} s`);

/** Measurement and prediction side by side, per fault: detection, failures by cause. */
export function sideBySide(lab: Result, sim: Result, figures: FailoverRun['figures'] = []): string {
  const rows: string[][] = [['', 'lab (measured)', 'simulator (predicted)']];
  const failed = (r: Result) => failedTotal(r.requests.failed);
  rows.push(['requests sent', String(lab.requests.sent), String(sim.requests.sent)]);
  rows.push(['ok', String(lab.requests.ok), String(sim.requests.ok)]);
  rows.push(['failed', String(failed(lab)), String(failed(sim))]);
  for (const c of ERROR_CAUSES) if (lab.requests.failed[c] + sim.requests.failed[c] > 0) rows.push([`  ${c}`, String(lab.requests.failed[c]), String(sim.requests.failed[c])]);
  rows.push(['p50 / p99', `${(lab.latency.p50 * 1000).toFixed(1)} / ${(lab.latency.p99 * 1000).toFixed(1)} ms`, `${(sim.latency.p50 * 1000).toFixed(1)} / ${(sim.latency.p99 * 1000).toFixed(1)} ms`]);
  const capacity = (c: Result['capacity']) => (c ? `${c.throughput.toFixed(0)} requests/s (${c.limit})` : '—');
  if (lab.capacity || sim.capacity) rows.push(['capacity', capacity(lab.capacity), capacity(sim.capacity)]);
  (lab.faults ?? []).forEach((f, i) => {
    const s = sim.faults?.[i];
    rows.push([`${f.host} ${f.kind} at`, sec(f.at), sec(s?.at)]);
    if (f.kind === 'recover') {
      const back = figures[i]?.servingAgainAfter;
      rows.push(['  serving again after', back === undefined ? 'never' : sec(back), '']);
      return;
    }
    rows.push(['  detected after', sec(f.detection), sec(s?.detection)]);
    rows.push(['  traffic off it at', sec(f.movedAt), sec(s?.movedAt)]);
    const x = figures[i];
    if (x?.wholeAt !== undefined) rows.push(['  all served again at', sec(x.wholeAt), '']);
    rows.push(['  client addresses moved', f.movedClients === undefined ? '—' : String(f.movedClients), s?.movedClients === undefined ? '—' : String(s.movedClients)]);
    if (x?.resetByDirector) rows.push(['  reset by the director', `${x.resetByDirector} (flush race)`, '']);
    const nf = (x: Record<ErrorCause, number> | undefined) => (x ? ERROR_CAUSES.filter((c) => x[c] > 0).map((c) => `${x[c]} ${c}`).join(', ') || '0' : '—');
    rows.push(['  failed until next fault', nf(f.failed), nf(s?.failed)]);
  });
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return rows.map((r) => r.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd()).join('\n');
}
