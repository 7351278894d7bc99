// A failover run on a booted farm: the open-loop load from every client address for the
// scenario's duration, the scenario's faults applied on its timeline, the director's probes
// (lab/guest/probe.sh) and the health checker's log — all turned into one lab Result by
// lab/timeline.ts. The host's monotonic clock is the reference: each VM's uptime is lined up
// with it once (the console round trip bounds the error, about 10–50 ms under TCG), and time 0
// of the scenario is the instant the client's load starts (open-loop.mjs --start-at).

import { gunzipSync } from 'node:zlib';
import { LabError } from './errors.ts';
import type { LabFarm } from './providers/provider.ts';
import { directorColumns } from './counters.ts';
import { sourceRanges } from './sources.ts';
import type { OpenLoopCounts } from './guest/open-loop.d.mts';
import { account, checkerLines, faultFigures, probeBlocks, serverName, type AppliedFault, type ExtraFigures, type RuleChange } from './figures.ts';
import { timelineResult, type RequestRecord } from './timeline.ts';
import type { HostName, Plan } from './topology.ts';
import { distributionMean } from '../scenarios/distribution.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { FaultReport, Result } from '../reports/result.ts';

export interface FailoverOptions {
  /** Total requests per second over all client addresses. */
  rate: number;
  /** Requests per kept-alive connection of each client address (default 10; 1: a connection per request). */
  requestsPerConnection?: number;
  onProgress?: (message: string) => void;
}

export interface FailoverRun {
  result: Result;
  records: RequestRecord[];
  /** The director's rule changes, first the state before the load. */
  changes: RuleChange[];
  /** The director's probe log as it was written (uptime-stamped blocks). */
  probeLog: string;
  /** Per fault: the Result's report and the lab's own figures. */
  figures: (FaultReport & ExtraFigures)[];
  /** Each fault as applied: when (scenario time) and what was done. */
  applied: AppliedFault[];
}

type Fault = Scenario['faults'][number];
const now = () => performance.now() / 1000;
const sleep = (s: number) => new Promise((r) => setTimeout(r, Math.max(0, s * 1000)));

/** host time − guest uptime, from the quickest of a few round trips. */
async function clockOffset(farm: LabFarm, host: HostName): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 4; i++) {
    const before = now();
    const r = await farm.exec(host, 'cat /proc/uptime', { check: true });
    const after = now();
    const uptime = Number(r.stdout.split(' ')[0]);
    if (after - before < best.rtt) best = { rtt: after - before, offset: (before + after) / 2 - uptime };
  }
  return best.offset;
}

/** The web VM that answers for a scenario host ("web1" or "bcn/web1"). */
function vmOf(plan: Plan, host: string): HostName {
  const name = serverName(host);
  const rs = plan.realServers.find((r) => r.name === name);
  if (!rs) throw new LabError(`The lab can fail real servers only, and fault host "${host}" is not one of ${plan.realServers.map((r) => r.name).join(', ')}.`);
  return rs.host;
}

/** A slow server's extra delay: (factor − 1) × the mean work of a request, on its answers (tc netem). */
function netemDelayMs(scenario: Scenario, factor: number): number {
  return Math.max(1, Math.round((factor - 1) * distributionMean(scenario.workload.cpu) * 1000));
}

/** Checks ahead of booting that the lab can play every fault of the scenario. */
export function checkFaults(plan: Plan, scenario: Scenario): void {
  for (const f of scenario.faults) {
    const vm = vmOf(plan, f.host);
    const others = plan.realServers.filter((r) => r.host === vm).map((r) => r.name);
    if (f.kind !== 'recover' && others.length > 1) {
      throw new LabError(`The lab's ${vm} VM answers for ${others.join(' and ')}, so a ${f.kind} of ${f.host} would hit them all: fail real servers only in scenarios with two of them (one per web VM).`);
    }
  }
}

