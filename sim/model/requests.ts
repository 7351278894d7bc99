// Requests in flight, as a pool of parallel typed arrays indexed by slot: no object per
// request, and a slot is reused once its request ends, so memory follows the number in
// flight, not the number simulated.

export class RequestTable {
  arrival = new Float64Array(1024);
  /** CPU seconds the request needs on a core of speed 1 (drawn at arrival, so variants share it). */
  demand = new Float64Array(1024);
  response = new Float64Array(1024);
  client = new Int32Array(1024);
  /** Global index of the real server, or -1 before scheduling. */
  server = new Int32Array(1024);
  site = new Int32Array(1024);
  /** Leg of the trip; -1 for a free slot. */
  stage = new Int8Array(1024).fill(-1);
  /** Closed-loop user who sent it, or -1 for open-loop arrivals. */
  user = new Int32Array(1024);
  /** Bumped on every reuse of a slot, so a stale timeout event can tell. */
  serial = new Int32Array(1024);
  /** 0: live; 1: the client gave up (a timeout was counted); 2: hung — its host went silent, the client still waits. */
  abandoned = new Int8Array(1024);
  /** The station holding the request, or -1 between legs. */
  station = new Int32Array(1024);
  /** Its place in a processor-sharing station's heap. */
  heapPos = new Int32Array(1024);
  /** The session it belongs to, or -1. */
  session = new Int32Array(1024);
  /** Connections tried so far for it (1 + retries). */
  attempts = new Int32Array(1024);
  /** 1 while it holds one of its real server's connections. */
  connected = new Int8Array(1024);
  /** 1 when it reads the network storage. */
  storage = new Int8Array(1024);
  /** 1 when its answer came from a stale copy of the content. */
  stale = new Int8Array(1024);
  /** DNS: the first address of the answer its client holds, and how many it has tried. */
  answer = new Int32Array(1024);
  tried = new Int32Array(1024);
  /** Its client's population (for round trips to each site). */
  population = new Int32Array(1024);
  /** Fixed delays on its way (round trips to the database or storage), added to its latency. */
  extra = new Float64Array(1024);

  private free = new Int32Array(1024);
  private freeCount = 0;
  private used = 0;
  inFlight = 0;

  allocate(): number {
    this.inFlight++;
    if (this.freeCount > 0) {
      const slot = this.free[--this.freeCount]!;
      this.serial[slot] = (this.serial[slot]! + 1) | 0;
      return slot;
    }
    if (this.used === this.arrival.length) this.grow();
    return this.used++;
  }

  release(slot: number): void {
    this.inFlight--;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const n = this.arrival.length * 2;
    const f = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    const i32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    const i8 = (a: Int8Array, fill = 0) => { const b = new Int8Array(n).fill(fill); b.set(a); return b; };
    this.arrival = f(this.arrival);
    this.demand = f(this.demand);
    this.response = f(this.response);
    this.client = i32(this.client);
    this.server = i32(this.server);
    this.site = i32(this.site);
    this.stage = i8(this.stage, -1);
    this.user = i32(this.user);
    this.serial = i32(this.serial);
    this.abandoned = i8(this.abandoned);
    this.station = i32(this.station);
    this.heapPos = i32(this.heapPos);
    this.session = i32(this.session);
    this.attempts = i32(this.attempts);
    this.connected = i8(this.connected);
    this.storage = i8(this.storage);
    this.stale = i8(this.stale);
    this.extra = f(this.extra);
    this.answer = i32(this.answer);
    this.tried = i32(this.tried);
    this.population = i32(this.population);
    this.free = i32(this.free);
  }
}
