// The capacity planner: the cheapest farm — servers per site, cores, sites, uplink,
// forwarding — that meets the scenario's SLO at its load. Closed forms prune first (no
// resource may run at or above 100%, and the pooled M/M/c mean, a lower bound on any real
// farm's, must fit the target); the survivors are simulated cheapest first, and a winner must
// pass again under other seeds before it is chosen.

import type { Forwarding, Scenario, Site } from '../scenarios/schema.ts';
import { distributionMean } from '../scenarios/distribution.ts';
import { formatBandwidth, formatDuration, parseBandwidth } from '../scenarios/units.ts';
import type { Result } from '../reports/result.ts';
import { mmcWait } from './analytic/queueing.ts';
import { farmCost } from './costs.ts';
import { clientPackets, returnsThroughDirector, serverPackets } from './model/packets.ts';
import { meanRate } from './model/workload.ts';

export interface PlanSpace {
  servers?: number[];
  cores?: number[];
  sites?: number[];
  uplinks?: (string | number)[];
  forwarding?: Forwarding[];
  replications: number;
}

export interface Candidate {
  label: string;
  sites: number;
  servers: number;
  cores: number;
  uplink: number;
  cost: number;
  scenario: Scenario;
}

export interface Verdict {
  label: string;
  cost: number;
  status: 'chosen' | 'pruned' | 'missed' | 'met' | 'not simulated';
  reason: string;
  p99?: number;
  failedShare?: number;
}

export interface PlanReport {
  chosen?: string;
  verdicts: Verdict[];
  /** Cost against simulated p99, for the frontier chart. */
  frontier: { label: string; cost: number; p99: number; met: boolean }[];
}

/** Every farm the space describes, built from the scenario's first site as a template. */
export function candidates(base: Scenario, space: PlanSpace): Candidate[] {
  if (!base.costs) throw new Error('a plan needs costs');
  const template = base.sites[0]!;
  const out: Candidate[] = [];
  const serverCounts = space.servers ?? Array.from({ length: 16 }, (_, i) => i + 1);
  const coreCounts = space.cores ?? [template.servers[0]!.cores];
  const siteCounts = space.sites ?? [base.sites.length];
  const uplinks = (space.uplinks ?? [template.uplink]).map((u) => (typeof u === 'number' ? u : parseBandwidth(u)));
  const forwardings: (Forwarding | undefined)[] = template.director ? (space.forwarding ?? [template.director.forwarding]) : [undefined];
  for (const n of siteCounts) for (const k of serverCounts) for (const c of coreCounts) for (const u of uplinks) for (const f of forwardings) {
    if (!template.director && k > 1 && n === 1 && base.balancing === 'local') continue;
    const sites: Site[] = Array.from({ length: n }, (_, i) => ({
      ...template,
      name: i === 0 ? template.name : `${template.name}${i + 1}`,
      uplink: u,
      ...(template.director ? { director: { ...template.director, forwarding: f! } } : {}),
      servers: Array.from({ length: k }, (_, j) => ({ ...template.servers[0]!, name: `web${j + 1}`, cores: c })),
    }));
    const balancing = n === 1 ? base.balancing : template.director ? 'mixed' : 'dns';
    const scenario: Scenario = { ...base, balancing, sites, populations: undefined };
    const label = `${n > 1 ? `${n} sites × ` : ''}${k} server${k > 1 ? 's' : ''} × ${c} core${c > 1 ? 's' : ''}, ${formatBandwidth(u)}${f ? `, ${f}` : ''}`;
    out.push({ label, sites: n, servers: k, cores: c, uplink: u, cost: farmCost(scenario)!.total, scenario });
  }
  return out.sort((a, b) => a.cost - b.cost || a.servers * a.cores - b.servers * b.cores);
}

