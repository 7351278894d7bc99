// The farm under local balancing: requests come in over a site's uplink, pass its director
// (scheduled to a real server, forwarded at a CPU and NIC cost), are served — reading the
// network storage or the session database on the way if the scenario has them — and their
// answers go back out, through the director again only under nat. Faults, health checkers,
// retries and sessions act on the same requests. One event loop drives it all.

import type { Scenario } from '../../scenarios/schema.ts';
import { resolveHost } from '../../scenarios/hosts.ts';
import { clientAddressNumber } from '../../scenarios/addresses.ts';
import type { CheckLogLine, ErrorCause, FaultReport, Marker } from '../../reports/result.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import { EventQueue } from '../engine/event-queue.ts';
import { Rng } from '../engine/rng.ts';
import { FCFS_DONE, FcfsStation, FIRST_MODEL_EVENT, PS_DONE, PsStation, type Reneging, type Station } from '../engine/station.ts';
import type { Metrics, Resource, ServerLabel } from '../metrics.ts';
import { ContentCopies } from './content.ts';
import { Director } from './director.ts';
import { AuthoritativeDns } from './dns.ts';
import { Resolvers } from './resolver.ts';
import { Keepalived } from './healthcheck/keepalived.ts';
import { Monit } from './healthcheck/monit.ts';
import type { CheckerHost, ProbeResult } from './healthcheck/probe.ts';
import { clientPackets, forwardBytes, serverPackets } from './packets.ts';
import { CRASHED, RealServer, STOPPED, UNPLUGGED, UP } from './real-server.ts';
import { RequestTable } from './requests.ts';
import { createScheduler } from './schedulers/index.ts';
import { SessionTable } from './sessions.ts';
import { Site } from './site.ts';
import { openSource, type OpenSource } from './workload.ts';

const ARRIVAL = FIRST_MODEL_EVENT;
const USER_SENDS = FIRST_MODEL_EVENT + 1;
const TIMER = FIRST_MODEL_EVENT + 2;

// The legs of a request's trip, in order; a leg whose resource is absent or free is skipped.
const UPLINK_IN = 0;
const DIRECTOR_IN_CPU = 1;
const DIRECTOR_IN_NIC = 2;
const SERVER = 3;
const STORAGE = 4;
const DATABASE = 5;
const DIRECTOR_OUT_CPU = 6;
const DIRECTOR_OUT_NIC = 7;
const UPLINK_OUT = 8;

// What a request is doing besides travelling (RequestTable.abandoned).
const LIVE = 0;
const GAVE_UP = 1;
const HUNG = 2;


export interface FarmShape {
  sites: Site[];
  servers: RealServer[];
  stations: Station[];
  resources: Resource[];
  labels: ServerLabel[];
  storage: Station | null;
  database: Station | null;
}

/** Builds stations, real servers and directors from the scenario. */
export function buildFarm(scenario: Scenario, queue: EventQueue, reneging: Reneging): FarmShape {
  const stations: Station[] = [];
  const resources: Resource[] = [];
  const servers: RealServer[] = [];
  const labels: ServerLabel[] = [];
  const station = (name: string, cores: number, fcfs: boolean): Station => {
    const s = fcfs
      ? new FcfsStation(stations.length, name, cores, queue, reneging)
      : new PsStation(stations.length, name, cores, queue, reneging);
    stations.push(s);
    return s;
  };
  const sites = scenario.sites.map((spec, si) => {
    const resource = (s: Station | null, kind: Resource['kind']) => {
      if (s) resources.push({ station: s, name: s.name, kind, site: spec.name });
      return s;
    };
    const finite = Number.isFinite(spec.uplink);
    // Links and the director forward in arrival order (FCFS): a saturated link queues the
    // excess and keeps sending at its full rate, as a router's buffer does.
    const uplinkIn = resource(finite ? station(`${spec.name} uplink in`, 1, true) : null, 'uplink-in');
    const uplinkOut = resource(finite ? station(`${spec.name} uplink out`, 1, true) : null, 'uplink-out');
    const dspec = spec.director;
    const dcpu = dspec && dspec.packet > 0 ? resource(station(`${spec.name} director cpu`, dspec.cores, true), 'director-cpu') : null;
    const dnic = dspec && Number.isFinite(dspec.nic) ? resource(station(`${spec.name} director nic`, 1, true), 'director-nic') : null;
    const real = spec.servers.map((sv, id) => {
      const cpu = resource(station(`${spec.name}/${sv.name} cpu`, sv.cores, sv.discipline === 'fcfs'), 'server-cpu')!;
      const r = new RealServer(id, servers.length, si, sv.name, cpu, sv);
      servers.push(r);
      labels.push({ site: spec.name, name: sv.name });
      return r;
    });
    const director = dspec
      ? new Director(si, dspec, createScheduler(dspec.scheduler, dspec.flags, rngFn(new Rng(scenario.seed, `scheduler ${spec.name}`))), real, dcpu, dnic)
      : null;
    return new Site(si, spec.name, spec.uplink, spec.buffer, uplinkIn, uplinkOut, director, real);
  });
  const shared = (name: string, cores: number): Station => {
    const s = station(name, cores, true);
    resources.push({ station: s, name, kind: 'server-cpu', site: '' });
    return s;
  };
  const storage = scenario.storage?.kind === 'shared' ? shared('storage', scenario.storage.cores) : null;
  const database = scenario.workload.sessions?.state === 'database' ? shared('session database', scenario.database.cores) : null;
  return { sites, servers, stations, resources, labels, storage, database };
}

