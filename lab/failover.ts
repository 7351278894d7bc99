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
import { causeOf, timelineResult, type RequestRecord } from './timeline.ts';
import type { HostName, Plan } from './topology.ts';
import { distributionMean } from '../scenarios/distribution.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { noFailures, type CheckLogLine, type FaultReport, type Marker, type Result } from '../reports/result.ts';

export interface FailoverOptions {
  /** Total requests per second over all client addresses. */
  rate: number;
  /** Requests per kept-alive connection of each client address (default 10; 1: a connection per request). */
  requestsPerConnection?: number;
  onProgress?: (message: string) => void;
}

/** One change of the director's rules (mangle PREROUTING and ipvsadm -Sn), in scenario time. */
export interface RuleChange {
  t: number;
  rules: string;
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
  applied: { at: number; host: string; kind: string; action: string }[];
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

/** A scenario host's real server name: "bcn/web1" → "web1". */
const serverName = (host: string) => (host.includes('/') ? host.split('/')[1]! : host);

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

/** Parses probe.sh's log into blocks: kind, uptime, text. */
export function probeBlocks(log: string): { kind: string; uptime: number; text: string }[] {
  const out: { kind: string; uptime: number; text: string }[] = [];
  for (const part of log.split(/^@/m).slice(1)) {
    const nl = part.indexOf('\n');
    const [kind, uptime] = part.slice(0, nl < 0 ? undefined : nl).split(' ');
    out.push({ kind: kind!, uptime: Number(uptime), text: nl < 0 ? '' : part.slice(nl + 1).trimEnd() });
  }
  return out;
}

/** Syslog's "Nov 25 16:03:01 host prog[pid]: text" lines, the checker's, in scenario time (±1 s: syslog has whole seconds). */
function checkerLines(messages: string, wallToScenario: (epoch: number) => number, year: number): CheckLogLine[] {
  const out: CheckLogLine[] = [];
  for (const line of messages.split('\n')) {
    const m = /^(\w{3} +\d+ \d\d:\d\d:\d\d) (\S+) (?:\S+ )?((?:monit|Keepalived\w*|keepalived)\S*?): (.*)$/.exec(line);
    if (!m) continue;
    const epoch = Date.parse(`${m[1]} ${year} UTC`) / 1000;
    if (Number.isNaN(epoch)) continue;
    out.push({ t: Number(wallToScenario(epoch).toFixed(3)), host: 'director', text: `${m[3]!.replace(/\[\d+\]$/, '')}: ${m[4]}` });
  }
  return out;
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

/** ok + failed by cause = sent, and sent = every request scheduled: anything else is an error. */
export function account(records: RequestRecord[], summary: OpenLoopCounts, total: number): void {
  const seqs = new Set(records.map((r) => r.seq));
  const { sent, ok, ...failed } = summary;
  const failedSum = Object.values(failed).reduce((a, n) => a + n, 0);
  const problems: string[] = [];
  if (records.length !== total) problems.push(`the log has ${records.length} requests, ${total} were scheduled`);
  if (seqs.size !== records.length) problems.push(`${records.length - seqs.size} sequence numbers appear twice`);
  if (sent !== total) problems.push(`the client says it sent ${sent}`);
  if (ok + failedSum !== sent) problems.push(`its ok ${ok} + failed ${failedSum} ≠ sent ${sent}`);
  if (problems.length > 0) throw new LabError(`Not every request of the failover load is accounted for: ${problems.join('; ')}.`);
}

/**
 * Per fault: the failover action is the first change of the director's rules after it
 * (web_balancing.sh or keepalived acting), as probe.sh saw it five times a second — or earlier,
 * if the client had already been answered by another server on an address the failed server
 * used to answer (the rule had changed by then; the probe's loop lags under TCG). "Moved" is
 * that first answer from elsewhere; "whole again" the scheduled time of the first request after
 * which none failed until the next fault.
 */
interface ExtraFigures {
  /** When every request was served again: the scheduled time after the last failure. */
  wholeAt?: number;
  /**
   * Refused requests no real server can have refused (clients of the other servers, or any
   * client while the failed server is silent): the director reset them — a SYN that fell
   * between web_balancing.sh's flush and its new mark rule.
   */
  resetByDirector?: number;
  /** A recovery: seconds until the recovered server answered the load again (absent: it did not). */
  servingAgainAfter?: number;
}

function faultFigures(applied: FailoverRun['applied'], changes: RuleChange[], records: RequestRecord[], duration: number): { markers: Marker[]; reports: FaultReport[]; extra: ExtraFigures[] } {
  const markers: Marker[] = [];
  const reports: FaultReport[] = [];
  const extra: ExtraFigures[] = [];
  const bySched = [...records].sort((a, b) => a.sched - b.sched);
  const ok = (r: RequestRecord) => causeOf(r) === 'ok';
  const round = (t: number) => Number(t.toFixed(3));
  applied.forEach((a, i) => {
    const next = applied[i + 1]?.at ?? duration;
    const server = serverName(a.host);
    markers.push({ t: a.at, label: `${server} ${a.kind}`, kind: a.kind === 'recover' ? 'recover' : 'fault' });
    const report: FaultReport = { at: a.at, host: server, kind: a.kind, failed: noFailures() };
    extra.push({});
    if (a.kind === 'recover') {
      const back = bySched.find((r) => r.start >= a.at && r.start < next && ok(r) && r.server === server);
      if (back) extra[i] = { servingAgainAfter: round(back.start - a.at) };
    } else {
      const itsClients = new Set(bySched.filter((r) => r.sched < a.at && ok(r) && r.server === server).map((r) => r.src));
      const firstElsewhere = bySched.find((r) => r.start >= a.at && r.start < next && ok(r) && r.server !== server && itsClients.has(r.src));
      const change = changes.find((c, k) => k > 0 && c.t >= a.at && c.t < next);
      const acted = Math.min(change?.t ?? Infinity, firstElsewhere?.start ?? Infinity);
      if (Number.isFinite(acted)) {
        report.detectedAt = round(acted);
        report.detection = round(acted - a.at);
        markers.push({ t: report.detectedAt, label: `${server} detected down`, kind: 'detection' });
      }
      if (firstElsewhere) {
        report.movedAt = round(firstElsewhere.start);
        markers.push({ t: report.movedAt, label: `traffic off ${server}`, kind: 'moved' });
      }
      const window = bySched.filter((r) => r.sched >= a.at && r.sched < next);
      let lastFail = -1;
      window.forEach((r, k) => { if (!ok(r)) lastFail = k; });
      const wholeAt = lastFail < 0 ? a.at : window[lastFail + 1]?.sched;
      const serverOf = (rs: RequestRecord[]) => {
        const m = new Map<string, string>();
        for (const r of rs) if (ok(r)) m.set(r.src, r.server!);
        return m;
      };
      const before = serverOf(bySched.filter((r) => r.sched < a.at));
      const after = serverOf(window);
      const movedClients = [...after].filter(([src, srv]) => before.has(src) && before.get(src) !== srv).length;
      // A powered-off or unplugged server refuses nothing, so then every refusal is the director's.
      const silent = a.kind === 'crash' || a.kind === 'link-down';
      const resetByDirector = window.filter((r) => r.error === 'refused' && (silent || (before.has(r.src) && before.get(r.src) !== server))).length;
      report.movedClients = movedClients;
      extra[i] = { ...(wholeAt !== undefined ? { wholeAt: round(wholeAt) } : {}), resetByDirector };
    }
    reports.push(report);
  });
  return { markers, reports, extra };
}
