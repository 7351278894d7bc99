// A real server: cores that serve requests (FCFS or processor sharing), a speed, the weight
// the director gives it, an optional connection limit of its own (beyond it, connections are
// refused) and the IPVS upper threshold the director watches.

import type { Server } from '../../scenarios/schema.ts';
import type { Dest } from './schedulers/scheduler.ts';
import type { Station } from '../engine/station.ts';

/** What a client's connection attempt meets. */
export const UP = 0;
/** Crashed or powered off: no answer at all; its memory (sessions) is lost. */
export const CRASHED = 1;
/** The web service is stopped: the host answers SYNs with a reset (connection refused). */
export const STOPPED = 2;
/** The cable is out: no answer, but the host keeps running and keeps its memory. */
export const UNPLUGGED = 3;

export class RealServer implements Dest {
  state = UP;
  /** Work takes this many times longer (a "slow" fault). */
  slowFactor = 1;
  /** Bumped when the host crashes: session state kept before is gone. */
  epoch = 0;
  weight: number;
  activeConns = 0;
  inactConns = 0;
  overloaded = false;
  /** Connections the web server holds right now (its own limit counts these). */
  connections = 0;
  readonly limit: number;
  readonly threshold: number;
  readonly speed: number;
  /** The weight the scenario gave it (keepalived restores it after inhibit_on_failure). */
  readonly configuredWeight: number;

  constructor(
    /** Index within its site: the Dest id a scheduler sees. */
    readonly id: number,
    /** Index across the farm. */
    readonly index: number,
    readonly site: number,
    readonly name: string,
    readonly cpu: Station,
    spec: Server,
  ) {
    this.weight = spec.weight;
    this.configuredWeight = spec.weight;
    this.limit = spec.connections ?? Infinity;
    this.threshold = spec.threshold ?? 0;
    this.speed = spec.speed;
  }

  /** The kernel's overload hysteresis: set at u_threshold, cleared below 3/4 of it. */
  updateOverload(): void {
    if (this.threshold === 0) return;
    const total = this.activeConns + this.inactConns;
    if (total >= this.threshold) this.overloaded = true;
    else if (this.overloaded && total * 4 < this.threshold * 3) this.overloaded = false;
  }
}