function rngFn(rng: Rng): () => number {
  return () => rng.random();
}

export interface RunHooks {
  /** Called now and then with the share of simulated time done (0..1). */
  progress?: (done: number) => void;
}

export class Farm implements Reneging, CheckerHost {
  private queue = new EventQueue();
  private table = new RequestTable();
  // Clients give up in the order they sent (all wait equally long): a FIFO of deadlines
  // instead of one timer event per request.
  private patience: Float64Array = new Float64Array(1024);
  private patienceSlot: Int32Array = new Int32Array(1024);
  private patienceSerial: Int32Array = new Int32Array(1024);
  private patienceHead = 0;
  private patienceCount = 0;
  private nextDeadline = Infinity;
  private metrics!: Metrics;
  private shape: FarmShape;
  private sites: Site[];
  private servers: RealServer[];
  private open: OpenSource | null = null;
  private think: Sampler | null = null;
  private users = 0;
  private cpu: Sampler;
  private response: Sampler;
  private clientRng: Rng;
  private readonly addresses: number;
  private readonly end: number;
  private readonly warmup: number;
  private readonly timeout: number;
  private readonly connectTimeout: number;
  private readonly retries: number;
  private readonly retryAfter: number;
  private readonly requestBytes: number;
  private readonly rtt: number;
  // Rare events (faults, checks, retries, session steps) run as closures on TIMER events.
  private timers: ((now: number) => void)[] = [];
  private freeTimers: number[] = [];
  // Sessions, shared data, session database.
  private sessions: SessionTable | null = null;
  private sessionRequests = 0;
  private sessionThink: Sampler | null = null;
  private content: ContentCopies | null = null;
  private storageShare = 0;
  private storageRng: Rng;
  private storageWork: Sampler | null = null;
  private storageLatency = 0;
  private storageState = UP;
  private databaseWork: Sampler | null = null;
  private databaseLatency = 0;
  private databaseState = UP;
  // DNS balancing: the name's addresses, the resolvers, the client populations.
  private dns = false;
  private addrSite = new Int32Array(1);
  private addrServer = new Int32Array(1);
  private resolvers: Resolvers | null = null;
  /** Per population: first client index, first resolver id, resolver count. */
  private popStart: number[] = [0];
  private popResolver: number[] = [0];
  private popResolvers: number[] = [1];
  /** Round trip from population p to site s at [p * sites + s]. */
  private rttTable = new Float64Array(1);
  // What happened, for the Result.
  faultReports: FaultReport[] = [];
  checkLog: CheckLogLine[] = [];
  markers: Marker[] = [];
  retried = 0;
  staleReads = 0;
  private currentFault = -1;
  private faultHosts: RealServer[][] = [];
  events = 0;

