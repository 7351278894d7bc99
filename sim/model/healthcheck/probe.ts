// What a health checker's TCP connect to port 80 meets, and what a checker may do to the farm.

import type { RealServer } from '../real-server.ts';

/** ok: connected; refused: a reset at once; silent: no answer until the connect timeout. */
export type ProbeResult = 'ok' | 'refused' | 'silent';

export interface CheckerHost {
  /** Schedules `fn` at simulated time `t`. */
  at(t: number, fn: (now: number) => void): void;
  probe(server: RealServer): ProbeResult;
  /** A line in the checker's log (as monit or keepalived would write it). */
  log(t: number, server: RealServer, text: string): void;
  /** The checker acted on `server` being down: detection. */
  detected(t: number, server: RealServer): void;
  /** New connections no longer go to `server`. */
  moved(t: number, server: RealServer): void;
}
