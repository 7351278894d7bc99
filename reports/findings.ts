// What a run means, in plain sentences: whether the SLO is met, the busiest resource and
// whether it is the bottleneck, what failed and why, what each fault did, and what to change.
// Pure: a Result (and the Scenario, when there is one, for the knobs to name) in, sentences out.

import { count, formatBandwidth, formatDuration, money, percent, percentLimit, perSecond, shortValue } from './format.ts';
import { BOTTLENECK, HIGH, TARGET } from './levels.ts';
import { busiest, ERROR_CAUSES, failedTotal, offeredRate, type ErrorCause, type ResourceUse, type Result } from './result.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { variantsOf, type Variant } from './variant.ts';
import { CAUSE_TEXT } from './causes.ts';

export type Topic = 'slo' | 'plan' | 'bottleneck' | 'errors' | 'faults' | 'balance' | 'sessions' | 'compare' | 'sweep' | 'advice';
/** good: nothing to do; info: context; warning: worth a look; problem: needs a change. */
export type Tone = 'good' | 'info' | 'warning' | 'problem';

export interface Finding {
  topic: Topic;
  tone: Tone;
  text: string;
}

/** "268 timed out (…) and 3 reset (…)": the causes that happened, largest first. */
export function causesPhrase(failed: Record<ErrorCause, number>, short = false): string {
  const parts = ERROR_CAUSES.filter((c) => (failed[c] ?? 0) > 0)
    .sort((a, b) => failed[b] - failed[a])
    .map((c) => {
      const { phrase, why } = CAUSE_TEXT[c];
      return `${count(failed[c])} ${phrase}${!short && why ? ` (${why})` : ''}`;
    });
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function sloFinding(result: Result): Finding {
  const slo = result.slo;
  if (!slo || slo.checks.length === 0) {
    return { topic: 'slo', tone: 'info', text: 'No SLO was given: add one (e.g. slo: { p99: 200ms, errors: 0.1% }) to have the run judged against it.' };
  }
  const phrase = (c: (typeof slo.checks)[number]): string => {
    const key = c.target.split(' ')[0]!;
    if (key === 'errors') {
      return `${percent(c.value)} of requests failed, ${c.met ? 'within the' : 'above the'} ${percentLimit(c.limit)} limit`;
    }
    if (result.latency.count === 0) return `${key} cannot be measured: no request was answered`;
    return `${key} was ${formatDuration(c.value)}, ${c.met ? 'within the' : 'above the'} ${formatDuration(c.limit)} limit`;
  };
  const missed = slo.checks.filter((c) => !c.met);
  const met = slo.checks.filter((c) => c.met);
  const ordered = [...missed, ...met].map(phrase);
  const list = ordered.length > 1 ? `${ordered.slice(0, -1).join('; ')}; and ${ordered.at(-1)}` : ordered[0];
  return slo.met
    ? { topic: 'slo', tone: 'good', text: `The SLO is met: ${list}.` }
    : { topic: 'slo', tone: 'problem', text: `The SLO is missed: ${list}.` };
}

const KIND_NAMES: Record<string, string> = {
  'server-cpu': 'server CPUs', 'director-cpu': 'director CPUs', 'director-nic': 'director NICs',
  'uplink-in': 'inbound uplinks', 'uplink-out': 'outbound uplinks',
};

/** Names resources one by one, or as "7 server CPUs in site bcn (99.6%–100%)" when many share a kind. */
export function groupNames(resources: ResourceUse[]): string {
  const groups = new Map<string, ResourceUse[]>();
  for (const r of resources) groups.set(`${r.site}\0${r.kind}`, [...(groups.get(`${r.site}\0${r.kind}`) ?? []), r]);
  return [...groups.values()].map((g) => {
    if (g.length <= 2) return g.map((r) => `${r.name} (${percent(r.utilisation)})`).join(', ');
    const lo = percent(Math.min(...g.map((r) => r.utilisation)));
    const hi = percent(Math.max(...g.map((r) => r.utilisation)));
    return `${g.length} ${KIND_NAMES[g[0]!.kind] ?? g[0]!.kind} in site ${g[0]!.site} (${lo === hi ? lo : `${lo}–${hi}`})`;
  }).join(', ');
}

function bottleneckFinding(result: Result): Finding {
  const sorted = busiest(result);
  const top = sorted[0];
  if (!top) return { topic: 'bottleneck', tone: 'info', text: 'No resource utilisation was measured.' };
  const saturated = sorted.filter((r) => r.utilisation >= BOTTLENECK);
  if (saturated.length === 0) {
    return {
      topic: 'bottleneck',
      tone: top.utilisation >= HIGH ? 'warning' : 'good',
      text: `The busiest resource is ${top.name} at ${percent(top.utilisation)} busy; it is not a bottleneck (none reaches ${percentLimit(BOTTLENECK)}).`,
    };
  }
  const also = saturated.length > 1 ? ` Also saturated: ${groupNames(saturated.slice(1))}.` : '';
  return {
    topic: 'bottleneck',
    tone: 'problem',
    text: `${top.name} is the bottleneck: it was busy ${percent(top.utilisation)} of the measured window (${percentLimit(BOTTLENECK)} or more), so requests queue there.${also}`,
  };
}

function errorsFinding(result: Result): Finding {
  const { sent, failed } = result.requests;
  const n = failedTotal(failed);
  if (sent === 0) return { topic: 'errors', tone: 'problem', text: 'No request was sent in the measured window.' };
  if (n === 0) return { topic: 'errors', tone: 'good', text: `All ${count(sent)} requests sent in the measured window were answered; none failed.` };
  return {
    topic: 'errors',
    tone: 'problem',
    text: `${count(n)} of ${count(sent)} requests (${percent(n / sent)}) failed: ${causesPhrase(failed)}.`,
  };
}

/** The series column of a host's answers: `ok bcn/web1` for host "web1" or "bcn/web1". */
function okColumn(result: Result, host: string): number[] | undefined {
  const cols = result.series.columns;
  const name = Object.keys(cols).find((k) => k === `ok ${host}` || (k.startsWith('ok ') && k.endsWith(`/${host}`)));
  return name ? cols[name] : undefined;
}

/** Requests a host answered in the steps that start at or after `from`. */
function answeredAfter(result: Result, host: string, from: number): number | undefined {
  const col = okColumn(result, host);
  if (!col) return undefined;
  return result.series.t.reduce((sum, t, i) => (t >= from ? sum + col[i]! : sum), 0);
}

const FAULT_VERBS: Record<string, string> = {
  crash: 'crashed', stop: 'stopped', 'link-down': 'lost its link', slow: 'slowed down', recover: 'recovered',
};

function faultFindings(result: Result): Finding[] {
  const out: Finding[] = [];
  for (const f of result.faults ?? []) {
    const what = `${f.host} ${FAULT_VERBS[f.kind] ?? f.kind} at ${formatDuration(f.at)}`;
    const n = failedTotal(f.failed);
    const failedText = n === 0 ? 'no request failed after it' : `${count(n)} requests failed after it (${causesPhrase(f.failed, true)})`;
    if (f.kind === 'recover') {
      const after = answeredAfter(result, f.host, f.at + result.series.step);
      const back = after === 0 ? `; it answered no request afterwards: the director never sent it traffic again` : '';
      out.push({ topic: 'faults', tone: after === 0 || n > 0 ? 'warning' : 'info', text: `${what}: ${failedText}${back}.` });
      continue;
    }
    const detected = f.detection !== undefined
      ? `detected ${formatDuration(f.detection)} later`
      : 'never detected by a health check';
    const moved = f.movedAt !== undefined ? `, traffic moved off it at ${formatDuration(f.movedAt)}` : ', and traffic was never moved off it';
    out.push({ topic: 'faults', tone: n > 0 ? 'problem' : 'info', text: `${what}: ${detected}${moved}; ${failedText}.` });
  }
  return out;
}

/** Each server's expected share of its site's answers: by weight when known, else equal. */
function balanceFindings(result: Result, scenario?: Scenario): Finding[] {
  // A fault explains an uneven split by itself; the fault findings say so.
  if ((result.faults ?? []).length > 0) return [];
  const out: Finding[] = [];
  const sites = [...new Set(result.servers.map((s) => s.site))];
  for (const site of sites) {
    const servers = result.servers.filter((s) => s.site === site);
    const total = servers.reduce((a, s) => a + s.ok, 0);
    if (servers.length < 2 || total < 100) continue;
    const defs = scenario?.sites.find((x) => x.name === site)?.servers;
    const weight = (name: string) => defs?.find((d) => d.name === name)?.weight ?? 1;
    const weights = servers.reduce((a, s) => a + weight(s.name), 0);
    if (weights === 0) continue;
    const skew = servers.map((s) => ({ s, share: s.ok / total, expected: weight(s.name) / weights }));
    if (skew.every((x) => Math.abs(x.share - x.expected) < 0.1)) continue;
    const split = skew.map((x) => `${x.s.name} ${percent(x.share)}`).join(', ');
    const equal = skew.every((x) => Math.abs(x.expected - skew[0]!.expected) < 1e-9);
    const expected = equal
      ? `equal weights would give each ${percent(skew[0]!.expected)}`
      : `the weights would give ${skew.map((x) => `${x.s.name} ${percent(x.expected)}`).join(', ')}`;
    const scheduler = scenario?.sites.find((x) => x.name === site)?.director?.scheduler;
    const why = scheduler === 'sh' || scheduler === 'dh'
      ? ` ${scheduler === 'sh' ? 'Source' : 'Destination'} hashing spreads client addresses, not requests${scenario ? ` (${count(scenario.clients.addresses)} client addresses here)` : ''}, so a few busy clients can tip it.`
      : '';
    out.push({
      topic: 'balance',
      tone: 'warning',
      text: `Load is uneven in site ${site}: ${split} of its answers, where ${expected}.${why}`,
    });
  }
  return out;
}

function sessionFindings(result: Result): Finding[] {
  const s = result.sessions;
  if (!s || s.started === 0) return [];
  if (s.broken === 0) return [{ topic: 'sessions', tone: 'good', text: `None of the ${count(s.started)} sessions lost its state.` }];
  return [{
    topic: 'sessions',
    tone: 'problem',
    text: `${count(s.broken)} of ${count(s.started)} sessions (${percent(s.broken / s.started)}) lost their state at least once (landed on another server, a restarted server, or a failed request).`,
  }];
}

/**
 * What a comparison shows: which variants meet the SLO and the cheapest of them, or, without
 * an SLO, which gives the most throughput and which the lowest p99.
 */
export function comparisonFindings(variants: Variant[]): Finding[] {
  if (variants.length < 2) return [];
  const names = (vs: Variant[]) => vs.map((v) => v.name).join(', ');
  const costOf = (v: Variant) => v.result.cost?.total;
  const judged = variants.filter((v) => v.result.slo);
  if (judged.length > 0) {
    const meet = judged.filter((v) => v.result.slo!.met);
    if (meet.length === 0) {
      const best = [...judged].sort((a, b) => a.result.latency.p99 - b.result.latency.p99)[0]!;
      return [{ topic: 'compare', tone: 'problem', text: `None of the ${variants.length} variants meets the SLO; the lowest p99 is ${best.name}'s, ${formatDuration(best.result.latency.p99)}.` }];
    }
    const priced = meet.filter((v) => costOf(v) !== undefined).sort((a, b) => costOf(a)! - costOf(b)!);
    const cheapest = priced[0] ? ` The cheapest of them is ${priced[0].name}, at ${count(costOf(priced[0])!)} a month.` : '';
    return [{
      topic: 'compare',
      tone: 'good',
      text: `${meet.length} of the ${variants.length} variants meet${meet.length === 1 ? 's' : ''} the SLO: ${names(meet)}.${cheapest}`,
    }];
  }
  const most = [...variants].sort((a, b) => b.result.throughput - a.result.throughput)[0]!;
  const answered = variants.filter((v) => v.result.latency.count > 0);
  const fastest = [...answered].sort((a, b) => a.result.latency.p99 - b.result.latency.p99)[0];
  const p99 = fastest ? `; the lowest p99 is ${fastest.name}'s, ${formatDuration(fastest.result.latency.p99)}` : '';
  return [{ topic: 'compare', tone: 'info', text: `Of the ${variants.length} variants, ${most.name} answers the most, ${perSecond(most.result.throughput)}${p99}.` }];
}

/**
 * A sweep, one sentence per curve: where its knee is and what gives way beyond it — a warning
 * when the scenario's own load is already past it.
 */
export function sweepFindings(result: Result): Finding[] {
  const sweep = result.sweep;
  if (!sweep) return [];
  const load = sweep.path.endsWith('arrivals') || sweep.axis.startsWith('offered load');
  const offered = offeredRate(result);
  const many = sweep.curves.length > 1;
  return sweep.curves.filter((c) => c.points.length > 0).map((c) => {
    const who = many ? `For ${c.label}, the knee` : 'The knee';
    if (!c.knee) {
      const last = shortValue(c.points.at(-1)!.value);
      return { topic: 'sweep', tone: 'good', text: `${many ? `For ${c.label}, there is no knee` : 'There is no knee'} within the sweep: latency and throughput hold up to ${last}.` };
    }
    const past = load && offered > 0 && c.knee.x < 0.98 * offered;
    const note = past ? `; the scenario's ${perSecond(offered)} is already past it` : '';
    return { topic: 'sweep', tone: past ? 'warning' : 'info', text: `${who} is at ${shortValue(c.knee.value)}: ${c.knee.why}${note}.` };
  });
}

type Verdict = NonNullable<Result['plan']>['verdicts'][number];

/** "4 by closed forms before simulating (the closest, X: why)". */
function ruledOut(vs: Verdict[], how: string): string {
  const closest = vs.at(-1)!;
  return `${vs.length} ${how} (${vs.length > 1 ? 'the closest, ' : ''}${closest.label}: ${closest.reason})`;
}

/**
 * A capacity plan: the cheapest farm that meets the SLO and why every cheaper one was ruled
 * out, then the runners-up; or, when none met it, what came closest.
 */
export function planFindings(result: Result): Finding[] {
  const plan = result.plan;
  if (!plan) return [];
  const verdicts = [...plan.verdicts].sort((a, b) => a.cost - b.cost);
  const chosen = verdicts.find((v) => v.status === 'chosen');
  if (!chosen) {
    const pruned = verdicts.filter((v) => v.status === 'pruned');
    const missed = verdicts.filter((v) => v.status === 'missed');
    const parts = [
      ...(pruned.length ? [ruledOut(pruned, 'by closed forms before simulating')] : []),
      ...(missed.length ? [ruledOut(missed, 'missed it in simulation')] : []),
    ];
    return [{
      topic: 'plan',
      tone: 'problem',
      text: `No farm among the ${count(verdicts.length)} plans searched meets the SLO${parts.length ? `: ${parts.join('; ')}` : ''}. Widen the plan's space: more servers, cores, uplink or sites.`,
    }];
  }
  const cheaper = verdicts.filter((v) => v !== chosen && v.cost <= chosen.cost && (v.status === 'pruned' || v.status === 'missed'));
  const pruned = cheaper.filter((v) => v.status === 'pruned');
  const missed = cheaper.filter((v) => v.status === 'missed');
  const p99 = chosen.p99 !== undefined ? `p99 ${formatDuration(chosen.p99)}; ` : '';
  const head = `The cheapest farm that meets the SLO is ${chosen.label}, at ${money(chosen.cost)} a month (${p99}${chosen.reason})`;
  const why = cheaper.length === 0
    ? '; the plan\'s space held nothing cheaper.'
    : `; ${cheaper.length} cheaper plan${cheaper.length > 1 ? 's were' : ' was'} ruled out: ${[
      ...(pruned.length ? [ruledOut(pruned, 'by closed forms before simulating')] : []),
      ...(missed.length ? [ruledOut(missed, 'in simulation')] : []),
    ].join(', and ')}.`;
  const out: Finding[] = [{ topic: 'plan', tone: 'good', text: head + why }];
  const runnersUp = verdicts.filter((v) => v.status === 'met');
  if (runnersUp.length > 0) {
    const list = runnersUp.map((v) => `${v.label} at ${money(v.cost)}${v.p99 !== undefined ? ` (p99 ${formatDuration(v.p99)})` : ''}`);
    out.push({
      topic: 'plan',
      tone: 'info',
      text: `The runner${list.length > 1 ? 's-up meet it too but cost' : '-up meets it too but costs'} more: ${list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0]}.`,
    });
  }
  return out;
}

// What to change. Each rule looks at one symptom and names the knob that addresses it.

function siteOf(scenario: Scenario | undefined, site: string) {
  return scenario?.sites.find((s) => s.name === site);
}

/**
 * How much more work was offered than answered: a saturated resource's utilisation stops at
 * 100% however much more arrives, so sizing from it alone would fall short by this factor.
 */
function demandRatio(result: Result): number {
  const offered = offeredRate(result);
  return result.throughput > 0 ? Math.max(1, offered / result.throughput) : 1;
}

function resourceAdvice(r: ResourceUse, result: Result, scenario?: Scenario): string {
  const site = siteOf(scenario, r.site);
  const demand = demandRatio(result);
  switch (r.kind) {
    case 'server-cpu': {
      const cpus = result.resources.filter((x) => x.kind === 'server-cpu' && x.site === r.site);
      const mean = cpus.reduce((a, x) => a + x.utilisation, 0) / cpus.length;
      if (cpus.length > 1 && mean < HIGH) {
        return `${r.name} is saturated while its site's servers average ${percent(mean)}: spread the load better before adding servers (a scheduler that follows connections, such as wlc, or more weight on the idle servers).`;
      }
      const needed = Math.ceil((cpus.length * mean * demand) / TARGET);
      const offered = demand > 1.05 ? ` while ${demand.toFixed(1)}× what they answered was offered` : '';
      return `Add real servers (or cores) in site ${r.site}: its ${cpus.length} server${cpus.length > 1 ? 's average' : ' is'} ${percent(mean)} busy${offered}; about ${needed} like them would bring the CPUs to ${percentLimit(TARGET)}.`;
    }
    case 'uplink-in':
    case 'uplink-out': {
      const target = site && Number.isFinite(site.uplink) ? ` to at least ${formatBandwidth((site.uplink * r.utilisation * demand) / TARGET)}` : '';
      return `Raise the uplink of site ${r.site}${target}, or add a site with its own uplink and balance across sites by DNS: the course's answer for a bandwidth-bound farm.`;
    }
    case 'director-nic':
      return site?.director?.forwarding === 'nat'
        ? `The director's NIC carries every answer under NAT: switch forwarding to direct routing (dr) so answers leave the real servers directly, or give the director a faster NIC.`
        : `Give the director of site ${r.site} a faster NIC, or split the traffic across more directors (DNS across sites).`;
    case 'director-cpu':
      return site?.director?.forwarding === 'nat'
        ? `The director's CPU forwards both directions under NAT: direct routing (dr) sends answers around it; more director cores also help.`
        : `Give the director of site ${r.site} more cores, or split the traffic across more directors (DNS across sites).`;
    default:
      return `Relieve ${r.name}: it is saturated.`;
  }
}

function healthcheckKnobs(scenario?: Scenario): string {
  const hc = scenario?.healthcheck;
  if (hc?.kind === 'monit') return `monit's cycle (${formatDuration(hc.cycle)}) and connect timeout (${formatDuration(hc.timeout)})`;
  if (hc?.kind === 'keepalived') return `keepalived's delay_loop (${formatDuration(hc.delay_loop)}) and connect_timeout (${formatDuration(hc.connect_timeout)})`;
  return 'the health check\'s interval and connect timeout';
}

function adviceFindings(result: Result, scenario?: Scenario): Finding[] {
  const out: string[] = [];
  const sorted = busiest(result);
  const saturated = sorted.filter((r) => r.utilisation >= BOTTLENECK);
  // One piece of advice per saturated kind of resource and site: two saturated CPUs of one site are one problem.
  const seen = new Set<string>();
  for (const r of saturated) {
    const key = `${r.site} ${r.kind.startsWith('uplink') ? 'uplink' : r.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(resourceAdvice(r, result, scenario));
  }

  const failed = result.requests.failed;
  const faults = result.faults ?? [];
  for (const f of faults) {
    if (f.kind === 'recover') continue;
    if (f.detectedAt === undefined && failedTotal(f.failed) > 0) {
      out.push(scenario?.healthcheck.kind === 'none'
        ? `Add a health check (monit or keepalived): nothing noticed that ${f.host} failed, so the director kept sending it requests.`
        : `Make the health check see ${f.host}'s failure: it was never detected, so the director kept sending it requests.`);
    } else if (f.detection !== undefined && f.detection > 1 && failedTotal(f.failed) > 0) {
      out.push(`Detect failures sooner: ${f.host} went unnoticed for ${formatDuration(f.detection)} while requests to it failed; ${healthcheckKnobs(scenario)} set that time.`);
    }
  }
  const noWayBack = faults.some((f) => f.kind === 'recover' && answeredAfter(result, f.host, f.at + result.series.step) === 0);
  const hc = scenario?.healthcheck;
  if (noWayBack) {
    out.push(hc?.kind === 'monit' && hc.action === 'deck'
      ? 'Bring recovered servers back: the deck\'s web_balancing.sh has no way back, so a server that recovers stays out of service; action: corrected re-marks its traffic when it answers again.'
      : 'Bring recovered servers back into service: a server that recovered got no traffic afterwards.');
  }
  if (failed.refused > 0 && hc?.kind === 'monit' && hc.action === 'deck' && hc.flush_gap > 0 && faults.length > 0) {
    out.push('Replace the mark rule in place (iptables -R, action: corrected) instead of flushing and re-adding it: SYNs that arrive in between are not marked and the director resets them (the client sees connection refused).');
  }
  if (failed.refused > 0 && faults.length === 0) {
    const limited = scenario?.sites.flatMap((s) => s.servers.filter((x) => x.connections !== undefined).map((x) => `${s.name}/${x.name} (connections: ${x.connections})`)) ?? [];
    out.push(limited.length > 0
      ? `Raise the connection limit of ${limited.join(', ')} or add servers: ${count(failed.refused)} requests were refused at the limit.`
      : `Find why ${count(failed.refused)} requests were refused: a stopped service or a connection limit.`);
  }
  if (failed.noServer > 0) {
    out.push(`Keep a real server available at all times: ${count(failed.noServer)} requests found none (every server down, quiesced or over its threshold); add a server or raise the thresholds.`);
  }
  if (failed.timeout > 0 && saturated.length === 0 && faults.length === 0) {
    out.push(`Find what held ${count(failed.timeout)} requests past the clients' timeout: no resource is saturated, so look at the requests' own work or a slow dependency.`);
  }

  const sessions = result.sessions;
  if (sessions && sessions.broken > 0 && scenario?.workload.sessions?.state === 'server') {
    out.push(`Keep session state off the real servers (sessions: { state: database }): ${count(sessions.broken)} sessions broke when a request landed on a server that did not hold them; the course's other fix, source hashing, breaks too when a server leaves.`);
  }

  const latencyMissed = (result.slo?.checks ?? []).filter((c) => !c.met && !c.target.startsWith('errors'));
  if (latencyMissed.length > 0 && saturated.length === 0 && result.latency.count > 0) {
    const top = sorted[0];
    if (top && top.utilisation >= 0.6) {
      out.push(`Latency misses the SLO below saturation: requests queue at ${top.name} (${percent(top.utilisation)} busy), and waiting grows like 1/(1 − utilisation); more capacity there shortens it.`);
    } else {
      out.push('Latency misses the SLO with every resource under 60% busy: the time is in the requests\' own work or the network, not in queues; faster CPUs (speed) or lighter requests help, more servers would not.');
    }
  }

  const clean = failedTotal(failed) === 0 && (result.slo?.met ?? true) && saturated.length === 0;
  if (out.length === 0 && clean) {
    const top = sorted[0];
    const offered = offeredRate(result);
    if (top && top.utilisation > 0.005 && offered > 0) {
      const factor = BOTTLENECK / top.utilisation;
      out.push(`Nothing needs to change at this load. As load grows, ${top.name} saturates first: it reaches ${percentLimit(BOTTLENECK)} at about ${factor.toFixed(1)}× today's load (about ${perSecond(offered * factor)}).`);
    } else {
      out.push('Nothing needs to change at this load.');
    }
  }
  return out.map((text) => ({ topic: 'advice', tone: clean ? 'good' : 'problem', text }));
}

/** Every finding, in the order a reader wants them: verdict, cause, consequences, remedies. */
export function findings(result: Result, scenario?: Scenario): Finding[] {
  return [
    sloFinding(result),
    ...planFindings(result),
    bottleneckFinding(result),
    errorsFinding(result),
    ...faultFindings(result),
    ...balanceFindings(result, scenario),
    ...sessionFindings(result),
    ...comparisonFindings(variantsOf(result)),
    ...sweepFindings(result),
    ...adviceFindings(result, scenario),
  ];
}