  constructor(private scenario: Scenario, private metricsFor: (shape: FarmShape) => Metrics) {
    this.shape = buildFarm(scenario, this.queue, this);
    this.sites = this.shape.sites;
    this.servers = this.shape.servers;
    const seed = scenario.seed;
    const w = scenario.workload;
    const c = scenario.clients;
    this.end = scenario.duration;
    this.warmup = scenario.warmup;
    this.timeout = c.timeout;
    this.connectTimeout = c.connect_timeout;
    this.retries = c.retries;
    this.retryAfter = c.retry_after;
    this.addresses = c.addresses;
    this.requestBytes = w.request;
    this.rtt = c.rtt;
    this.cpu = sampler(w.cpu, new Rng(seed, 'cpu'));
    this.response = sampler(w.response, new Rng(seed, 'response'));
    this.clientRng = new Rng(seed, 'clients');
    this.storageRng = new Rng(seed, 'storage');
    const a = w.arrivals;
    if (a.kind === 'closed') {
      this.users = a.users;
      this.think = sampler(a.think, new Rng(seed, 'think'));
    } else {
      this.open = openSource(a, new Rng(seed, 'arrivals'), this.end);
    }
    if (w.sessions) {
      this.sessions = new SessionTable();
      this.sessionRequests = w.sessions.requests;
      this.sessionThink = sampler(w.sessions.think, new Rng(seed, 'session think'));
      if (w.sessions.state === 'database') {
        this.databaseWork = sampler(scenario.database.cpu, new Rng(seed, 'database'));
        this.databaseLatency = scenario.database.latency;
      }
    }
    const st = scenario.storage;
    if (st?.kind === 'copies') {
      this.content = new ContentCopies(this.servers.length, st.sync, new Rng(seed, 'rsync'));
      const updates = new Rng(seed, 'content updates');
      const next = (now: number) => {
        this.content!.lastUpdate = now;
        const t = now - Math.log(updates.randomOpen()) / st.updates;
        if (t < this.end) this.at(t, next);
      };
      const first = -Math.log(updates.randomOpen()) / st.updates;
      if (first < this.end) this.at(first, next);
    } else if (st?.kind === 'shared') {
      this.storageShare = st.share;
      this.storageWork = sampler(st.cpu, new Rng(seed, 'storage work'));
      this.storageLatency = st.latency;
    }
    this.setUpDns();
    this.planFaults();
    this.startCheckers();
  }

  private setUpDns(): void {
    const sc = this.scenario;
    const nSites = this.sites.length;
    const pops = sc.populations ?? [{ name: 'clients', share: 1, resolvers: Math.min(100, this.addresses), rtt: {} as Record<string, number> }];
    this.rttTable = new Float64Array(pops.length * nSites);
    let start = 0;
    let resolverBase = 0;
    this.popStart = [];
    this.popResolver = [];
    this.popResolvers = [];
    pops.forEach((p, i) => {
      this.popStart.push(start);
      this.popResolver.push(resolverBase);
      this.popResolvers.push(p.resolvers);
      start += Math.round(p.share * this.addresses);
      resolverBase += p.resolvers;
      this.sites.forEach((site, s) => (this.rttTable[i * nSites + s] = p.rtt[site.name] ?? sc.clients.rtt));
    });
    if (sc.balancing === 'local') return;
    this.dns = true;
    const site: number[] = [];
    const server: number[] = [];
    const weights: number[] = [];
    if (sc.balancing === 'dns') {
      for (const s of this.servers) {
        site.push(s.site);
        server.push(s.index);
        weights.push(s.weight);
      }
    } else {
      for (const s of this.sites) {
        site.push(s.index);
        server.push(s.director ? -1 : s.servers[0]!.index);
        weights.push(s.servers.reduce((a, x) => a + x.weight, 0));
      }
    }
    this.addrSite = Int32Array.from(site);
    this.addrServer = Int32Array.from(server);
    const auth = new AuthoritativeDns(site.length, sc.dns.order, weights, new Rng(sc.seed, 'dns'));
    this.resolvers = new Resolvers(resolverBase, sc.dns.ttl, sc.dns.stale.share, sampler(sc.dns.stale.extra, new Rng(sc.seed, 'stale answers')),
      new Rng(sc.seed, 'resolvers'), () => auth.answer());
  }

  /** The population client c belongs to. */
  private populationOf(c: number): number {
    let p = this.popStart.length - 1;
    while (p > 0 && c < this.popStart[p]!) p--;
    return p;
  }

  get resolverQueries(): number {
    return this.resolvers?.queries ?? 0;
  }

  get shapeOf(): FarmShape {
    return this.shape;
  }

  get sessionTable(): SessionTable | null {
    return this.sessions;
  }

