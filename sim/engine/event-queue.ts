// The pending-event list: a binary min-heap over parallel typed arrays (time, sequence, kind,
// two integer arguments). No object per event, so millions of events make no garbage; the
// sequence number breaks time ties in scheduling order, which keeps runs reproducible.

export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private args0: Int32Array;
  private args1: Int32Array;
  private count = 0;
  private nextSeq = 0;

  /** The event last taken by pop(). */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.args0 = new Int32Array(capacity);
    this.args1 = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTime(): number {
    return this.count > 0 ? this.times[0]! : Infinity;
  }

  push(time: number, kind: number, a = 0, b = 0): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    // Sift the hole up from the end, then drop the new event in.
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.args0[i] = a;
    this.args1[i] = b;
  }

  /** Removes the earliest event into time/kind/a/b; false when the queue is empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    this.time = times[0]!;
    this.kind = this.kinds[0]!;
    this.a = this.args0[0]!;
    this.b = this.args1[0]!;
    const last = n - 1;
    this.count = last;
    if (last === 0) return true;
    const t = times[last]!;
    const s = seqs[last]!;
    const k = this.kinds[last]!;
    const a0 = this.args0[last]!;
    const a1 = this.args1[last]!;
    // Sift the hole down from the root, then drop the former last event in.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (times[r]! < times[c]! || (times[r] === times[c] && seqs[r]! < seqs[c]!))) c = r;
      const ct = times[c]!;
      if (t < ct || (t === ct && s < seqs[c]!)) break;
      this.move(c, i);
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    this.kinds[i] = k;
    this.args0[i] = a0;
    this.args1[i] = a1;
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.args0[to] = this.args0[from]!;
    this.args1[to] = this.args1[from]!;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const f = (old: Float64Array) => { const n = new Float64Array(cap); n.set(old); return n; };
    const g = (old: Int32Array) => { const n = new Int32Array(cap); n.set(old); return n; };
    this.times = f(this.times);
    this.seqs = f(this.seqs);
    this.kinds = g(this.kinds);
    this.args0 = g(this.args0);
    this.args1 = g(this.args1);
  }
}
