// A site: its uplink to the Internet (one station per direction), an optional director, and
// its real servers. A site without a director is the classic single web server.

import type { Station } from '../engine/station.ts';
import type { Director } from './director.ts';
import type { RealServer } from './real-server.ts';

export class Site {
  constructor(
    readonly index: number,
    readonly name: string,
    /** Uplink speed in bits/s, each direction (Infinity: unlimited). */
    readonly uplink: number,
    /** Most queued work (seconds) the uplink's router buffers before it drops. */
    readonly buffer: number,
    /** Requests coming in; null when the uplink is unlimited. */
    readonly uplinkIn: Station | null,
    /** Responses going out; null when the uplink is unlimited. */
    readonly uplinkOut: Station | null,
    readonly director: Director | null,
    readonly servers: RealServer[],
  ) {}
}