  run(hooks: RunHooks = {}): Metrics {
    const metrics = this.metricsFor(this.shape);
    this.metrics = metrics;
    const q = this.queue;
    const stations = this.shape.stations;
    if (this.open) {
      const first = this.open.next(0);
      if (first < Infinity) q.push(first, ARRIVAL);
    } else {
      // Users start out of phase: each first thinks, as if it had just been answered.
      for (let u = 0; u < this.users; u++) q.push(this.think!.sample(), USER_SENDS, u);
    }
    // After the end no one sends; the drain lets requests in flight finish, up to the timeout.
    const stop = this.end + this.timeout;
    let events = 0;
    const progress = hooks.progress;
    while (q.pop()) {
      const t = q.time;
      if (t > stop) break;
      if (t >= this.nextDeadline) this.giveUpUntil(t, metrics);
      if (t >= metrics.nextBoundary) metrics.advanceTo(t);
      events++;
      if (progress !== undefined && (events & 0xffff) === 0) progress(Math.min(1, t / this.end));
      switch (q.kind) {
        case FCFS_DONE:
          (stations[q.a] as FcfsStation).complete(t);
          this.leave(q.b, t, metrics);
          break;
        case PS_DONE: {
          const r = (stations[q.a] as PsStation).complete(t, q.b);
          if (r >= 0) this.leave(r, t, metrics);
          break;
        }
        case ARRIVAL: {
          const next = this.open!.next(t);
          if (next < Infinity) q.push(next, ARRIVAL);
          const client = this.clientRng.below(this.addresses);
          if (this.sessions === null) this.send(t, client, -1, -1, metrics);
          else this.send(t, client, -1, this.sessions.open(client, this.sessionRequests, t >= this.warmup && t < this.end), metrics);
          break;
        }
        case USER_SENDS:
          if (t < this.end) this.send(t, q.a % this.addresses, q.a, -1, metrics);
          break;
        case TIMER: {
          const fn = this.timers[q.a]!;
          this.freeTimers.push(q.a);
          fn(t);
          break;
        }
      }
    }
    this.events = events;
    // Whoever is still waiting when the drain stops has waited past the timeout.
    this.giveUpUntil(Infinity, metrics);
    metrics.advanceTo(Infinity);
    return metrics;
  }

  /** Runs `fn` at simulated time t (CheckerHost). */
  at(t: number, fn: (now: number) => void): void {
    const id = this.freeTimers.pop() ?? this.timers.length;
    this.timers[id] = fn;
    this.queue.push(t, TIMER, id);
  }

  private send(now: number, client: number, user: number, session: number, metrics: Metrics): void {
    const tb = this.table;
    const r = tb.allocate();
    tb.arrival[r] = now;
    tb.demand[r] = this.cpu.sample();
    tb.response[r] = this.response.sample();
    tb.client[r] = client;
    tb.user[r] = user;
    tb.session[r] = session;
    tb.server[r] = -1;
    tb.abandoned[r] = LIVE;
    if (this.dns) {
      const p = this.populationOf(client);
      const resolver = this.popResolver[p]! + ((client - this.popStart[p]!) % this.popResolvers[p]!);
      const a = this.resolvers!.resolve(resolver, now);
      tb.population[r] = p;
      tb.answer[r] = a;
      tb.tried[r] = 0;
      tb.site[r] = this.addrSite[a]!;
    } else {
      tb.population[r] = this.popStart.length > 1 ? this.populationOf(client) : 0;
      tb.site[r] = 0;
    }
    tb.station[r] = -1;
    tb.attempts[r] = 1;
    tb.connected[r] = 0;
    tb.stale[r] = 0;
    tb.extra[r] = 0;
    tb.storage[r] = this.storageShare > 0 && this.storageRng.random() < this.storageShare ? 1 : 0;
    tb.stage[r] = UPLINK_IN - 1;
    metrics.arrived(now);
    this.expect(r, now + this.timeout - this.rtt);
    this.nextLeg(r, now, metrics);
  }

