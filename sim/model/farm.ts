// The farm under local balancing: requests come in over a site's uplink, pass its director
// (scheduled to a real server, forwarded at a CPU and NIC cost), are served, and their answers
// go back out — through the director again only under nat. One event loop drives it all.

import type { Scenario } from '../../scenarios/schema.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import { EventQueue } from '../engine/event-queue.ts';
import { Rng } from '../engine/rng.ts';
import { FCFS_DONE, FcfsStation, FIRST_MODEL_EVENT, PS_DONE, PsStation, type Reneging, type Station } from '../engine/station.ts';
import type { Metrics, Resource, ServerLabel } from '../metrics.ts';
import { Director } from './director.ts';
import { clientPackets, forwardBytes, serverPackets } from './packets.ts';
import { RealServer } from './real-server.ts';
import { RequestTable } from './requests.ts';
import { createScheduler } from './schedulers/index.ts';
import { Site } from './site.ts';
import { openSource, type OpenSource } from './workload.ts';

const ARRIVAL = FIRST_MODEL_EVENT;
const USER_SENDS = FIRST_MODEL_EVENT + 1;

// The legs of a request's trip, in order; a leg whose resource is free is skipped.
const UPLINK_IN = 0;
const DIRECTOR_IN_CPU = 1;
const DIRECTOR_IN_NIC = 2;
const SERVER = 3;
const DIRECTOR_OUT_CPU = 4;
const DIRECTOR_OUT_NIC = 5;
const UPLINK_OUT = 6;

/** Client addresses are 10.1.0.1, 10.1.0.2, …: the same numbering the lab's client uses. */
export const CLIENT_BASE = ((10 << 24) | (1 << 16) | 1) >>> 0;

export interface FarmShape {
  sites: Site[];
  servers: RealServer[];
  stations: Station[];
  resources: Resource[];
  labels: ServerLabel[];
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
    return new Site(si, spec.name, spec.uplink, uplinkIn, uplinkOut, director, real);
  });
  return { sites, servers, stations, resources, labels };
}

function rngFn(rng: Rng): () => number {
  return () => rng.random();
}

export interface RunHooks {
  /** Called now and then with the share of simulated time done (0..1). */
  progress?: (done: number) => void;
}

export class Farm implements Reneging {
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
  private readonly timeout: number;
  private readonly requestBytes: number;
  private readonly rtt: number;
  events = 0;

  constructor(private scenario: Scenario, private metricsFor: (shape: FarmShape) => Metrics) {
    this.shape = buildFarm(scenario, this.queue, this);
    this.sites = this.shape.sites;
    this.servers = this.shape.servers;
    const seed = scenario.seed;
    const w = scenario.workload;
    this.end = scenario.duration;
    this.timeout = scenario.clients.timeout;
    this.addresses = scenario.clients.addresses;
    this.requestBytes = w.request;
    this.rtt = scenario.clients.rtt;
    this.cpu = sampler(w.cpu, new Rng(seed, 'cpu'));
    this.response = sampler(w.response, new Rng(seed, 'response'));
    this.clientRng = new Rng(seed, 'clients');
    const a = w.arrivals;
    if (a.kind === 'closed') {
      this.users = a.users;
      this.think = sampler(a.think, new Rng(seed, 'think'));
    } else {
      this.open = openSource(a, new Rng(seed, 'arrivals'), this.end);
    }
  }

