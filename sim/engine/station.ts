// A station is anything a request occupies for a while: a server's cores, a director's CPU,
// a link. Two disciplines: FCFS with c servers (a request waits for a free core or wire) and
// processor sharing over c cores (everyone progresses at min(1, c/n) — threads on a CPU, TCP
// flows sharing a link). Stations schedule their own completions on the event queue and report
// busy time, so utilisation is exact rather than sampled.

import type { EventQueue } from './event-queue.ts';
import { Fifo } from './fifo.ts';

/** Event kinds used by stations; the model's own kinds start above these. */
export const FCFS_DONE = 1;
export const PS_DONE = 2;
export const FIRST_MODEL_EVENT = 8;

/**
 * How a station learns that a client gave up on a request it holds (reneging): a waiting
 * request is then skipped, and handed back through drop() so its owner can free it.
 */
export interface Reneging {
  gaveUp(request: number): boolean;
  drop(request: number): void;
  /** Where a processor-sharing station keeps each request's place in its heap. */
  heapPos: Int32Array;
}

export abstract class Station {
  /** Time-integral of busy servers (core-seconds) up to `lastChange`. */
  protected area = 0;
  protected lastChange = 0;
  /** Requests present (waiting or in service). */
  present = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly servers: number,
    protected queue: EventQueue,
    protected reneging: Reneging,
  ) {}

  /** Busy servers right now. */
  abstract busy(): number;

  /** Core-seconds of work done up to time t (t ≥ the last change). */
  busyArea(t: number): number {
    return this.area + this.busy() * (t - this.lastChange);
  }

  protected account(now: number): void {
    this.area += this.busy() * (now - this.lastChange);
    this.lastChange = now;
  }

  /** A request arrives needing `work` seconds of one server. */
  abstract arrive(now: number, request: number, work: number): void;

  /**
   * The client of `request` gave up. Returns true if the station let go of it at once;
   * false if the station still holds it (in an FCFS queue or in service) and will hand it
   * back later, through drop() or its completion event.
   */
  abstract cancel(now: number, request: number): boolean;
}

/** FCFS with c identical servers and an unbounded FIFO queue (a typed-array ring). */
export class FcfsStation extends Station {
  private inService = 0;
  /** Work waiting (not yet started): how far behind the station is. */
  queuedWork = 0;
  /** Waiting requests: (work, request). */
  private waiting = new Fifo();

  busy(): number {
    return this.inService;
  }

  arrive(now: number, request: number, work: number): void {
    this.present++;
    if (this.inService < this.servers) {
      this.account(now);
      this.inService++;
      this.queue.push(now + work, FCFS_DONE, this.id, request);
      return;
    }
    this.waiting.push(work, request);
    this.queuedWork += work;
  }

  /** The FCFS_DONE event for this station fired: start the next waiting request, if any. */
  complete(now: number): void {
    this.present--;
    const waiting = this.waiting;
    while (waiting.size > 0) {
      const r = waiting.firstA;
      const work = waiting.firstNum;
      waiting.shift();
      this.queuedWork -= work;
      if (waiting.size === 0) this.queuedWork = 0; // no float residue
      if (this.reneging.gaveUp(r)) {
        // Its client left while it waited: the core goes to the next one.
        this.present--;
        this.reneging.drop(r);
        continue;
      }
      this.queue.push(now + work, FCFS_DONE, this.id, r);
      return;
    }
    this.account(now);
    this.inService--;
  }

  cancel(): boolean {
    // A waiting request is skipped when its turn comes; one in service runs to its end.
    return false;
  }
}

/**
 * Processor sharing over c servers, by virtual time: V advances at the rate each request is
 * served, min(1, c/n); a request finishes when V reaches its start tag plus its work. Finish
 * tags sit in a small typed-array heap; one pending event per station, re-armed (and the old
 * one made stale by an epoch number) whenever n changes.
 */
export class PsStation extends Station {
  private vtime = 0;
  private vlast = 0;
  private tags: Float64Array = new Float64Array(64);
  private reqs: Int32Array = new Int32Array(64);
  private epoch = 0;

  busy(): number {
    return this.present < this.servers ? this.present : this.servers;
  }

  private rate(): number {
    return this.present <= this.servers ? 1 : this.servers / this.present;
  }

  private advance(now: number): void {
    if (this.present > 0) this.vtime += (now - this.vlast) * this.rate();
    this.vlast = now;
  }

  arrive(now: number, request: number, work: number): void {
    this.advance(now);
    this.account(now);
    this.heapPush(this.vtime + work, request);
    this.rearm(now);
  }

  cancel(now: number, request: number): boolean {
    this.advance(now);
    this.account(now);
    this.heapRemove(this.reneging.heapPos[request]!);
    this.rearm(now);
    return true;
  }

  /** A PS_DONE event fired with `epoch`; returns the finished request, or -1 if stale. */
  complete(now: number, epoch: number): number {
    if (epoch !== this.epoch || this.present === 0) return -1;
    this.advance(now);
    this.account(now);
    const request = this.reqs[0]!;
    this.heapRemove(0);
    this.rearm(now);
    return request;
  }

  private rearm(now: number): void {
    this.epoch = (this.epoch + 1) | 0;
    if (this.present === 0) return;
    // Never schedule in the past: float residue can leave the tag a hair below V.
    const dv = this.tags[0]! - this.vtime;
    this.queue.push(now + (dv > 0 ? dv / this.rate() : 0), PS_DONE, this.id, this.epoch);
  }

  private heapPush(tag: number, req: number): void {
    if (this.present === this.tags.length) {
      const t = new Float64Array(this.tags.length * 2); t.set(this.tags); this.tags = t;
      const r = new Int32Array(this.reqs.length * 2); r.set(this.reqs); this.reqs = r;
    }
    this.siftUp(this.present++, tag, req);
  }

  private siftUp(from: number, tag: number, req: number): void {
    const tags = this.tags;
    const reqs = this.reqs;
    const pos = this.reneging.heapPos;
    let i = from;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (tags[p]! <= tag) break;
      tags[i] = tags[p]!;
      reqs[i] = reqs[p]!;
      pos[reqs[i]!] = i;
      i = p;
    }
    tags[i] = tag;
    reqs[i] = req;
    pos[req] = i;
  }

  /** Removes the entry at heap index `at`: the last entry fills the hole and moves up or down. */
  private heapRemove(at: number): void {
    const tags = this.tags;
    const reqs = this.reqs;
    const pos = this.reneging.heapPos;
    const last = --this.present;
    if (at === last) return;
    const t = tags[last]!;
    const r = reqs[last]!;
    if (at > 0 && tags[(at - 1) >> 1]! > t) {
      this.siftUp(at, t, r);
      return;
    }
    let i = at;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && tags[c + 1]! < tags[c]!) c++;
      if (t <= tags[c]!) break;
      tags[i] = tags[c]!;
      reqs[i] = reqs[c]!;
      pos[reqs[i]!] = i;
      i = c;
    }
    tags[i] = t;
    reqs[i] = r;
    pos[r] = i;
  }
}