  /** Moves request r on to its next leg, skipping legs that cost nothing. */
  private nextLeg(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    const site = this.sites[tb.site[r]!]!;
    const director = site.director;
    for (;;) {
      let station: Station | null = null;
      let work = 0;
      // Each leg costs something only if its resource exists; the cost is computed only then.
      switch (++tb.stage[r]!) {
        case UPLINK_IN:
          if (site.uplinkIn !== null) {
            // A full router buffer drops the SYN: the client waits as for a dead host.
            if ((site.uplinkIn as FcfsStation).queuedWork > site.buffer) return this.hang(r, now, true);
            station = site.uplinkIn;
            work = (this.requestBytes * 8) / site.uplink;
          }
          break;
        case DIRECTOR_IN_CPU: {
          let server: RealServer | null = site.servers[0]!;
          if (this.dns && director === null) {
            const k = this.addrServer[(tb.answer[r]! + tb.tried[r]!) % this.addrServer.length]!;
            if (k >= 0) server = this.servers[k]!;
          }
          if (director !== null) {
            if (!director.up) return this.hang(r, now, true);
            // An unmarked SYN to the VIP: the director answers it with a reset, which the
            // client's connect() reports as "connection refused".
            if (director.markedTo === 'nowhere') return this.fail(r, now, 'refused', metrics);
            server = director.schedule(now, clientAddressNumber(tb.client[r]!));
            if (server === null) return this.fail(r, now, 'noServer', metrics);
            if (director.cpu !== null) {
              station = director.cpu;
              work = clientPackets(this.requestBytes, tb.response[r]!) * director.packetTime;
            }
          }
          tb.server[r] = server.index;
          break;
        }
        case DIRECTOR_IN_NIC:
          if (director !== null && director.nic !== null) {
            station = director.nic;
            work = (forwardBytes(director.forwarding, this.requestBytes, tb.response[r]!) * 8) / director.nicSpeed;
          }
          break;
        case SERVER: {
          const server = this.servers[tb.server[r]!]!;
          if (server.state !== UP) {
            if (server.state === STOPPED) return this.fail(r, now, 'refused', metrics);
            return this.hang(r, now, true);
          }
          if (server.connections >= server.limit) return this.fail(r, now, 'refused', metrics);
          server.connections++;
          tb.connected[r] = 1;
          const s = tb.session[r]!;
          if (s >= 0 && this.databaseWork === null) this.sessions!.landed(s, server.index, server.epoch);
          if (this.content !== null && this.content.stale(server.index, now)) tb.stale[r] = 1;
          station = server.cpu;
          work = (tb.demand[r]! * server.slowFactor) / server.speed;
          break;
        }
        case STORAGE:
          if (tb.storage[r] === 1) {
            if (this.storageState === STOPPED) return this.fail(r, now, 'error', metrics);
            // A hard NFS mount waits for a dead server as long as it takes: so does the client.
            if (this.storageState !== UP) return this.hang(r, now, false);
            station = this.shape.storage;
            work = this.storageWork!.sample();
            tb.extra[r] += this.storageLatency;
          }
          break;
        case DATABASE:
          if (this.databaseWork !== null && tb.session[r]! >= 0) {
            if (this.databaseState !== UP) return this.fail(r, now, 'error', metrics);
            station = this.shape.database;
            work = this.databaseWork.sample();
            tb.extra[r] += this.databaseLatency;
          }
          break;
        case DIRECTOR_OUT_CPU:
          if (director !== null && director.nat && director.cpu !== null) {
            station = director.cpu;
            work = serverPackets(tb.response[r]!) * director.packetTime;
          }
          break;
        case DIRECTOR_OUT_NIC:
          if (director !== null && director.nat && director.nic !== null) {
            station = director.nic;
            work = (tb.response[r]! * 8) / director.nicSpeed;
          }
          break;
        case UPLINK_OUT:
          if (site.uplinkOut !== null) {
            // A full buffer drops the answer's packets: the connection stalls until the client gives up.
            if ((site.uplinkOut as FcfsStation).queuedWork > site.buffer) return this.hang(r, now, false);
            station = site.uplinkOut;
            work = (tb.response[r]! * 8) / site.uplink;
          }
          break;
        default:
          return this.finish(r, now, metrics);
      }
      if (station !== null && work > 0) {
        tb.station[r] = station.id;
        station.arrive(now, r, work);
        return;
      }
    }
  }

  /** A station let go of request r: on to the next leg, unless its client left or its host died. */
  private leave(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    tb.station[r] = -1;
    const state = tb.abandoned[r];
    if (state === LIVE) this.nextLeg(r, now, metrics);
    else if (state === GAVE_UP) this.release(r);
    // HUNG: its client still waits for an answer that will not come.
  }

  // Reneging, as the stations see it.
  get heapPos(): Int32Array {
    return this.table.heapPos;
  }
  gaveUp(r: number): boolean {
    return this.table.abandoned[r] !== LIVE;
  }
  drop(r: number): void {
    this.table.station[r] = -1;
    if (this.table.abandoned[r] === GAVE_UP) this.release(r);
  }

