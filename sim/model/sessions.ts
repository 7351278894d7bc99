// Sessions: several requests from one client, each after a think time. Their state lives on
// the real server that served the first one (and breaks when a later request lands elsewhere,
// or that server restarted) or in a shared session database.

export class SessionTable {
  client = new Int32Array(256);
  /** Real server (farm index) holding the state, or -1 before the first request lands. */
  server = new Int32Array(256);
  /** That server's epoch when it took the state: a crash since then lost it. */
  epoch = new Int32Array(256);
  remaining = new Int32Array(256);
  broken = new Int8Array(256);
  /** 1 when the session started inside the measured window. */
  counted = new Int8Array(256);
  private free: number[] = [];
  private used = 0;

  started = 0;
  completed = 0;
  brokenCount = 0;

  open(client: number, requests: number, counted: boolean): number {
    let s = this.free.pop();
    if (s === undefined) {
      if (this.used === this.client.length) this.grow();
      s = this.used++;
    }
    this.client[s] = client;
    this.server[s] = -1;
    this.epoch[s] = 0;
    this.remaining[s] = requests;
    this.broken[s] = 0;
    this.counted[s] = counted ? 1 : 0;
    if (counted) this.started++;
    return s;
  }

  /** A request of session s reached real server `server` (of epoch `epoch`). */
  landed(s: number, server: number, epoch: number): void {
    if (this.server[s] === -1) {
      this.server[s] = server;
      this.epoch[s] = epoch;
      return;
    }
    if (this.server[s] !== server || this.epoch[s] !== epoch) {
      // The state is not here: the user is logged out, the cart is empty. A new one starts here.
      this.broken[s] = 1;
      this.server[s] = server;
      this.epoch[s] = epoch;
    }
  }

  /** One request of session s ended; true when the session has more to send. */
  requestEnded(s: number, ok: boolean): boolean {
    if (!ok) this.broken[s] = 1;
    if (--this.remaining[s]! > 0) return true;
    if (this.counted[s] === 1) {
      this.completed++;
      if (this.broken[s] === 1) this.brokenCount++;
    }
    this.free.push(s);
    return false;
  }

  /** The run ended before session s did: it counts as neither completed nor broken. */
  cut(s: number): void {
    if (this.counted[s] === 1) this.started--;
    this.free.push(s);
  }

  private grow(): void {
    const n = this.client.length * 2;
    const i32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    const i8 = (a: Int8Array) => { const b = new Int8Array(n); b.set(a); return b; };
    this.client = i32(this.client);
    this.server = i32(this.server);
    this.epoch = i32(this.epoch);
    this.remaining = i32(this.remaining);
    this.broken = i8(this.broken);
    this.counted = i8(this.counted);
  }
}
