// `npm run sim -- scenario.yaml`: runs the model, prints a summary, writes the data files.
// All I/O of the simulator lives here; bad input is one paragraph and exit code 2.

import { Command, CommanderError } from 'commander';
import { join, relative } from 'node:path';
import { loadScenarioSet, ScenarioError } from '../scenarios/load.ts';
import { resultJson, writeDataFiles } from '../reports/data.ts';
import { simulate } from './run.ts';
import { comparison, summary } from './summary.ts';
import { progressBar } from './progress.ts';

const program = new Command()
  .name('npm run sim --')
  .description('Simulate a web farm scenario and write its report data to reports/out/<name>/')
  .argument('<scenario>', 'a scenario file (YAML)')
  .option('--set <path=value>', 'override a field, e.g. --set sites[0].uplink=200Mbps (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--json', 'print results.json to stdout instead of the summary (writes no files)')
  .option('--out <dir>', 'report folder (default reports/out/<name>)')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

function main(): number {
  try {
    program.parse();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const [file] = program.args as [string];
  const opts = program.opts<{ set: string[]; json?: boolean; out?: string }>();
  const { base: scenario, variants } = loadScenarioSet(file, { set: opts.set });
  const runs = [{ label: 'base', scenario }, ...variants];
  const results = runs.map((run, i) => {
    const bar = !opts.json && process.stderr.isTTY ? progressBar(runs.length > 1 ? `${run.label} (${i + 1}/${runs.length})` : scenario.name) : undefined;
    const r = simulate(run.scenario, bar ? { progress: bar.update } : {});
    bar?.done();
    return r;
  });
  const result = results[0]!;
  if (variants.length > 0) result.variants = variants.map((v, i) => ({ label: v.label, result: results[i + 1]! }));
  if (opts.json) {
    process.stdout.write(resultJson(result));
    return 0;
  }
  const dir = opts.out ?? join('reports', 'out', scenario.name);
  const written = writeDataFiles(result, dir);
  console.log(summary(result));
  if (variants.length > 0) console.log(`\n${comparison(runs.map((r, i) => ({ label: r.label, result: results[i]! })))}`);
  console.log('');
  console.log(`wrote ${written.map((p) => relative(process.cwd(), p)).join(', ')}`);
  return 0;
}

try {
  process.exitCode = main();
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