  /** Request r's server (or director) stopped answering: the client waits. */
  private hang(r: number, now: number, connecting: boolean): void {
    const tb = this.table;
    this.disconnect(r, now);
    tb.abandoned[r] = HUNG;
    if (!connecting) return;
    // A SYN nobody answers: the client stops trying after its connect timeout.
    const serial = tb.serial[r]!;
    const attempt = tb.attempts[r]!;
    this.at(now + this.connectTimeout, (t) => {
      if (tb.serial[r] !== serial || tb.stage[r]! < 0 || tb.abandoned[r] !== HUNG || tb.attempts[r] !== attempt) return;
      tb.abandoned[r] = LIVE;
      this.fail(r, t, 'timeout', this.metrics);
    });
  }

  /** The connection behind request r ends: the director and the real server forget it. */
  private disconnect(r: number, now: number): void {
    const tb = this.table;
    const k = tb.server[r]!;
    if (k < 0) return;
    const server = this.servers[k]!;
    if (tb.connected[r] === 1) {
      server.connections--;
      tb.connected[r] = 0;
    }
    const director = this.sites[tb.site[r]!]!.director;
    if (director !== null && director.up) director.close(now, server);
    tb.server[r] = -1;
  }

  private finish(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    const k = tb.server[r]!;
    this.disconnect(r, now);
    const arrival = tb.arrival[r]!;
    const rtt = this.rttTable[tb.population[r]! * this.sites.length + tb.site[r]!]!;
    const latency = now - arrival + rtt + tb.extra[r]!;
    metrics.answered(arrival + latency, arrival, k);
    if (tb.stale[r] === 1 && arrival >= this.warmup && arrival < this.end) this.staleReads++;
    this.ended(r, now + rtt + tb.extra[r]!, true);
    this.release(r);
  }

  /** A connection failed: the client tries again if it may, else the request fails. */
  private fail(r: number, now: number, cause: ErrorCause, metrics: Metrics): void {
    const tb = this.table;
    this.disconnect(r, now);
    if (this.dns && cause !== 'error' && tb.tried[r]! + 1 < this.addrSite.length) {
      // The client tries the next address of its answer, as browsers do.
      tb.tried[r]!++;
      tb.site[r] = this.addrSite[(tb.answer[r]! + tb.tried[r]!) % this.addrSite.length]!;
      tb.stage[r] = UPLINK_IN - 1;
      this.retried++;
      this.nextLeg(r, now, metrics);
      return;
    }
    if (cause !== 'error' && tb.attempts[r]! <= this.retries && now < this.end + this.timeout) {
      tb.attempts[r]!++;
      this.retried++;
      const serial = tb.serial[r]!;
      const attempt = tb.attempts[r]!;
      this.at(now + this.retryAfter, (t) => {
        if (tb.serial[r] !== serial || tb.stage[r]! < 0 || tb.abandoned[r] !== LIVE || tb.attempts[r] !== attempt) return;
        // A new connection: the trip starts over (the request keeps its first send time).
        tb.stage[r] = UPLINK_IN - 1;
        this.nextLeg(r, t, this.metrics);
      });
      return;
    }
    this.failed(r, now, cause, metrics);
    this.release(r);
  }

  private failed(r: number, now: number, cause: ErrorCause, metrics: Metrics): void {
    metrics.failed(now, this.table.arrival[r]!, cause);
    if (this.currentFault >= 0) this.faultReports[this.currentFault]!.failed[cause]++;
    this.ended(r, now, false);
  }

  /** The client has its answer (or its error): a user thinks, a session moves on. */
  private ended(r: number, now: number, ok: boolean): void {
    const tb = this.table;
    const user = tb.user[r]!;
    if (user >= 0) this.queue.push(now + this.think!.sample(), USER_SENDS, user);
    const s = tb.session[r]!;
    if (s >= 0 && this.sessions!.requestEnded(s, ok)) {
      const client = this.sessions!.client[s]!;
      const next = now + this.sessionThink!.sample();
      if (next < this.end) this.at(next, (t) => this.send(t, client, -1, s, this.metrics));
      else this.sessions!.cut(s);
    }
  }

