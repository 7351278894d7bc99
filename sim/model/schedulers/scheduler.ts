// What every IPVS scheduler sees and does. The director owns the real servers and keeps their
// connection counters; a scheduler only reads them, like the kernel's ip_vs_scheduler ops.

import type { SchedulerName } from '../../../scenarios/schema.ts';

/** A real server as the kernel's struct ip_vs_dest shows it to a scheduler. */
export interface Dest {
  /** Stable index of the real server within its site (its place in the scenario). */
  readonly id: number;
  /** ipvsadm -w; 0 means "quiesced": no new connections (sh keeps its buckets). */
  weight: number;
  /** Established connections (IPVS ActiveConn). */
  activeConns: number;
  /** Connections closed but still in the table until tcpfin expires (IPVS InActConn). */
  inactConns: number;
  /** IP_VS_DEST_F_OVERLOAD: at or above its upper threshold (ipvsadm -x). */
  overloaded: boolean;
}

export interface Scheduler {
  readonly name: SchedulerName;
  /**
   * The service's destination list changed (a real server added, deleted or its weight edited):
   * the kernel's add_dest / del_dest / upd_dest. `dests` is in the kernel's list order.
   */
  update(dests: readonly Dest[]): void;
  /**
   * A new connection from source address `client` (IPv4 as an unsigned 32-bit integer) and
   * source `port`, to destination address `vip`: the chosen real server, or null when none is
   * available (the kernel then answers the SYN with a reset: "no server available").
   */
  schedule(client: number, port: number, vip: number): Dest | null;
}
