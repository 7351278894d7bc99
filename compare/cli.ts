// npm run lab -- <command>: the lab's own commands (lab/cli.ts) plus `failover`, which runs
// the scenario on the lab's VMs and through the simulator and reports both side by side —
// it needs both wings, so it is added here rather than in lab/ (see compare/failover.ts).

import { relative } from 'node:path';
import { LabError } from '../lab/errors.ts';
import { main, program, scenarioPath } from '../lab/cli.ts';
import { progress, progressDone } from '../lab/progress.ts';
import { DEFAULT_PROVIDER, PROVIDER_NAMES } from '../lab/providers/index.ts';
import { summary } from '../sim/summary.ts';
import { failoverReport, sideBySide } from './failover.ts';

program.command('failover')
  .description("boot the farm, run the scenario's open-loop load and faults, and report the measurement beside the simulator's prediction (reports/out/<name>-lab/)")
  .argument('[scenario]', 'scenario name (scenarios/<name>.yaml) or file', 'failover')
  .option('--rate <requests/s>', 'total open-loop load over all client addresses', '100')
  .option('--set <path=value...>', 'override scenario fields, e.g. --set healthcheck.action=corrected')
  .option('--out <dir>', 'report folder (default reports/out/<name>-lab)')
  .option('--provider <name>', `where the farm runs: ${PROVIDER_NAMES.join(' | ')}`, DEFAULT_PROVIDER)
  .action(async (name: string, o: { rate: string; set?: string[]; out?: string; provider: string }) => {
    const rate = Number(o.rate);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new LabError(`--rate: expected requests per second above zero, found "${o.rate}".`);
    const started = performance.now();
    const r = await failoverReport(scenarioPath(name), { rate, set: o.set, out: o.out, provider: o.provider, onProgress: (m) => { progress(m); if (!process.stderr.isTTY) console.error(m); } });
    progressDone();
    console.log(summary(r.lab));
    console.log(`\nMeasured on ${r.ranOn} (booted in ${r.bootSeconds.toFixed(1)} s) beside the simulator's prediction:\n`);
    console.log(sideBySide(r.lab, r.sim, r.run.figures));
    console.log(`\nwrote ${r.written.map((p) => relative(process.cwd(), p)).join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
  });

await main(program);
