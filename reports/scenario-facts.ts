// The scenario in a few labelled lines for the title page: load, work, farm shape, health
// check, faults and SLO, written the way the scenario file writes them. Pure.

import type { Distribution } from '../scenarios/distribution.ts';
import type { Scenario, Server, Site } from '../scenarios/schema.ts';
import { count, formatBandwidth, formatDuration, formatSize, percentLimit } from './format.ts';
import type { Result } from './result.ts';

export type Fact = [label: string, value: string];

export function describeDistribution(d: Distribution, unit: (x: number) => string): string {
  switch (d.kind) {
    case 'exponential': return `exponential, mean ${unit(d.mean)}`;
    case 'deterministic': return unit(d.value);
    case 'uniform': return `uniform ${unit(d.min)}..${unit(d.max)}`;
    case 'lognormal': return `lognormal, mean ${unit(d.mean)}, cv ${d.cv}`;
    case 'pareto': return `bounded Pareto ${unit(d.min)}..${unit(d.max)}, alpha ${d.alpha}`;
    case 'empirical': {
      const mean = d.values.reduce((a, b) => a + b, 0) / d.values.length;
      return `empirical, ${d.values.length} values, mean ${unit(mean)}`;
    }
  }
}

function rate(r: number): string {
  return `${+r.toPrecision(4)}/s`;
}

export function describeArrivals(a: Scenario['workload']['arrivals']): string {
  switch (a.kind) {
    case 'open':
      return a.steps.length === 1
        ? `Poisson arrivals, ${rate(a.steps[0]!.rate)}`
        : `Poisson arrivals, ${a.steps.map((s) => `${rate(s.rate)} from ${formatDuration(s.at)}`).join(', ')}`;
    case 'renewal':
      return `arrivals ${describeDistribution(a.interarrival, formatDuration)} apart`;
    case 'closed':
      return `closed loop: ${count(a.users)} users, each thinking ${describeDistribution(a.think, formatDuration)}`;
  }
}

const FORWARDING: Record<string, string> = { nat: 'NAT (masquerading)', dr: 'direct routing', tun: 'IP-in-IP tunnel' };

function serverTraits(s: Server): string {
  const t = [`${s.cores} core${s.cores > 1 ? 's' : ''}`];
  if (s.speed !== 1) t.push(`speed ${s.speed}`);
  if (s.weight !== 1) t.push(`weight ${s.weight}`);
  if (s.connections !== undefined) t.push(`at most ${count(s.connections)} connections`);
  if (s.threshold !== undefined) t.push(`threshold ${count(s.threshold)}`);
  if (s.discipline === 'fcfs') t.push('FCFS');
  return t.join(', ');
}

export function describeServers(servers: Server[]): string {
  const traits = servers.map(serverTraits);
  const n = servers.length;
  if (traits.every((t) => t === traits[0])) {
    const names = n <= 4 ? servers.map((s) => s.name).join(', ') : `${servers[0]!.name}…${servers[n - 1]!.name}`;
    return `${n} real server${n > 1 ? 's' : ''} (${names}), ${traits[0]}${n > 1 ? ' each' : ''}`;
  }
  return `${n} real servers: ${servers.map((s, i) => `${s.name} (${traits[i]})`).join('; ')}`;
}

export function describeSite(site: Site): string {
  const parts = [`uplink ${Number.isFinite(site.uplink) ? formatBandwidth(site.uplink) : 'unlimited'}`];
  const d = site.director;
  if (d) {
    const cores = d.cores > 1 ? `, ${d.cores} cores` : '';
    parts.push(`director: ${d.scheduler}, ${FORWARDING[d.forwarding] ?? d.forwarding}, service by ${d.service}${cores}, NIC ${formatBandwidth(d.nic)}`);
  }
  parts.push(describeServers(site.servers));
  return parts.join(' · ');
}

export function describeHealthcheck(hc: Scenario['healthcheck']): string {
  switch (hc.kind) {
    case 'none': return 'none';
    case 'monit':
      return `monit every ${formatDuration(hc.cycle)}, connect timeout ${formatDuration(hc.timeout)}, ${hc.cycles} failed check${hc.cycles > 1 ? 's' : ''} to act, action ${hc.action}`;
    case 'keepalived':
      return `keepalived TCP_CHECK every ${formatDuration(hc.delay_loop)}, connect_timeout ${formatDuration(hc.connect_timeout)}, retry ${hc.retry}${hc.inhibit_on_failure ? ', inhibit_on_failure' : ''}`;
    default:
      return (hc as { kind: string }).kind;
  }
}

/** The facts a reader needs to know what was run; with no Scenario, what the Result knows. */
export function scenarioFacts(result: Result, scenario?: Scenario): Fact[] {
  const r = result.scenario;
  const facts: Fact[] = [
    ['run', `${result.source}, seed ${r.seed}, ${formatDuration(r.duration)}; measured ${formatDuration(result.window.from)}..${formatDuration(result.window.to)}${r.warmup > 0 ? ` after a ${formatDuration(r.warmup)} warm-up` : ''}`],
  ];
  if (!scenario) return facts;
  const w = scenario.workload;
  facts.push(['load', describeArrivals(w.arrivals)]);
  facts.push(['each request', `CPU ${describeDistribution(w.cpu, formatDuration)}; request ${formatSize(w.request)}, response ${describeDistribution(w.response, formatSize)}`]);
  if (w.sessions) {
    facts.push(['sessions', `${w.sessions.requests} requests each, ${describeDistribution(w.sessions.think, formatDuration)} think time, state on the ${w.sessions.state}`]);
  }
  const c = scenario.clients;
  facts.push(['clients', `${count(c.addresses)} addresses${c.rtt > 0 ? `, round trip ${formatDuration(c.rtt)}` : ''}, give up after ${formatDuration(c.timeout)}${c.retries > 0 ? `, ${c.retries} retries` : ''}`]);
  facts.push(['balancing', scenario.balancing]);
  for (const site of scenario.sites) facts.push([`site ${site.name}`, describeSite(site)]);
  facts.push(['health check', describeHealthcheck(scenario.healthcheck)]);
  if (scenario.faults.length > 0) {
    facts.push(['faults', scenario.faults.map((f) => `${f.host} ${f.kind}${f.factor ? ` ×${f.factor}` : ''} at ${formatDuration(f.at)}`).join('; ')]);
  }
  if (result.cost) {
    const c = result.cost;
    facts.push(['cost', `${count(c.total)} a month: servers ${count(c.servers)}, directors ${count(c.directors)}, sites ${count(c.sites)}, uplink ${count(c.uplink)}`]);
  }
  const slo = scenario.slo;
  if (slo) {
    const targets = (['mean', 'p50', 'p90', 'p99'] as const).filter((k) => slo[k] !== undefined).map((k) => `${k} ≤ ${formatDuration(slo[k]!)}`);
    if (slo.errors !== undefined) targets.push(`errors ≤ ${percentLimit(slo.errors)}`);
    facts.push(['SLO', targets.join(', ')]);
  }
  return facts;
}
