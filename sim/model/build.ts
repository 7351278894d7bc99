// How a scenario's sites become stations: uplinks, directors (with their schedulers) and real
// servers, plus the shared storage and session database when the scenario has them.

import type { Scenario } from '../../scenarios/schema.ts';
import type { EventQueue } from '../engine/event-queue.ts';
import { Rng } from '../engine/rng.ts';
import { FcfsStation, PsStation, type Reneging, type Station } from '../engine/station.ts';
import type { Resource, ServerLabel } from '../metrics.ts';
import { Director } from './director.ts';
import { RealServer } from './real-server.ts';
import { createScheduler } from './schedulers/index.ts';
import { Site } from './site.ts';

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
