// The one scenario schema, shared by the simulator and the lab. Input is YAML as people write it
// (units in strings); output is a normalised Scenario in base units (seconds, bits/s, bytes,
// per second, fractions) with every default filled in, so nothing downstream guesses.

import { z } from 'zod';
import {
  parseBandwidth, parseDuration, parsePercent, parseRate, parseSize, UnitError,
} from './units.ts';
import { DISTRIBUTION_SYNTAX, parseDistribution, type Distribution } from './distribution.ts';
import { resolveHost } from './hosts.ts';

/** A quantity written with a unit; the parser's message becomes the validation message. */
function quantity(parse: (t: string | number) => number, example: string, description: string) {
  return z
    .union([z.string(), z.number()], { error: `a quantity such as ${example}` })
    .meta({ description: `${description} (e.g. ${example})` })
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.issues.push({ code: 'custom', message: e.message, input: text });
        return z.NEVER;
      }
    });
}

const duration = (d: string) => quantity(parseDuration, '5ms, 2s, 1min', d);
const bandwidth = (d: string) => quantity(parseBandwidth, '100Mbps, 1Gbps, unlimited', d);
const size = (d: string) => quantity(parseSize, '300B, 20KB, 1MiB', d);
const rate = (d: string) => quantity(parseRate, '300/s, 18000/min', d);
const percent = (d: string) => quantity(parsePercent, '0.1%', d);

function distribution(unit: (t: string) => number, example: string, description: string) {
  const phrase = z.string().transform((text, ctx): Distribution => {
    try {
      return parseDistribution(text, unit);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      ctx.issues.push({ code: 'custom', message: e.message, input: text });
      return z.NEVER;
    }
  });
  const empirical = z
    .strictObject({
      empirical: z.array(z.union([z.string(), z.number()])).min(1, 'expected at least one value'),
    })
    .transform((o, ctx): Distribution => {
      try {
        return { kind: 'empirical', values: o.empirical.map((v) => unit(String(v))) };
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.issues.push({ code: 'custom', message: e.message, input: o });
        return z.NEVER;
      }
    });
  return z
    .union([phrase, empirical], { error: `a distribution written as ${DISTRIBUTION_SYNTAX.replaceAll('5ms', example)}` })
    .meta({ description: `${description}: ${DISTRIBUTION_SYNTAX.replaceAll('5ms', example)}` });
}

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a short name of lowercase letters, digits, - or _ (e.g. web1)');

const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'dh', 'sh', 'mh', 'twos'] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];
const FORWARDING = ['nat', 'dr', 'tun'] as const;
export type Forwarding = (typeof FORWARDING)[number];

const server = z.strictObject({
  name: name.optional(),
  cores: z.int().min(1).default(1).meta({ description: 'CPU cores serving requests in parallel' }),
  speed: z.number().positive().default(1).meta({ description: 'relative CPU speed: cpu demand is divided by it' }),
  weight: z.int().min(0).max(65535).default(1).meta({ description: 'the real server weight (ipvsadm -w)' }),
  connections: z.int().min(1).optional()
    .meta({ description: 'most simultaneous connections the web server accepts; more are refused' }),
  threshold: z.int().min(1).optional()
    .meta({ description: 'IPVS upper connection threshold (ipvsadm -x): above it the director skips this server' }),
  discipline: z.enum(['fcfs', 'ps']).default('ps')
    .meta({ description: 'fcfs: a request waits for a free core; ps: all requests share the cores (processor sharing, like threads)' }),
});

const serverTemplate = server.omit({ name: true }).extend({
  count: z.int().min(1).meta({ description: 'how many identical servers' }),
  prefix: name.default('web').meta({ description: 'servers are named <prefix>1, <prefix>2, …' }),
});

