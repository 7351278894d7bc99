// The farm under local balancing: requests come in over a site's uplink, pass its director
// (scheduled to a real server, forwarded at a CPU and NIC cost), are served — reading the
// network storage or the session database on the way if the scenario has them — and their
// answers go back out, through the director again only under nat. Faults, health checkers,
// retries and sessions act on the same requests. One event loop drives it all.

import type { Scenario } from '../../scenarios/schema.ts';
import { resolveHost } from '../../scenarios/hosts.ts';
import { clientAddressNumber } from '../../scenarios/addresses.ts';
import type { ErrorCause } from '../../reports/result.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import { EventQueue } from '../engine/event-queue.ts';
import { Rng } from '../engine/rng.ts';
import { FCFS_DONE, FIRST_MODEL_EVENT, PS_DONE, type FcfsStation, type PsStation, type Reneging, type Station } from '../engine/station.ts';
import { buildFarm, type FarmShape } from './build.ts';
import type { Metrics } from '../metrics.ts';
import { ContentCopies } from './content.ts';
import { ClientPopulations } from './populations.ts';
import { FailureRecord } from './failure-record.ts';
import { Keepalived } from './healthcheck/keepalived.ts';
import { Monit } from './healthcheck/monit.ts';
import type { CheckerHost, ProbeResult } from './healthcheck/probe.ts';
import { clientPackets, forwardBytes, serverPackets } from './packets.ts';
import { CRASHED, STOPPED, UNPLUGGED, UP, type RealServer } from './real-server.ts';
import { Patience } from './patience.ts';
import { RequestTable } from './requests.ts';
import { SessionTable } from './sessions.ts';
import type { Site } from './site.ts';
import { openSource, type OpenSource } from './workload.ts';

const ARRIVAL = FIRST_MODEL_EVENT;
const USER_SENDS = FIRST_MODEL_EVENT + 1;
const TIMER = FIRST_MODEL_EVENT + 2;
const SESSION_NEXT = FIRST_MODEL_EVENT + 3;
// Per-request waits: a SYN nobody answers, a pause before a retry. They carry the request's
// slot and attempt packed in one int (attempts ≤ 11 fit in 4 bits) and its serial.
const CONNECT_GIVE_UP = FIRST_MODEL_EVENT + 4;
const RETRY = FIRST_MODEL_EVENT + 5;
const ATTEMPT_BITS = 4;
const packAttempt = (r: number, attempt: number) => (r << ATTEMPT_BITS) | attempt;

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


export type { FarmShape } from './build.ts';

export interface RunHooks {
  /** Called now and then with the share of simulated time done (0..1). */
  progress?: (done: number) => void;
}