export async function runFailover(farm: LabFarm, scenario: Scenario, options: FailoverOptions): Promise<FailoverRun> {
  const plan = farm.plan;
  checkFaults(plan, scenario);
  const say = options.onProgress ?? (() => {});
  const duration = scenario.duration;
  const timeout = scenario.clients.timeout;
  const total = Math.round(options.rate * duration);
  if (!(options.rate > 0) || total < 1) throw new LabError(`The failover load needs a rate above zero, found ${options.rate} requests/s.`);

  // Line the VMs' clocks up with ours.
  const hosts: HostName[] = ['client', 'director', 'web1', 'web2'];
  const offsets = new Map<HostName, number>();
  for (const h of hosts) offsets.set(h, await clockOffset(farm, h));
  const hostTime = (h: HostName, uptime: number) => uptime + offsets.get(h)!;

  const stopProbes = await farm.probe();
  await farm.exec('client', 'rm -f /tmp/requests.jsonl', { check: true });
  // node needs a second or more to start under TCG: start it ahead, at an agreed instant.
  const t0 = now() + 4;
  const startAt = (t0 - offsets.get('client')!).toFixed(2);
  const args = [
    '--url', `http://${plan.vip}/`, '--rate', String(options.rate), '--duration', String(duration),
    '--sources', sourceRanges(plan.clientAddresses), '--timeout', String(timeout), '--connect-timeout', String(scenario.clients.connect_timeout),
    '--out', '/tmp/requests.jsonl', '--start-at', startAt, '--requests-per-connection', String(options.requestsPerConnection ?? 10),
  ];
  // One command on the client's channel for the whole load: its end is the load's end. Nothing
  // else is run on the client until then.
  const loadEnd = t0 + duration + timeout + 60;
  const load = farm.exec('client', `node /etc/webfarm/open-loop.mjs ${args.join(' ')} >/dev/null`, { timeoutMs: (loadEnd - now()) * 1000 });
  // A load that fails early is reported once the faults are played, not as an unhandled rejection.
  load.catch(() => {});
  say(`load: ${options.rate} requests/s from ${plan.clientAddresses.length} client addresses for ${duration} s…`);

  // Faults on the timeline; a recover undoes whatever that host's last fault was.
  const applied: FailoverRun['applied'] = [];
  const lastFault = new Map<HostName, Fault>();
  const faults = [...scenario.faults].sort((a, b) => a.at - b.at);
  // A fault run in a guest happens at the guest's instant of issuing it (the console's round
  // trip would make it look later).
  const guestNow = async (vm: HostName, command: string) => {
    const out = await farm.exec(vm, `cut -d' ' -f1 /proc/uptime; ${command}`, { check: true, timeoutMs: 30_000 });
    return hostTime(vm, Number(out.stdout.trim().split('\n')[0])) - t0;
  };
  for (const f of faults) {
    await sleep(t0 + f.at - now());
    const vm = vmOf(plan, f.host);
    let at: number;
    let action: string;
    const kind = f.kind === 'recover' ? lastFault.get(vm)?.kind : f.kind;
    if (f.kind === 'recover') lastFault.delete(vm);
    else lastFault.set(vm, f);
    switch (`${f.kind === 'recover' ? 'recover ' : ''}${kind ?? 'nothing'}`) {
      case 'crash':
        at = now() - t0;
        await farm.fault(vm, 'power-off');
        action = `${vm} powered off`;
        break;
      case 'recover crash':
        at = now() - t0;
        await farm.fault(vm, 'power-on');
        action = `${vm} booted again (console up ${(now() - t0 - at).toFixed(1)} s later)`;
        break;
      case 'stop':
        at = await guestNow(vm, 'nginx -s stop');
        action = `nginx -s stop on ${vm}`;
        break;
      case 'recover stop':
        at = await guestNow(vm, '/etc/webfarm/web.sh start');
        action = `web.sh start on ${vm}`;
        break;
      case 'link-down':
        at = now() - t0;
        await farm.fault(vm, 'link-down');
        action = `${vm}'s cable pulled`;
        break;
      case 'recover link-down':
        at = now() - t0;
        await farm.fault(vm, 'link-up');
        action = `${vm}'s cable plugged in`;
        break;
      // busybox's shell runs its own tc applet for a bare "tc": Debian's by path.
      case 'slow': {
        const ms = netemDelayMs(scenario, f.factor ?? 1);
        at = await guestNow(vm, `/sbin/tc qdisc replace dev eth0 root netem delay ${ms}ms`);
        action = `tc netem delay ${ms}ms on ${vm}'s answers`;
        break;
      }
      case 'recover slow':
        at = await guestNow(vm, '/sbin/tc qdisc del dev eth0 root');
        action = `tc netem removed on ${vm}`;
        break;
      default:
        at = now() - t0;
        action = `nothing to recover on ${vm}`;
    }
    applied.push({ at: Number(at.toFixed(3)), host: f.host, kind: f.kind, action });
    say(`${at.toFixed(1)} s: ${action}`);
  }

  // The load ends at duration; its last requests may wait up to the client's timeout.
  // Its stderr ends with the summary line: sent, ok and failed by cause.
  const ended = await load;
  const last = ended.stderr.trim().split('\n').pop() ?? '';
  if (ended.code !== 0 || !last.startsWith('{')) {
    throw new LabError(`The client's load failed with exit code ${ended.code}; its last words: ${ended.stderr.trim().slice(-300) || '(none)'}`);
  }
  const probeLog = await stopProbes();

  const summary = JSON.parse(last) as OpenLoopCounts;
  const packed = await farm.exec('client', 'gzip -c /tmp/requests.jsonl | base64', { check: true, timeoutMs: 120_000 });
  const records = gunzipSync(Buffer.from(packed.stdout.replace(/\s+/g, ''), 'base64')).toString('utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as RequestRecord);
  account(records, summary, total);

  const clock = (await farm.exec('director', "date +%s; cut -d' ' -f1 /proc/uptime", { check: true })).stdout.trim().split('\n').map(Number);
  const wallMinusUptime = clock[0]! - clock[1]!;
  const messages = (await farm.exec('director', 'cat /var/log/messages', { check: true })).stdout;
  const year = new Date((clock[0]!) * 1000).getUTCFullYear();
  const checks = checkerLines(messages, (epoch) => hostTime('director', epoch - wallMinusUptime) - t0, year)
    .filter((l) => l.t >= -5);

  const blocks = probeBlocks(probeLog).map((b) => ({ kind: b.kind, t: Number((hostTime('director', b.uptime) - t0).toFixed(3)), text: b.text }));
  const changes: RuleChange[] = blocks.filter((b) => b.kind === 'change').map((b) => ({ t: b.t, rules: b.text }));
  for (const c of changes.slice(1)) checks.push({ t: c.t, host: 'director', text: `rules changed: ${c.rules.split('\n').filter((l) => /MARK|^-a/.test(l)).join('; ')}` });
  checks.sort((a, b) => a.t - b.t);

  const { markers, reports, extra } = faultFigures(applied, changes, records, duration);
  const site = scenario.sites[0]!.name;
  const result = timelineResult(records, {
    name: scenario.name, seed: scenario.seed, duration, warmup: scenario.warmup, step: scenario.step,
    description: `measured on the lab's micro-VMs: ${options.rate} requests/s open loop from ${plan.clientAddresses.length} addresses`,
    servers: plan.realServers.map((r) => ({ site, name: r.name })),
    markers, faults: reports, checks,
  });
  const names = Object.fromEntries(plan.realServers.map((r) => [r.address, r.name]));
  Object.assign(result.series.columns, directorColumns(blocks, names, duration, scenario.step));
  // The failures charged to each fault come from timelineResult; the rest of the figures from here.
  const figures = (result.faults ?? []).map((f, i) => ({ ...f, ...extra[i] }));
  return { result, records, changes, probeLog, applied, figures };
}