const director = z.strictObject({
  scheduler: z.enum(SCHEDULERS).default('wlc').meta({ description: 'IPVS scheduler (ipvsadm -s); wlc is ipvsadm\'s default' }),
  forwarding: z.enum(FORWARDING).default('dr')
    .meta({ description: 'nat = masquerading (-m), dr = direct routing, the deck\'s "gateway" (-g), tun = IP-in-IP (-i)' }),
  service: z.enum(['fwmark', 'tcp']).default('fwmark')
    .meta({ description: 'virtual service by firewall mark (the deck: -f 1) or by VIP:80 (-t)' }),
  flags: z.array(z.enum(['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port'])).default([])
    .meta({ description: 'scheduler flags (ipvsadm -b)' }),
  cores: z.int().min(1).default(1),
  packet: duration('director CPU time per packet forwarded').prefault('2us'),
  nic: bandwidth('director network card speed, each direction').prefault('1Gbps'),
  tcpfin: duration('how long a closed connection stays in the IPVS table as inactive (ipvsadm --set, counted by lc/wlc)').prefault('2min'),
  standby: z.strictObject({
    advert_int: duration('VRRP advertisement interval').prefault('1s'),
    priority: z.int().min(1).max(254).default(100).meta({ description: 'the backup\'s VRRP priority: its skew is (256 − priority)/256 × advert_int' }),
  }).optional().meta({ description: 'a standby director (keepalived VRRP) that takes over 3 × advert_int + skew after the director dies' }),
});

const site = z.strictObject({
  name,
  uplink: bandwidth('the site\'s link to the Internet, each direction').prefault('unlimited'),
  buffer: duration('the uplink router\'s buffer, as time at full rate: beyond it packets are dropped and the connection stalls').prefault('100ms'),
  director: director.optional().meta({ description: 'an LVS director in front of the servers; none for a classic single server' }),
  servers: z.union([z.array(server).min(1, 'expected at least one server'), serverTemplate]),
});

const rateStep = z.strictObject({ at: duration('when this rate starts'), rate: rate('arrival rate') });

const arrivals = z.union([
  z.string().transform((text, ctx) => {
    const m = /^\s*poisson\s+(\S+)\s*$/.exec(text);
    if (!m) {
      ctx.issues.push({ code: 'custom', message: `expected "poisson <rate>" such as "poisson 300/s", found "${text}"`, input: text });
      return z.NEVER;
    }
    try {
      return { kind: 'open' as const, steps: [{ at: 0, rate: parseRate(m[1]!) }] };
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      ctx.issues.push({ code: 'custom', message: e.message, input: text });
      return z.NEVER;
    }
  }).meta({ description: 'Poisson arrivals at a fixed rate, e.g. "poisson 300/s"' }),
  z.strictObject({ poisson: z.array(rateStep).min(1) })
    .transform((o) => ({ kind: 'open' as const, steps: o.poisson }))
    .meta({ description: 'Poisson arrivals whose rate changes on a timeline' }),
  z.strictObject({ interarrival: distribution(parseDuration, '5ms', 'time between arrivals') })
    .transform((o) => ({ kind: 'renewal' as const, interarrival: o.interarrival })),
  z.strictObject({
    users: z.int().min(1).meta({ description: 'closed loop: this many users, each waiting for its answer, then thinking' }),
    think: distribution(parseDuration, '1s', 'think time between a response and the next request'),
  }).transform((o) => ({ kind: 'closed' as const, users: o.users, think: o.think })),
]);