  private expect(r: number, deadline: number): void {
    if (this.patienceCount === this.patience.length) this.growPatience();
    const tail = (this.patienceHead + this.patienceCount) & (this.patience.length - 1);
    this.patience[tail] = deadline;
    this.patienceSlot[tail] = r;
    this.patienceSerial[tail] = this.table.serial[r]!;
    if (this.patienceCount++ === 0) this.nextDeadline = deadline;
  }

  /** Clients whose patience ran out by `now` give up on their requests. */
  private giveUpUntil(now: number, metrics: Metrics): void {
    const tb = this.table;
    const mask = this.patience.length - 1;
    while (this.patienceCount > 0) {
      const h = this.patienceHead;
      const deadline = this.patience[h]!;
      if (deadline > now) break;
      this.patienceHead = (h + 1) & mask;
      this.patienceCount--;
      const r = this.patienceSlot[h]!;
      if (tb.serial[r] !== this.patienceSerial[h] || tb.stage[r]! < 0 || tb.abandoned[r] === GAVE_UP) continue;
      // Acted on at the first event at or after the deadline: time never runs backwards.
      this.giveUp(r, Math.min(now, this.end + this.timeout), metrics);
    }
    this.nextDeadline = this.patienceCount > 0 ? this.patience[this.patienceHead]! : Infinity;
  }

  private giveUp(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    tb.abandoned[r] = GAVE_UP;
    // The client closes its connection: the director and the server see it end.
    this.disconnect(r, now);
    this.failed(r, now, 'timeout', metrics);
    const st = tb.station[r]!;
    if (st < 0) this.release(r);
    else if (this.shape.stations[st]!.cancel(now, r)) {
      tb.station[r] = -1;
      this.release(r);
    }
    // Otherwise an FCFS station still holds it and hands it back later.
  }

  private growPatience(): void {
    const n = this.patience.length;
    const d = new Float64Array(n * 2);
    const r = new Int32Array(n * 2);
    const s = new Int32Array(n * 2);
    for (let i = 0; i < this.patienceCount; i++) {
      const k = (this.patienceHead + i) & (n - 1);
      d[i] = this.patience[k]!;
      r[i] = this.patienceSlot[k]!;
      s[i] = this.patienceSerial[k]!;
    }
    this.patience = d;
    this.patienceSlot = r;
    this.patienceSerial = s;
    this.patienceHead = 0;
  }

  private release(r: number): void {
    this.table.stage[r] = -1;
    this.table.release(r);
  }

  // ---- Faults --------------------------------------------------------------------------

  private planFaults(): void {
    const faults = [...this.scenario.faults].sort((a, b) => a.at - b.at);
    faults.forEach((f, i) => {
      this.faultReports.push({ at: f.at, host: f.host, kind: f.kind, failed: { refused: 0, reset: 0, timeout: 0, noServer: 0, error: 0 } });
      this.faultHosts.push([]);
      this.at(f.at, (now) => {
        this.currentFault = i;
        this.markers.push({ t: now, label: `${f.host} ${f.kind}`, kind: f.kind === 'recover' ? 'recover' : 'fault' });
        this.applyFault(now, f.host, f.kind, f.factor ?? 1);
      });
    });
  }

