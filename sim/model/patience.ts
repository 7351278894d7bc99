// How long clients wait: every request's deadline (sent + timeout), in a FIFO. All clients wait
// equally long, so deadlines come due in the order requests were sent — a ring buffer instead
// of one timer event per request. A slot reused since (its serial changed) is passed over.

export class Patience {
  private deadline: Float64Array = new Float64Array(1024);
  private slot: Int32Array = new Int32Array(1024);
  private serial: Int32Array = new Int32Array(1024);
  private head = 0;
  private count = 0;
  /** The earliest deadline pending, or Infinity. */
  next = Infinity;

  expect(slot: number, serial: number, deadline: number): void {
    if (this.count === this.deadline.length) this.grow();
    const tail = (this.head + this.count) & (this.deadline.length - 1);
    this.deadline[tail] = deadline;
    this.slot[tail] = slot;
    this.serial[tail] = serial;
    if (this.count++ === 0) this.next = deadline;
  }

  /** Hands every (slot, serial) whose deadline is at or before `now` to `due`, oldest first. */
  expire(now: number, due: (slot: number, serial: number) => void): void {
    const mask = this.deadline.length - 1;
    while (this.count > 0) {
      const h = this.head;
      if (this.deadline[h]! > now) break;
      this.head = (h + 1) & mask;
      this.count--;
      due(this.slot[h]!, this.serial[h]!);
    }
    this.next = this.count > 0 ? this.deadline[this.head]! : Infinity;
  }

  private grow(): void {
    const n = this.deadline.length;
    const d = new Float64Array(n * 2);
    const r = new Int32Array(n * 2);
    const s = new Int32Array(n * 2);
    for (let i = 0; i < this.count; i++) {
      const k = (this.head + i) & (n - 1);
      d[i] = this.deadline[k]!;
      r[i] = this.slot[k]!;
      s[i] = this.serial[k]!;
    }
    this.deadline = d;
    this.slot = r;
    this.serial = s;
    this.head = 0;
  }
}