/** Why closed forms already rule a candidate out, or undefined if they do not. */
export function prune(c: Candidate): string | undefined {
  const s = c.scenario;
  const rate = meanRate(s.workload.arrivals, s.duration);
  if (!Number.isFinite(rate)) return undefined; // closed loops: no open-loop bound to apply
  const perSite = rate / c.sites;
  const cpu = distributionMean(s.workload.cpu);
  const response = distributionMean(s.workload.response);
  const speed = s.sites[0]!.servers[0]!.speed;
  const cores = c.servers * c.cores;
  const rhoCpu = (perSite * cpu) / (cores * speed);
  if (rhoCpu >= 1) return `the servers would be ${(rhoCpu * 100).toFixed(0)}% busy`;
  if (Number.isFinite(c.uplink)) {
    const rhoLink = (perSite * response * 8) / c.uplink;
    if (rhoLink >= 1) return `the uplink would be ${(rhoLink * 100).toFixed(0)}% busy`;
  }
  const d = s.sites[0]!.director;
  if (d && d.packet > 0) {
    const packets = clientPackets(s.workload.request, response) + (returnsThroughDirector(d.forwarding) ? serverPackets(response) : 0);
    const rhoDir = (perSite * packets * d.packet) / d.cores;
    if (rhoDir >= 1) return `the director's CPU would be ${(rhoDir * 100).toFixed(0)}% busy`;
  }
  // Pooling all cores in one queue is the best any dispatching can do: a lower bound.
  const bound = cpu / speed + mmcWait(cores, perSite, speed / cpu) + (Number.isFinite(c.uplink) ? (response * 8) / c.uplink : 0);
  const slo = s.slo;
  if (slo?.mean !== undefined && bound > slo.mean) return `even a pooled M/M/${cores} would average ${formatDuration(bound)}, above the mean target`;
  if (slo?.p99 !== undefined && bound > slo.p99) return `even a pooled M/M/${cores} would average ${formatDuration(bound)}, above the p99 target`;
  return undefined;
}

/** What in the SLO a simulated result missed, or undefined when it met it all. */
export function missed(r: Result): string | undefined {
  const bad = r.slo?.checks.filter((c) => !c.met) ?? [];
  if (bad.length === 0) return undefined;
  const busiest = r.bottleneck ? ` (${r.bottleneck.busiest} ${(r.bottleneck.busiestUtilisation * 100).toFixed(0)}% busy)` : '';
  return bad.map((c) => `${c.target.split(' ')[0]} ${c.target.startsWith('errors') ? `${(c.value * 100).toFixed(2)}%` : formatDuration(c.value)} misses ${c.target}`).join(', ') + busiest;
}

export type RunMany = (scenarios: Scenario[]) => Promise<Result[]>;

/** Finds the cheapest candidate that meets the SLO; `batch` runs are simulated at a time. */
export async function plan(base: Scenario, space: PlanSpace, runMany: RunMany, batch = 2): Promise<{ report: PlanReport; chosen?: { candidate: Candidate; result: Result } }> {
  const all = candidates(base, space);
  const verdicts = new Map<Candidate, Verdict>();
  const frontier: PlanReport['frontier'] = [];
  const survivors: Candidate[] = [];
  for (const c of all) {
    const why = prune(c);
    if (why) verdicts.set(c, { label: c.label, cost: c.cost, status: 'pruned', reason: why });
    else survivors.push(c);
  }
  let chosen: { candidate: Candidate; result: Result } | undefined;
  let runnersUp = 0;
  for (let i = 0; i < survivors.length && runnersUp < 3; i += batch) {
    const group = survivors.slice(i, i + batch);
    const results = await runMany(group.map((c) => c.scenario));
    for (let j = 0; j < group.length; j++) {
      const c = group[j]!;
      const r = results[j]!;
      const failedShare = r.requests.sent > 0 ? (r.requests.sent - r.requests.ok) / r.requests.sent : 0;
      const miss = missed(r);
      frontier.push({ label: c.label, cost: c.cost, p99: r.latency.p99, met: miss === undefined });
      if (miss) {
        verdicts.set(c, { label: c.label, cost: c.cost, status: 'missed', reason: miss, p99: r.latency.p99, failedShare });
        continue;
      }
      if (chosen) {
        runnersUp++;
        verdicts.set(c, { label: c.label, cost: c.cost, status: 'met', reason: `meets the SLO but costs ${(c.cost - chosen.candidate.cost).toFixed(0)} more`, p99: r.latency.p99, failedShare });
        continue;
      }
      // Confirm under other seeds before choosing it.
      const seeds = Array.from({ length: space.replications }, (_, k) => ({ ...c.scenario, seed: (c.scenario.seed + k + 1) >>> 0 }));
      const again = await runMany(seeds);
      const failing = again.map(missed).find((m) => m !== undefined);
      if (failing) {
        verdicts.set(c, { label: c.label, cost: c.cost, status: 'missed', reason: `met the SLO once but not under every seed: ${failing}`, p99: r.latency.p99, failedShare });
        continue;
      }
      chosen = { candidate: c, result: r };
      verdicts.set(c, { label: c.label, cost: c.cost, status: 'chosen', reason: `meets the SLO under ${space.replications + 1} seeds`, p99: r.latency.p99, failedShare });
    }
  }
  for (const c of all) if (!verdicts.has(c)) verdicts.set(c, { label: c.label, cost: c.cost, status: 'not simulated', reason: 'a cheaper plan already meets the SLO' });
  const report: PlanReport = { verdicts: all.map((c) => verdicts.get(c)!), frontier };
  if (chosen) report.chosen = chosen.candidate.label;
  return { report, ...(chosen ? { chosen } : {}) };
}
