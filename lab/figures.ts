// What a failover run's raw material says, as pure functions: probe.sh's log as blocks, the
// checker's syslog lines in scenario time, the client's accounting, and per fault the figures —
// detection, traffic moved, whole again, clients moved, the director's resets, recovery.
// lab/failover.ts gathers the material from the VMs; nothing here does I/O.

import { LabError } from './errors.ts';
import type { OpenLoopCounts } from './guest/open-loop.d.mts';
import { causeOf, type RequestRecord } from './timeline.ts';
import { noFailures, type CheckLogLine, type FaultReport, type Marker } from '../reports/result.ts';

/** A fault as the lab applied it: when (scenario time), to which host, and what was done. */
export interface AppliedFault {
  at: number;
  host: string;
  kind: string;
  action: string;
}

/** One change of the director's rules (mangle PREROUTING and ipvsadm -Sn), in scenario time. */
export interface RuleChange {
  t: number;
  rules: string;
}

/** A scenario host's real server name: "bcn/web1" → "web1". */
export const serverName = (host: string) => (host.includes('/') ? host.split('/')[1]! : host);

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
export function checkerLines(messages: string, wallToScenario: (epoch: number) => number, year: number): CheckLogLine[] {
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
export interface ExtraFigures {
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

export function faultFigures(applied: AppliedFault[], changes: RuleChange[], records: RequestRecord[], duration: number): { markers: Marker[]; reports: FaultReport[]; extra: ExtraFigures[] } {
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