const healthcheck = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('monit'),
    cycle: duration('monit daemon cycle (set daemon N); Debian\'s monitrc uses 120s').prefault('120s'),
    timeout: duration('connect timeout of "if failed port 80"').prefault('5s'),
    cycles: z.int().min(1).default(1).meta({ description: 'failed checks in a row before acting (for N cycles)' }),
    action: z.enum(['deck', 'corrected']).default('deck')
      .meta({ description: 'deck: the course\'s web_balancing.sh (flush then re-add, no way back); corrected: rule replaced in place, traffic returns on recovery' }),
    flush_gap: duration('under the deck\'s action, how long VIP traffic is unmarked between iptables -F and -A (the director resets SYNs then)').prefault('10ms'),
  }),
  z.strictObject({
    kind: z.literal('keepalived'),
    delay_loop: duration('seconds between checks').prefault('60s'),
    connect_timeout: duration('TCP_CHECK connect timeout').prefault('5s'),
    retry: z.int().min(0).default(1),
    delay_before_retry: duration('pause before a retry').prefault('1s'),
    inhibit_on_failure: z.boolean().default(false).meta({ description: 'set weight 0 instead of removing the real server' }),
    warmup: duration('the first check of each real server waits a random time up to this').prefault('0s'),
  }),
]);

