// `npm run sim -- scenario.yaml`: runs the model, prints a summary, writes the data files.
// All I/O of the simulator lives here; bad input is one paragraph and exit code 2.

import { Command, CommanderError } from 'commander';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { loadScenarioSet, ScenarioError } from '../scenarios/load.ts';
import { plan } from './plan.ts';
import { planSummary } from './summary.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { Result } from '../reports/result.ts';
import { simulateAll } from './parallel.ts';
import { knee, point, sweepFindings, type SweepReport } from './sweep.ts';
import { resultJson, writeDataFiles } from '../reports/data.ts';
import { renderReport } from '../reports/render.ts';
import { comparison, summary } from './summary.ts';
import { progressBar } from './progress.ts';

const program = new Command()
  .name('npm run sim --')
  .description('Simulate a web farm scenario and write its report to reports/out/<name>/ (or: plan <scenario> for the cheapest farm that meets its SLO)')
  .argument('<scenario>', 'a scenario file (YAML); "plan <scenario>" runs the capacity planner')
  .argument('[file]', 'the scenario file, after "plan"')
  .option('--set <path=value>', 'override a field, e.g. --set sites[0].uplink=200Mbps (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--json', 'print results.json to stdout instead of the summary (writes no files)')
  .option('--out <dir>', 'report folder (default reports/out/<name>)')
  .option('--workers <n>', 'worker threads for variants and sweeps (default: one per core)', (v: string) => Number(v))
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

async function main(): Promise<number> {
  try {
    program.parse();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = program.opts<{ set: string[]; json?: boolean; out?: string; workers?: number }>();
  if (opts.workers !== undefined && !(Number.isInteger(opts.workers) && opts.workers >= 1)) {
    throw new ScenarioError(`--workers: expected a whole number of at least 1, found ${String(opts.workers)}`);
  }
  const [first, second] = program.args as [string, string | undefined];
  if (first === 'plan') {
    if (!second) throw new ScenarioError('plan: expected a scenario file after "plan", found nothing');
    return planCommand(second, opts);
  }
  if (second !== undefined) throw new ScenarioError(`expected one scenario file, found "${first}" and "${second}"`);
  const file = first;
  const { base: scenario, variants, sweep } = loadScenarioSet(file, { set: opts.set });
  const runs = [{ label: 'base', scenario }, ...variants];
  // Every run of this command: the scenario, its variants, and each of them at each sweep value.
  const grid: { label: string; value?: string; scenario: Scenario }[] = [...runs];
  for (const value of sweep?.values ?? []) {
    const at = loadScenarioSet(file, { set: [...opts.set, `${sweep!.path}=${value}`] });
    grid.push({ label: 'base', value, scenario: at.base }, ...at.variants.map((v) => ({ label: v.label, value, scenario: v.scenario })));
  }
  const bar = !opts.json && process.stderr.isTTY ? progressBar(scenario.name) : undefined;
  const all = await simulateAll(grid.map((g) => g.scenario), {
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(bar ? { progress: (done: number, total: number) => bar.update(done / total) } : {}),
  });
  bar?.done();
  const results = all.slice(0, runs.length);
  const result = results[0]!;
  if (variants.length > 0) result.variants = variants.map((v, i) => ({ label: v.label, result: results[i + 1]! }));
  if (sweep) result.sweep = sweepReport(sweep.path, runs.map((r) => r.label), grid.slice(runs.length), all.slice(runs.length));
  if (opts.json) {
    process.stdout.write(resultJson(result));
    return 0;
  }
  const dir = opts.out ?? join('reports', 'out', scenario.name);
  const written = [...writeDataFiles(result, dir), ...await renderReport(result, scenario, dir)];
  console.log(summary(result));
  if (variants.length > 0) console.log(`\n${comparison(runs.map((r, i) => ({ label: r.label, result: results[i]! })))}`);
  if (result.sweep) console.log(`\nSweep of ${result.sweep.path}:\n${sweepFindings(result.sweep).map((l) => `  ${l}`).join('\n')}`);
  console.log('');
  console.log(`wrote ${written.map((p) => relative(process.cwd(), p)).join(', ')}`);
  return 0;
}

async function planCommand(file: string, opts: { set: string[]; json?: boolean; out?: string; workers?: number }): Promise<number> {
  const { base: scenario, plan: space = { replications: 3 } } = loadScenarioSet(file, { set: opts.set });
  if (!scenario.costs) throw new ScenarioError(`${file}: costs: expected prices (e.g. costs: { server: 100, mbps: 2 }) for the planner to compare farms, found none`);
  if (!scenario.slo) throw new ScenarioError(`${file}: slo: expected a target (e.g. slo: { p99: 200ms, errors: 0.1% }) for the planner to meet, found none`);
  const t0 = performance.now();
  const workers = opts.workers ?? availableParallelism();
  const { report, chosen } = await plan(scenario, space, (list) => simulateAll(list, { workers }), workers);
  const seconds = (performance.now() - t0) / 1000;
  const dir = opts.out ?? join('reports', 'out', `${scenario.name}-plan`);
  const result = chosen?.result;
  if (result) result.plan = report;
  if (opts.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return chosen ? 0 : 1;
  }
  console.log(planSummary(report, seconds));
  if (result && chosen) {
    const written = [...writeDataFiles(result, dir), ...await renderReport(result, chosen.candidate.scenario, dir)];
    console.log(`\nwrote ${written.map((p) => relative(process.cwd(), p)).join(', ')}`);
  }
  return chosen ? 0 : 1;
}

/** Groups the sweep's runs into one curve per variant. */
function sweepReport(path: string, labels: string[], grid: { label: string; value?: string }[], results: Result[]): SweepReport {
  const overLoad = path.endsWith('arrivals');
  const curves = labels.map((label) => {
    const points = grid.flatMap((g, i) => (g.label === label ? [point(g.value!, results[i]!, overLoad)] : []));
    const k = knee(points, overLoad);
    return { label, points, ...(k ? { knee: k } : {}) };
  });
  return { path, axis: overLoad ? 'offered load (requests/s)' : path, curves };
}

try {
  process.exitCode = await main();
} catch (e) {
  if (e instanceof ScenarioError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`webfarm: internal error: ${msg}. This is a bug in webfarm, not in your scenario; please report it with the scenario file.\n`);
    process.exitCode = 1;
  }
}