  get shapeOf(): FarmShape {
    return this.shape;
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
          this.send(t, this.clientRng.below(this.addresses), -1, metrics);
          break;
        }
        case USER_SENDS:
          if (t < this.end) this.send(t, q.a % this.addresses, q.a, metrics);
          break;
      }
    }
    this.events = events;
    // Whoever is still waiting when the drain stops has waited past the timeout.
    this.giveUpUntil(Infinity, metrics);
    metrics.advanceTo(Infinity);
    return metrics;
  }

  /** A station let go of request r: on to the next leg, unless its client already left. */
  private leave(r: number, now: number, metrics: Metrics): void {
    this.table.station[r] = -1;
    if (this.table.abandoned[r] === 1) this.release(r);
    else this.nextLeg(r, now, metrics);
  }

  // Reneging, as the stations see it.
  get heapPos(): Int32Array {
    return this.table.heapPos;
  }
  gaveUp(r: number): boolean {
    return this.table.abandoned[r] === 1;
  }
  drop(r: number): void {
    this.table.station[r] = -1;
    this.release(r);
  }

  private send(now: number, client: number, user: number, metrics: Metrics): void {
    const tb = this.table;
    const r = tb.allocate();
    tb.arrival[r] = now;
    tb.demand[r] = this.cpu.sample();
    tb.response[r] = this.response.sample();
    tb.client[r] = client;
    tb.user[r] = user;
    tb.server[r] = -1;
    tb.site[r] = 0;
    tb.abandoned[r] = 0;
    tb.stage[r] = UPLINK_IN - 1;
    tb.station[r] = -1;
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
            station = site.uplinkIn;
            work = (this.requestBytes * 8) / site.uplink;
          }
          break;
        case DIRECTOR_IN_CPU: {
          let server: RealServer | null = site.servers[0]!;
          if (director !== null) {
            server = director.schedule(now, CLIENT_BASE + tb.client[r]!);
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
          if (server.connections >= server.limit) return this.fail(r, now, 'refused', metrics);
          server.connections++;
          station = server.cpu;
          work = tb.demand[r]! / server.speed;
          break;
        }
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

  private finish(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    const server = this.servers[tb.server[r]!]!;
    server.connections--;
    this.sites[tb.site[r]!]!.director?.close(now, server);
    const arrival = tb.arrival[r]!;
    const latency = now - arrival + this.rtt;
    if (tb.abandoned[r] === 0) {
      metrics.answered(arrival + latency, arrival, server.index);
      const user = tb.user[r]!;
      if (user >= 0) this.queue.push(now + this.rtt + this.think!.sample(), USER_SENDS, user);
    }
    this.release(r);
  }

  private fail(r: number, now: number, cause: 'refused' | 'noServer', metrics: Metrics): void {
    const tb = this.table;
    if (cause === 'refused') {
      const server = this.servers[tb.server[r]!]!;
      this.sites[tb.site[r]!]!.director?.close(now, server);
    }
    if (tb.abandoned[r] === 0) {
      metrics.failed(now, tb.arrival[r]!, cause);
      const user = tb.user[r]!;
      if (user >= 0) this.queue.push(now + this.rtt + this.think!.sample(), USER_SENDS, user);
    }
    this.release(r);
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
      if (tb.serial[r] !== this.patienceSerial[h] || tb.stage[r]! < 0 || tb.abandoned[r] === 1) continue;
      // Acted on at the first event at or after the deadline: time never runs backwards.
      this.giveUp(r, Math.min(now, this.end + this.timeout), metrics);
    }
    this.nextDeadline = this.patienceCount > 0 ? this.patience[this.patienceHead]! : Infinity;
  }

  private giveUp(r: number, now: number, metrics: Metrics): void {
    const tb = this.table;
    tb.abandoned[r] = 1;
    metrics.failed(now, tb.arrival[r]!, 'timeout');
    // The client closes its connection: the director and the server see it end.
    const stage = tb.stage[r]!;
    if (tb.server[r]! >= 0) {
      const server = this.servers[tb.server[r]!]!;
      if (stage >= SERVER) server.connections--;
      this.sites[tb.site[r]!]!.director?.close(now, server);
    }
    const user = tb.user[r]!;
    if (user >= 0 && now < this.end) this.queue.push(now + this.think!.sample(), USER_SENDS, user);
    const st = tb.station[r]!;
    if (st >= 0 && this.shape.stations[st]!.cancel(now, r)) {
      tb.station[r] = -1;
      this.release(r);
    }
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


}
