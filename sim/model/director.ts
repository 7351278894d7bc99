// An LVS director: one virtual service with its scheduler and real servers, a CPU that spends
// a fixed time per packet forwarded, and a network card. It keeps the connection counters a
// scheduler reads: a connection is active while its request is served and then stays in the
// table as inactive for `tcpfin` (ipvsadm --set), as the kernel's lc and wlc see it.

import type { Director as DirectorSpec, Forwarding } from '../../scenarios/schema.ts';
import { Fifo } from '../engine/fifo.ts';
import type { Station } from '../engine/station.ts';
import type { RealServer } from './real-server.ts';
import type { Scheduler } from './schedulers/scheduler.ts';
import { returnsThroughDirector } from './packets.ts';
import { VIP_NUMBER } from '../../scenarios/addresses.ts';

/**
 * The kernel's order of a service's destination list: ip_vs_add_dest links a new real server
 * at the head of svc->destinations (list_add_rcu), so the last one added comes first. The
 * order matters to rr, wrr and to how sh deals its buckets.
 */
export function kernelOrder<T>(added: readonly T[]): T[] {
  return [...added].reverse();
}

export class Director {
  /** False while the director is down (crashed, before a standby takes over). */
  up = true;
  /**
   * Where VIP traffic is marked to go (the deck's fwmark services): every real server
   * (fwmark 1, the scheduler decides), one real server's own service (fwmark 2, 3, …), or
   * nowhere while web_balancing.sh has flushed the mangle chain and not yet re-added its rule.
   */
  markedTo: 'all' | RealServer | 'nowhere' = 'all';
  readonly forwarding: Forwarding;
  readonly packetTime: number;
  /** Answers come back through the director (masquerading). */
  readonly nat: boolean;
  /** NIC speed in bits/s. */
  readonly nicSpeed: number;
  /** Real servers in the order they were added (ipvsadm -a), i.e. the scenario's order. */
  private added: RealServer[];
  private dests: RealServer[] = [];
  private readonly members: readonly RealServer[];
  // Closed connections waiting for tcpfin to expire: a FIFO, since they all wait as long.
  /** Closed connections: (expiry, real server id). */
  private closed = new Fifo(256);
  private readonly tracksInactive: boolean;
  private readonly tcpfin: number;

  constructor(
    readonly site: number,
    spec: DirectorSpec,
    readonly scheduler: Scheduler,
    servers: RealServer[],
    /** Per-packet CPU; null when free. */
    readonly cpu: Station | null,
    /** The network card; null when unlimited. */
    readonly nic: Station | null,
  ) {
    this.forwarding = spec.forwarding;
    this.packetTime = spec.packet;
    this.nat = returnsThroughDirector(spec.forwarding);
    this.nicSpeed = spec.nic;
    this.tcpfin = spec.tcpfin;
    this.added = servers;
    this.members = servers;
    // Only the schedulers that look at InActConn (and thresholds) pay for tracking it.
    this.tracksInactive = ['lc', 'wlc', 'twos'].includes(spec.scheduler) || servers.some((s) => s.threshold > 0);
    this.refresh();
  }

  /** Real servers in the kernel's list order. */
  destinations(): readonly RealServer[] {
    return this.dests;
  }

  /** A standby took over (or the director came back): its connection table starts empty. */
  restart(): void {
    this.up = true;
    for (const s of this.members) {
      s.activeConns = 0;
      s.inactConns = 0;
      s.overloaded = false;
    }
    this.closed.clear();
    this.refresh();
  }

  /** ipvsadm -e -w: a weight change re-deals sh and mh tables, like in the kernel. */
  setWeight(server: RealServer, weight: number): void {
    server.weight = weight;
    this.scheduler.update(this.dests);
  }

  /** ipvsadm -d: the real server leaves the service. */
  remove(server: RealServer): void {
    this.added = this.added.filter((s) => s !== server);
    this.refresh();
  }

  /** ipvsadm -a: the real server joins (again) at the head of the list. */
  add(server: RealServer): void {
    if (!this.added.includes(server)) this.added = [...this.added, server];
    this.refresh();
  }

  private refresh(): void {
    this.dests = kernelOrder(this.added);
    this.scheduler.update(this.dests);
  }

  /** A new connection from `client` arrives: the real server it goes to, or null (reset). */
  schedule(now: number, client: number): RealServer | null {
    if (this.tracksInactive) this.expire(now);
    const target = this.markedTo;
    const dest = target === 'all' ? (this.scheduler.schedule(client, 0, VIP_NUMBER) as RealServer | null) : (target as RealServer);
    if (dest === null) return null;
    dest.activeConns++;
    if (this.tracksInactive) dest.updateOverload();
    return dest;
  }

  /** The connection to `server` closed: active → inactive until tcpfin expires. */
  close(now: number, server: RealServer): void {
    server.activeConns--;
    if (!this.tracksInactive) return;
    server.inactConns++;
    this.closed.push(now + this.tcpfin, server.id);
    server.updateOverload();
  }

  private expire(now: number): void {
    const closed = this.closed;
    while (closed.size > 0 && closed.firstNum <= now) {
      const s = this.byId(closed.firstA);
      s.inactConns--;
      s.updateOverload();
      closed.shift();
    }
  }


  /** By id, including removed servers: their closed connections still expire from the table. */
  private byId(id: number): RealServer {
    return this.members[id]!;
  }

}