export class Farm implements Reneging, CheckerHost {
  private queue = new EventQueue();
  private table = new RequestTable();
  private patience = new Patience();
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
  // Rare events (faults, health checks, standby takeovers) run as closures on TIMER events.
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
  // Client populations and, under DNS balancing, their resolvers and the name's addresses.
  private clients: ClientPopulations;
  private dns: boolean;
  private addrSite: Int32Array;
  private addrServer: Int32Array;
  // What happened, for the Result.
  readonly record = new FailureRecord();
  retried = 0;
  staleReads = 0;
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
    this.clients = new ClientPopulations(scenario, this.sites, this.servers);
    this.dns = this.clients.dns;
    this.addrSite = this.clients.addressSite;
    this.addrServer = this.clients.addressServer;
    this.planFaults();
    this.startCheckers();
  }

  get resolverQueries(): number {
    return this.clients.queries;
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
      if (t >= this.patience.next) this.giveUpUntil(t);
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
        case SESSION_NEXT:
          this.send(t, this.sessions!.client[q.a]!, -1, q.a, metrics);
          break;
        case CONNECT_GIVE_UP: {
          const r = q.a >>> ATTEMPT_BITS;
          const tb = this.table;
          if (tb.serial[r] !== q.b || tb.stage[r]! < 0 || tb.abandoned[r] !== HUNG || tb.attempts[r] !== (q.a & ((1 << ATTEMPT_BITS) - 1))) break;
          tb.abandoned[r] = LIVE;
          this.fail(r, t, 'timeout', metrics);
          break;
        }
        case RETRY: {
          const r = q.a >>> ATTEMPT_BITS;
          const tb = this.table;
          if (tb.serial[r] !== q.b || tb.stage[r]! < 0 || tb.abandoned[r] !== LIVE || tb.attempts[r] !== (q.a & ((1 << ATTEMPT_BITS) - 1))) break;
          // A new connection: the trip starts over (the request keeps its first send time).
          tb.stage[r] = UPLINK_IN - 1;
          this.nextLeg(r, t, metrics);
          break;
        }
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
    this.giveUpUntil(Infinity);
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
    const population = this.clients.populations > 1 ? this.clients.populationOf(client) : 0;
    tb.population[r] = population;
    if (this.dns) {
      const a = this.clients.resolve(client, population, now);
      tb.answer[r] = a;
      tb.tried[r] = 0;
      tb.site[r] = this.addrSite[a]!;
    } else {
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
    this.patience.expect(r, tb.serial[r]!, now + this.timeout - this.rtt);
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
    this.queue.push(now + this.connectTimeout, CONNECT_GIVE_UP, packAttempt(r, tb.attempts[r]!), tb.serial[r]!);
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
    const rtt = this.clients.rtt(tb.population[r]!, tb.site[r]!);
    const latency = now - arrival + rtt + tb.extra[r]!;
    metrics.answered(arrival + latency, arrival, k);
    this.record.answered(tb.client[r]!, k, arrival);
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
      this.queue.push(now + this.retryAfter, RETRY, packAttempt(r, tb.attempts[r]!), tb.serial[r]!);
      return;
    }
    this.failed(r, now, cause, metrics);
    this.release(r);
  }

  private failed(r: number, now: number, cause: ErrorCause, metrics: Metrics): void {
    metrics.failed(now, this.table.arrival[r]!, cause);
    this.record.failed(cause);
    this.ended(r, now, false);
  }

  /** The client has its answer (or its error): a user thinks, a session moves on. */
  private ended(r: number, now: number, ok: boolean): void {
    const tb = this.table;
    const user = tb.user[r]!;
    if (user >= 0) this.queue.push(now + this.think!.sample(), USER_SENDS, user);
    const s = tb.session[r]!;
    if (s >= 0 && this.sessions!.requestEnded(s, ok)) {
      // An event, not a closure: every request of every session passes here.
      const next = now + this.sessionThink!.sample();
      if (next < this.end) this.queue.push(next, SESSION_NEXT, s);
      else this.sessions!.cut(s);
    }
  }

  /** Clients whose patience ran out by `now` give up on their requests. */
  private giveUpUntil(now: number): void {
    this.patience.expire(now, this.onDeadline);
  }

  // Bound once: called for every request whose deadline passes, on the hot path.
  private readonly onDeadline = (r: number, serial: number, now: number): void => {
    const tb = this.table;
    if (tb.serial[r] !== serial || tb.stage[r]! < 0 || tb.abandoned[r] === GAVE_UP) return;
    // Acted on at the first event at or after the deadline: time never runs backwards.
    this.giveUp(r, Math.min(now, this.end + this.timeout), this.metrics);
  };

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

  private release(r: number): void {
    this.table.stage[r] = -1;
    this.table.release(r);
  }

  // ---- Faults --------------------------------------------------------------------------

  private planFaults(): void {
    const faults = [...this.scenario.faults].sort((a, b) => a.at - b.at);
    faults.forEach((f, i) => {
      this.record.plan(f.at, f.host, f.kind);
      this.at(f.at, (now) => this.applyFault(i, now, f.host, f.kind, f.factor ?? 1));
    });
  }

  private applyFault(i: number, now: number, host: string, kind: string, factor: number): void {
    const ref = resolveHost(this.scenario, host);
    if (typeof ref === 'string') throw new Error(ref); // the schema checked it
    const server = ref.kind === 'server' ? this.sites[ref.site]!.servers[ref.server]! : undefined;
    this.record.happened(i, now, server ? [server] : []);
    if (server) {
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
            this.record.tookOver(t, `${site.name}/director`);
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
    this.record.line(t, server.name, text);
  }

  detected(t: number, server: RealServer): void {
    this.record.detected(t, server);
  }

  moved(t: number, server: RealServer): void {
    this.record.moved(t, server);
  }
}
