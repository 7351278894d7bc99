// What happened during a run's faults, as the Result reports it: each fault with when it was
// detected and when traffic moved, the requests that failed after it, the health checker's
// log lines, and the instants to mark on timelines.

import { noFailures, type CheckLogLine, type ErrorCause, type FaultReport, type Marker } from '../../reports/result.ts';
import type { RealServer } from './real-server.ts';

export class FailureRecord {
  readonly faults: FaultReport[] = [];
  readonly log: CheckLogLine[] = [];
  readonly markers: Marker[] = [];
  /** Index of the latest fault that has happened, or -1. */
  private current = -1;
  /** The real servers each fault hit. */
  private hit: RealServer[][] = [];
  /**
   * Per window between faults (window 0 before the first): each client address's latest
   * answered request, as arrival time and real server — to count the addresses a fault moved.
   */
  private latest: Map<number, { arrival: number; server: number }>[] = [new Map()];

  /** A fault of the scenario, in time order, before the run. */
  plan(at: number, host: string, kind: string): void {
    this.faults.push({ at, host, kind, failed: noFailures() });
    this.hit.push([]);
    this.latest.push(new Map());
  }

  /** Client address `client` was answered by real server `server` for a request sent at `arrival`. */
  answered(client: number, server: number, arrival: number): void {
    if (this.faults.length === 0) return;
    let w = 0;
    while (w < this.faults.length && this.faults[w]!.at <= arrival) w++;
    const m = this.latest[w]!;
    const had = m.get(client);
    // One entry per client and window, updated in place: no object per answer.
    if (!had) m.set(client, { arrival, server });
    else if (had.arrival <= arrival) {
      had.arrival = arrival;
      had.server = server;
    }
  }

  /**
   * After the run: per fault (not a recovery), the client addresses whose latest answer before
   * it came from one real server and whose latest answer until the next fault came from another —
   * the sessions it broke, had their state lived on the server.
   */
  countMoves(): void {
    const before = new Map<number, number>();
    this.faults.forEach((f, i) => {
      for (const [client, a] of this.latest[i]!) before.set(client, a.server);
      if (f.kind === 'recover') return;
      let moved = 0;
      for (const [client, a] of this.latest[i + 1]!) {
        const was = before.get(client);
        if (was !== undefined && was !== a.server) moved++;
      }
      f.movedClients = moved;
    });
  }

  /** Fault i happens now (hitting `servers`, if any). */
  happened(i: number, now: number, servers: RealServer[]): void {
    this.current = i;
    const f = this.faults[i]!;
    this.hit[i] = servers;
    this.markers.push({ t: now, label: `${f.host} ${f.kind}`, kind: f.kind === 'recover' ? 'recover' : 'fault' });
  }

  /** A request failed: charged to the latest fault, if any happened yet. */
  failed(cause: ErrorCause): void {
    if (this.current >= 0) this.faults[this.current]!.failed[cause]++;
  }

  line(t: number, host: string, text: string): void {
    this.log.push({ t, host, text });
  }

  /** The health checker declared `server` down. */
  detected(t: number, server: RealServer): void {
    this.markers.push({ t, label: `${server.name} detected down`, kind: 'detection' });
    const f = this.faults[this.latestOn(server)];
    if (f && f.detectedAt === undefined) {
      f.detectedAt = t;
      f.detection = t - f.at;
    }
  }

  /** New connections no longer go to `server`. */
  moved(t: number, server: RealServer): void {
    const f = this.faults[this.latestOn(server)];
    if (f && f.movedAt === undefined) {
      f.movedAt = t;
      this.markers.push({ t, label: `traffic off ${server.name}`, kind: 'moved' });
    }
  }

  /** A standby director took over for the latest fault: detected and moved at once. */
  tookOver(t: number, host: string): void {
    this.line(t, host, 'VRRP_Instance(VI_1) Transition to MASTER STATE (the standby takes over)');
    this.markers.push({ t, label: 'standby takes over', kind: 'moved' });
    const f = this.faults[this.current];
    if (f && f.movedAt === undefined) {
      f.detectedAt = t;
      f.detection = t - f.at;
      f.movedAt = t;
    }
  }

  /** The latest fault (not a recovery) that hit `server`, or -1. */
  private latestOn(server: RealServer): number {
    for (let i = this.current; i >= 0; i--) {
      if (this.faults[i]!.kind !== 'recover' && this.hit[i]!.includes(server)) return i;
    }
    return -1;
  }
}
