// npm run lab -- <command>: the micro-VM lab by hand.
//   image            build (or check) the VM image ahead
//   up [scenario]    boot the farm and leave it running
//   status           the director's IPVS table and mangle rules, as the deck's ipvsadm -l showed them
//   exec <host> <command…>   run a shell command in a host, print its output, exit with its code
//   down             stop the farm and remove what it left
// (`failover`, which needs the simulator too, is added by compare/cli.ts: npm run lab runs that.)
// Errors a person can act on are one paragraph and exit code 2; progress shows on a TTY only.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { LabError } from './errors.ts';
import { buildImage } from './image/build.ts';
import { stateDir } from './paths.ts';
import { progress, progressDone } from './progress.ts';
import { destroyLiveFarms, Farm } from './providers/qemu/farm.ts';
import { formatStatus, readStatus } from './status.ts';
import { HOSTS, planFarm, type HostName } from './topology.ts';
import { loadScenario, ScenarioError } from '../scenarios/load.ts';

const DEFAULT_SCENARIO = 'failover';

/** A bare name is scenarios/<name>.yaml; anything else is a path. */
export function scenarioPath(nameOrPath: string): string {
  if (/^[a-z0-9][a-z0-9_-]*$/.test(nameOrPath) && !existsSync(nameOrPath)) {
    return join(import.meta.dirname, '..', 'scenarios', `${nameOrPath}.yaml`);
  }
  return resolve(nameOrPath);
}

function runningFarm(): Farm {
  const farm = Farm.load(stateDir());
  if (!farm || !farm.isRunning()) throw new LabError('No lab farm is up: start one with "npm run lab -- up [scenario]".');
  return farm;
}

export const program = new Command('lab')
  .description('the webfarm micro-VM lab: a real LVS director, two web servers and a client under qemu')
  .showHelpAfterError()
  .enablePositionalOptions()
  .exitOverride();

program.command('image')
  .description('build the VM image (kernel + initramfs) from Debian packages, or say it is cached')
  .option('--force', 'build again even if cached')
  .action(async (o: { force?: boolean }) => {
    const img = await buildImage({ force: o.force });
    progressDone();
    const how = img.buildSeconds > 0 ? `built in ${img.buildSeconds.toFixed(1)} s` : 'cached';
    console.log(`${img.dir}: kernel ${img.kernelVersion}, initramfs ${(img.bytes / 1e6).toFixed(1)} MB, the client's with nodejs ${(img.clientBytes / 1e6).toFixed(1)} MB (${how})`);
  });

program.command('up')
  .description('boot director, web1, web2 and client for a scenario and leave them running')
  .argument('[scenario]', 'scenario name (scenarios/<name>.yaml) or file', DEFAULT_SCENARIO)
  .option('--set <path=value...>', 'override scenario fields, e.g. --set sites[0].director.scheduler=rr')
  .action(async (name: string, o: { set?: string[] }) => {
    const file = scenarioPath(name);
    const plan = planFarm(loadScenario(file, { set: o.set }), name);
    const img = await buildImage();
    progress(img.buildSeconds > 0 ? `image built in ${img.buildSeconds.toFixed(1)} s` : '');
    const farm = await Farm.boot(plan, img, { persistentDir: stateDir(), onProgress: progress });
    progressDone();
    console.log(`The farm of scenario "${plan.scenario}" is up (${farm.state.accel.toUpperCase()}, four VMs ready in ${farm.state.bootSeconds.toFixed(1)} s).`);
    console.log(`VIP ${plan.vip}:80 on the director; ${plan.clientAddresses.length} client addresses; real servers ${plan.realServers.map((r) => `${r.name} ${r.address}`).join(', ')}.`);
    console.log('Try: npm run lab -- status | npm run lab -- exec client /etc/webfarm/sweep.sh 1 8 | npm run lab -- down');
  });

program.command('status')
  .description("the director's IPVS services with their counters and the mangle rules (ipvsadm -Ln --stats, iptables -t mangle)")
  .action(async () => {
    const farm = runningFarm();
    const names = Object.fromEntries(farm.state.plan.realServers.map((r) => [r.address, r.name]));
    console.log(formatStatus(await readStatus(farm), names));
  });

program.command('exec')
  .description('run a shell command in one host; prints its output and exits with its code')
  .argument('<host>', HOSTS.join(' | '))
  .argument('<command...>', 'the command (quote it to keep pipes and ; for the guest)')
  .passThroughOptions()
  .action(async (host: string, command: string[]) => {
    if (!HOSTS.includes(host as HostName)) throw new LabError(`There is no host "${host}" in the lab: choose one of ${HOSTS.join(', ')}.`);
    const r = await runningFarm().exec(host as HostName, command.join(' '), { timeoutMs: 600_000 });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.code;
  });

program.command('down')
  .description('stop the farm started by up and remove its sockets and state')
  .action(async () => {
    const farm = Farm.load(stateDir());
    if (!farm) {
      console.log('No lab farm is up.');
      return;
    }
    await farm.destroy();
    console.log(`The farm of scenario "${farm.state.scenario}" is down.`);
  });

/**
 * Runs the command line: Ctrl-C (or a kill) takes down what this process started, then exits
 * 130 (143); errors a person can act on are one paragraph and exit code 2. compare/cli.ts
 * calls it too, after adding the commands that need the simulator as well.
 */
export async function main(cli: Command): Promise<never> {
  let interruptedBy: NodeJS.Signals | undefined;
  const interrupted = async (signal: NodeJS.Signals): Promise<void> => {
    interruptedBy = signal;
    progressDone();
    await destroyLiveFarms();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', (s) => void interrupted(s));
  process.once('SIGTERM', (s) => void interrupted(s));

  try {
    await cli.parseAsync(process.argv);
  } catch (e) {
    progressDone();
    // An interrupted boot fails as its VMs go; the signal handler reports and exits instead.
    if (interruptedBy) await new Promise(() => {});
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof LabError || e instanceof ScenarioError) {
      console.error(`lab: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error('lab: an unexpected error (a bug in the lab; please report it with this text):');
      console.error(e);
      process.exitCode = 1;
    }
  }
  // Console sockets of a farm left running must not keep this process alive.
  process.exit(process.exitCode ?? 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(program);