  private applyFault(now: number, host: string, kind: string, factor: number): void {
    const ref = resolveHost(this.scenario, host);
    if (typeof ref === 'string') throw new Error(ref); // the schema checked it
    if (ref.kind === 'server') {
      const server = this.sites[ref.site]!.servers[ref.server]!;
      this.faultHosts[this.currentFault]!.push(server);
      switch (kind) {
        case 'crash':
          server.state = CRASHED;
          server.epoch++;
          this.strand(now, (r) => this.table.server[r] === server.index && this.table.connected[r] === 1, 'hang');
          break;
        case 'link-down':
          server.state = UNPLUGGED;
          this.strand(now, (r) => this.table.server[r] === server.index && this.table.connected[r] === 1, 'hang');
          break;
        case 'stop':
          server.state = STOPPED;
          this.strand(now, (r) => this.table.server[r] === server.index && this.table.connected[r] === 1, 'reset');
          break;
        case 'slow':
          server.slowFactor = factor;
          break;
        case 'recover':
          server.state = UP;
          server.slowFactor = 1;
          break;
      }
    } else if (ref.kind === 'director') {
      const site = this.sites[ref.site]!;
      const director = site.director!;
      const spec = this.scenario.sites[ref.site]!.director!;
      if (kind === 'crash') {
        // Every connection through it is lost: no connection sync to a standby here.
        this.strand(now, (r) => this.table.site[r] === ref.site && this.table.stage[r]! >= DIRECTOR_IN_CPU, 'hang');
        director.up = false;
        if (spec.standby) {
          const { advert_int: advert, priority } = spec.standby;
          const takeover = now + 3 * advert + ((256 - priority) / 256) * advert;
          this.at(takeover, (t) => {
            director.restart();
            this.checkLog.push({ t, host: `${site.name}/director`, text: 'VRRP_Instance(VI_1) Transition to MASTER STATE (the standby takes over)' });
            this.markers.push({ t, label: 'standby takes over', kind: 'moved' });
            const report = this.faultReports[this.currentFault];
            if (report && report.movedAt === undefined) {
              report.detectedAt = t;
              report.detection = t - report.at;
              report.movedAt = t;
            }
          });
        }
      } else if (kind === 'recover') {
        if (!director.up) director.restart();
      }
    } else if (ref.kind === 'database') {
      this.databaseState = kind === 'recover' ? UP : kind === 'stop' ? STOPPED : CRASHED;
      if (kind === 'crash' || kind === 'stop' || kind === 'link-down') {
        this.strand(now, (r) => this.table.station[r] === this.shape.database!.id, 'error');
      }
    } else {
      this.storageState = kind === 'recover' ? UP : kind === 'stop' ? STOPPED : CRASHED;
      if (kind === 'stop') this.strand(now, (r) => this.table.station[r] === this.shape.storage!.id, 'error');
      else if (kind === 'crash' || kind === 'link-down') this.strand(now, (r) => this.table.station[r] === this.shape.storage!.id, 'hang');
    }
  }

  /** Requests in flight that match `which` lose their host: they hang, or fail at once. */
  private strand(now: number, which: (r: number) => boolean, how: 'hang' | 'reset' | 'error'): void {
    const tb = this.table;
    for (let r = 0; r < tb.stage.length; r++) {
      if (tb.stage[r]! < 0 || tb.abandoned[r] !== LIVE || !which(r)) continue;
      const st = tb.station[r]!;
      if (st >= 0 && this.shape.stations[st]!.cancel(now, r)) tb.station[r] = -1;
      if (how === 'hang') {
        this.hang(r, now, false);
      } else if (tb.station[r]! < 0) {
        this.fail(r, now, how, this.metrics);
      } else {
        // An FCFS station still holds it: it fails now and is freed when handed back.
        this.disconnect(r, now);
        this.failed(r, now, how, this.metrics);
        tb.abandoned[r] = GAVE_UP;
      }
    }
  }

  // ---- Health checks (CheckerHost) -----------------------------------------------------

  private startCheckers(): void {
    const hc = this.scenario.healthcheck;
    if (hc.kind === 'none') return;
    this.sites.forEach((site) => {
      if (site.director === null) return;
      const rng = new Rng(this.scenario.seed, `${hc.kind} ${site.name}`);
      if (hc.kind === 'monit') new Monit(hc, site.director, site.servers, this, rng);
      else new Keepalived(hc, site.director, site.servers, this, rng);
    });
  }

  probe(server: RealServer): ProbeResult {
    if (server.state === UP) return 'ok';
    return server.state === STOPPED ? 'refused' : 'silent';
  }

  log(t: number, server: RealServer, text: string): void {
    this.checkLog.push({ t, host: server.name, text });
  }

  detected(t: number, server: RealServer): void {
    const i = this.latestFaultOn(server);
    this.markers.push({ t, label: `${server.name} detected down`, kind: 'detection' });
    if (i >= 0 && this.faultReports[i]!.detectedAt === undefined) {
      this.faultReports[i]!.detectedAt = t;
      this.faultReports[i]!.detection = t - this.faultReports[i]!.at;
    }
  }

  moved(t: number, server: RealServer): void {
    const i = this.latestFaultOn(server);
    if (i >= 0 && this.faultReports[i]!.movedAt === undefined) {
      this.faultReports[i]!.movedAt = t;
      this.markers.push({ t, label: `traffic off ${server.name}`, kind: 'moved' });
    }
  }

  /** The latest fault (not a recovery) that hit `server`. */
  private latestFaultOn(server: RealServer): number {
    for (let i = this.currentFault; i >= 0; i--) {
      if (this.faultReports[i]!.kind !== 'recover' && this.faultHosts[i]!.includes(server)) return i;
    }
    return -1;
  }
}
