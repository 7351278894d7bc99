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
  .option('--capacity <seconds>', 'seconds of autocannon before the faults (0: skip the capacity phase)', '4')
  .option('--requests-per-connection <n>', 'requests each client address sends on one kept-alive connection before opening a new one (1: a connection per request, as the simulator models one)', '10')
  .action(async (name: string, o: { rate: string; set?: string[]; out?: string; provider: string; capacity: string; requestsPerConnection: string }) => {
    const rate = Number(o.rate);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new LabError(`--rate: expected requests per second above zero, found "${o.rate}".`);
    const capacitySeconds = Number(o.capacity);
    if (!(capacitySeconds >= 0) || !Number.isFinite(capacitySeconds)) throw new LabError(`--capacity: expected seconds (0 or more), found "${o.capacity}".`);
    const requestsPerConnection = Number(o.requestsPerConnection);
    if (!Number.isInteger(requestsPerConnection) || requestsPerConnection < 1) throw new LabError(`--requests-per-connection: expected a whole number, 1 or more, found "${o.requestsPerConnection}".`);
    const started = performance.now();
    const r = await failoverReport(scenarioPath(name), {
      rate, capacitySeconds, requestsPerConnection, set: o.set, out: o.out, provider: o.provider,
      onProgress: (m) => { progress(m); if (!process.stderr.isTTY) console.error(m); },
    });
    progressDone();
    console.log(summary(r.lab));
    for (const run of r.runs) {
      console.log(`\n${run.label ? `${run.label}: m` : 'M'}easured on ${r.ranOn} (booted in ${run.bootSeconds.toFixed(1)} s) beside the simulator's prediction:\n`);
      console.log(sideBySide(run.lab, run.sim, run.run.figures));
    }
    console.log(`\nwrote ${r.written.map((p) => relative(process.cwd(), p)).join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
  });

await main(program);