const slo = z.strictObject({
  mean: duration('mean latency target').optional(),
  p50: duration('median latency target').optional(),
  p90: duration('90th percentile latency target').optional(),
  p99: duration('99th percentile latency target').optional(),
  errors: percent('largest acceptable share of failed requests').optional(),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: name.meta({ description: 'names the report folder reports/out/<name>/' }),
  description: z.string().optional(),
  seed: z.int().min(0).max(2 ** 32 - 1).default(1).meta({ description: 'same seed and scenario → identical results' }),
  duration: duration('simulated time'),
  warmup: duration('start of the run left out of every statistic').prefault('0s'),
  step: duration('time series step').prefault('1s'),
  clients: z.strictObject({
    addresses: z.int().min(1).max(16_777_216).default(256)
      .meta({ description: 'distinct client source addresses (what source hashing sees)' }),
    rtt: duration('network round trip between clients and the site').prefault('0s'),
    timeout: duration('a client gives up on a request after this long').prefault('30s'),
    connect_timeout: duration('a client gives up connecting to a host that does not answer after this long').prefault('3s'),
    retries: z.int().min(0).max(10).default(0).meta({ description: 'new connections a client tries after a refused, reset or timed-out connect' }),
    retry_after: duration('pause before a retry').prefault('0s'),
  }).prefault({}),
  workload: z.strictObject({
    arrivals,
    cpu: distribution(parseDuration, '5ms', 'CPU time one request needs on one core of speed 1'),
    request: size('request size').prefault('300B'),
    response: distribution(parseSize, '20KB', 'response size').prefault('20KB'),
    sessions: z.strictObject({
      requests: z.int().min(2).meta({ description: 'requests per session; arrivals then count sessions starting' }),
      think: distribution(parseDuration, '2s', 'pause between a response and the session\'s next request'),
      state: z.enum(['server', 'database']).default('server')
        .meta({ description: 'server: session state lives on the real server (breaks when a request lands elsewhere); database: in a shared session database' }),
    }).optional(),
  }),
  database: z.strictObject({
    latency: duration('round trip from a real server to the session database').prefault('1ms'),
    cpu: distribution(parseDuration, '0.5ms', 'database time per request').prefault('exponential 0.5ms'),
    cores: z.int().min(1).default(1),
  }).prefault({}).meta({ description: 'the shared session database (used when workload.sessions.state is database)' }),
  storage: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('copies'),
      sync: duration('each server copies the content every this long (rsync from cron)').prefault('60s'),
      updates: rate('content updates').prefault('1/min'),
    }),
    z.strictObject({
      kind: z.literal('shared'),
      share: percent('share of requests that read the network storage').prefault('30%'),
      latency: duration('round trip to the storage').prefault('1ms'),
      cpu: distribution(parseDuration, '1ms', 'storage time per read').prefault('exponential 1ms'),
      cores: z.int().min(1).default(1),
    }),
  ]).optional().meta({ description: 'where the site content lives: a copy per server, or one network storage' }),
  balancing: z.enum(['local', 'dns', 'mixed']).default('local')
    .meta({ description: 'local: one site, one director; dns: the name resolves to every real server\'s address; mixed: to one address per site, each with its director' }),
  dns: z.strictObject({
    ttl: duration('how long resolvers may cache an answer').prefault('60s'),
    order: z.enum(['rotate', 'weighted']).default('rotate')
      .meta({ description: 'rotate: each answer starts one address further (BIND\'s round robin); weighted: the first address drawn by weight' }),
    stale: z.strictObject({
      share: percent('share of resolvers and clients that keep answers past the TTL').prefault('11%'),
      extra: distribution(parseDuration, '520s', 'how long past the TTL they keep it').prefault('exponential 520s'),
    }).prefault({}).meta({ description: 'defaults reproduce Flavel et al. (LANMAN 2014): with a 20 s TTL, 90% of requests moved within 60 s and 2% still on the old answer after 15 min' }),
  }).prefault({}),
  populations: z.array(z.strictObject({
    name,
    share: percent('share of the clients (and of the load)'),
    resolvers: z.int().min(1).meta({ description: 'resolvers these clients use (clients are spread evenly over them)' }),
    rtt: z.record(z.string(), duration('round trip to a site')).default({})
      .meta({ description: 'round trip from these clients to each site, by site name (default clients.rtt)' }),
  })).optional().meta({ description: 'client populations behind their resolvers; default one population of 100 resolvers' }),
  costs: z.strictObject({
    server: z.number().min(0).default(0).meta({ description: 'per real server per month' }),
    core: z.number().min(0).default(0).meta({ description: 'per CPU core per month, on top of the server' }),
    director: z.number().min(0).default(0).meta({ description: 'per director per month' }),
    site: z.number().min(0).default(0).meta({ description: 'per site per month (rack, power)' }),
    mbps: z.number().min(0).default(0).meta({ description: 'per Mbps of uplink per month' }),
  }).optional().meta({ description: 'monthly costs, in any currency: the summary prices the farm' }),
  sites: z.array(site).min(1, 'expected at least one site'),
  healthcheck: healthcheck.prefault({ kind: 'none' }),
  faults: z.array(z.strictObject({
    at: duration('when it happens'),
    host: z.string().meta({ description: 'a real server (web1 or site/web1), director (or site/director), database or storage' }),
    kind: z.enum(['crash', 'stop', 'link-down', 'slow', 'recover'])
      .meta({ description: 'crash: no answer, state lost; stop: the service refuses connections; link-down: cable pulled; slow: work × factor; recover: back to normal' }),
    factor: z.number().min(1).optional().meta({ description: 'for slow: how many times slower' }),
  })).default([]),
  slo: slo.optional(),
  sweep: z.strictObject({
    path: z.string().meta({ description: 'the field to vary, e.g. workload.arrivals or sites[0].servers.count' }),
    values: z.array(z.union([z.string(), z.number()])).min(2).optional(),
    from: z.union([z.string(), z.number()]).optional(),
    to: z.union([z.string(), z.number()]).optional(),
    steps: z.int().min(2).max(200).default(8),
  }).optional().meta({ description: 'run the scenario (and every variant) across values: listed, or from..to in steps (numbers, or quantities like 100/s); rates on workload.arrivals become Poisson arrivals' }),
  plan: z.strictObject({
    servers: z.array(z.int().min(1)).min(1).optional().meta({ description: 'real servers per site to consider (default 1 to 16)' }),
    cores: z.array(z.int().min(1)).min(1).optional().meta({ description: 'cores per server to consider (default: as in the scenario)' }),
    sites: z.array(z.int().min(1)).min(1).optional().meta({ description: 'numbers of sites to consider (more than one means DNS across sites)' }),
    uplinks: z.array(z.union([z.string(), z.number()])).min(1).optional().meta({ description: 'uplink speeds per site to consider, e.g. [100Mbps, 1Gbps]' }),
    forwarding: z.array(z.enum(FORWARDING)).min(1).optional(),
    replications: z.int().min(1).max(20).default(3).meta({ description: 'runs with other seeds that must all meet the SLO before a plan is chosen' }),
  }).optional().meta({ description: 'npm run sim -- plan FILE: the cheapest farm that meets the SLO at this load, priced by costs' }),
  compare: z.array(z.record(z.string(), z.unknown())).optional()
    .meta({ description: 'variants run side by side with the same seed: each a mapping of overrides (fields, or paths like sites[0].director.forwarding), with an optional variant: label' }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
type Parsed = z.output<typeof scenarioSchema>;
export type Healthcheck = Parsed['healthcheck'];
export type Arrivals = Parsed['workload']['arrivals'];
export type Slo = NonNullable<Parsed['slo']>;

export interface Server {
  name: string;
  cores: number;
  speed: number;
  weight: number;
  connections?: number;
  threshold?: number;
  discipline: 'fcfs' | 'ps';
}
export type Director = z.output<typeof director>;
export interface Site {
  name: string;
  uplink: number;
  buffer: number;
  director?: Director;
  servers: Server[];
}
export type Scenario = Omit<Parsed, 'sites' | '$schema'> & { sites: Site[] };

/** Template servers become named servers, so the model and the lab see one shape. */
export function expandServers(s: Parsed['sites'][number]['servers']): Server[] {
  if (Array.isArray(s)) return s.map((x, i) => ({ ...x, name: x.name ?? `web${i + 1}` }));
  const { count, prefix, ...rest } = s;
  return Array.from({ length: count }, (_, i) => ({ ...rest, name: `${prefix}${i + 1}` }));
}

/** Checks across fields that a per-field schema cannot express; each names its path. */
export function crossCheck(s: Parsed, issue: (path: (string | number)[], message: string) => void): void {
  // Templates written out once: every check below sees named servers.
  const expanded = s.sites.map((site) => expandServers(site.servers));
  if (s.warmup >= s.duration) issue(['warmup'], `expected a warm-up shorter than the duration (${s.duration}s), found ${s.warmup}s`);
  if (s.step <= 0 || s.step > s.duration) issue(['step'], `expected a step above zero and at most the duration, found ${s.step}s`);
  const seen = new Set<string>();
  s.sites.forEach((site, i) => {
    if (seen.has(site.name)) issue(['sites', i, 'name'], `expected a unique site name, found "${site.name}" twice`);
    seen.add(site.name);
    const servers = expanded[i]!;
    const names = new Set<string>();
    servers.forEach((srv, j) => {
      if (names.has(srv.name)) issue(['sites', i, 'servers', j, 'name'], `expected a unique server name, found "${srv.name}" twice`);
      names.add(srv.name);
    });
    if (!site.director && servers.length > 1 && s.balancing !== 'dns') {
      issue(['sites', i, 'servers'], `expected a director in site "${site.name}" to balance ${servers.length} servers (a site without one has a single server)`);
    }
    if (site.director && servers.every((x) => x.weight === 0)) {
      issue(['sites', i, 'servers'], `expected at least one server with a weight above 0 in site "${site.name}": with every weight 0 the director sends nothing anywhere`);
    }
    const fl = site.director?.flags ?? [];
    const sched = site.director?.scheduler;
    fl.forEach((f, k) => {
      if (!f.startsWith(`${sched}-`)) {
        issue(['sites', i, 'director', 'flags', k], `expected flags of the ${sched} scheduler, found "${f}" (it belongs to ${f.split('-')[0]})`);
      }
    });
  });
  if (s.balancing === 'local' && s.sites.length > 1) {
    issue(['sites'], `expected one site under balancing: local (one director), found ${s.sites.length}: use dns or mixed to spread clients over sites`);
  }
  s.sites.forEach((site, i) => {
    if (s.balancing === 'dns' && site.director) {
      issue(['sites', i, 'director'], 'expected no director under balancing: dns (every real server has its own address); use balancing: mixed for a director per site');
    }
    if (s.balancing === 'mixed' && !site.director && expanded[i]!.length > 1) {
      issue(['sites', i], `expected a director in site "${site.name}" under balancing: mixed (one address per site)`);
    }
  });
  if (s.sweep) {
    const w = s.sweep;
    if (w.values === undefined && (w.from === undefined || w.to === undefined)) issue(['sweep'], 'expected values: [...] or from: and to:');
    if (w.values !== undefined && (w.from !== undefined || w.to !== undefined)) issue(['sweep'], 'expected either values or from/to, found both');
  }
  if (s.balancing === 'dns' && expanded.every((servers) => servers.every((x) => x.weight === 0))) {
    issue(['sites'], 'expected at least one real server with a weight above 0: with every weight 0 DNS has nothing to answer');
  }
  if (s.populations) {
    const total = s.populations.reduce((a, p) => a + p.share, 0);
    if (Math.abs(total - 1) > 1e-6) issue(['populations'], `expected population shares adding up to 100%, found ${+(total * 100).toFixed(3)}%`);
    s.populations.forEach((p, i) => {
      for (const siteName of Object.keys(p.rtt)) {
        if (!s.sites.some((x) => x.name === siteName)) issue(['populations', i, 'rtt', siteName], `expected a site name, found "${siteName}"`);
      }
      const resolversNeeded = Math.max(1, Math.round(p.share * s.clients.addresses));
      if (p.resolvers > resolversNeeded) {
        issue(['populations', i, 'resolvers'], `expected at most one resolver per client address (${resolversNeeded} clients in this population), found ${p.resolvers}`);
      }
    });
  }
  const shape = { sites: s.sites.map((x, i) => ({ ...x, servers: expanded[i]! })) };
  s.faults.forEach((f, i) => {
    const ref = resolveHost(shape, f.host);
    if (typeof ref === 'string') return issue(['faults', i, 'host'], `expected a host of this scenario, found ${ref}`);
    if (f.kind === 'slow' && f.factor === undefined) issue(['faults', i], 'expected a factor for a slow fault (e.g. factor: 5)');
    if (f.kind !== 'slow' && f.factor !== undefined) issue(['faults', i, 'factor'], `expected no factor for a ${f.kind} fault`);
    if (f.at >= s.duration) issue(['faults', i, 'at'], `expected a time within the run (${s.duration}s), found ${f.at}s`);
    if (ref.kind === 'database' && s.workload.sessions?.state !== 'database') {
      issue(['faults', i, 'host'], 'expected a session database to fail: set workload.sessions.state to database');
    }
    if (ref.kind === 'storage' && s.storage?.kind !== 'shared') issue(['faults', i, 'host'], 'expected a shared storage to fail: set storage.kind to shared');
    if (ref.kind === 'director' && f.kind !== 'crash' && f.kind !== 'recover') {
      issue(['faults', i, 'kind'], `expected crash or recover for a director, found ${f.kind}`);
    }
  });
  if (s.healthcheck.kind === 'monit') {
    s.sites.forEach((site, i) => {
      if (site.director && site.director.service !== 'fwmark') {
        issue(['sites', i, 'director', 'service'], 'expected service: fwmark under monit: web_balancing.sh moves traffic by re-marking it');
      }
    });
  }
  if (s.workload.sessions && s.workload.arrivals.kind === 'closed') {
    issue(['workload', 'sessions'], 'expected open-loop arrivals with sessions (each session is its own user), found closed-loop users');
  }
  const a = s.workload.arrivals;
  if (a.kind === 'open') {
    a.steps.forEach((st, k) => {
      if (k === 0 && st.at !== 0) issue(['workload', 'arrivals', 'poisson', 0, 'at'], `expected the first rate to start at 0s, found ${st.at}s`);
      if (k > 0 && st.at <= a.steps[k - 1]!.at) issue(['workload', 'arrivals', 'poisson', k, 'at'], 'expected times in increasing order');
    });
    if (a.steps.every((st) => st.rate === 0)) issue(['workload', 'arrivals'], 'expected an arrival rate above 0 at some time, found 0 throughout');
  }
}
