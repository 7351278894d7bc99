// A growable first-in first-out ring of records with one number and two integers each (a
// time or an amount of work, a request slot, a serial or a server id), over typed arrays:
// no object per entry. Station queues, the director's closed connections and the clients'
// deadlines are all such FIFOs.

export class Fifo {
  private num: Float64Array;
  private a: Int32Array;
  private b: Int32Array;
  private head = 0;
  size = 0;

  constructor(capacity = 64) {
    // A power of two, so wrapping is a mask.
    const n = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.num = new Float64Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
  }

  push(num: number, a: number, b = 0): void {
    if (this.size === this.num.length) this.grow();
    const tail = (this.head + this.size) & (this.num.length - 1);
    this.num[tail] = num;
    this.a[tail] = a;
    this.b[tail] = b;
    this.size++;
  }

  /** The oldest record's fields (only when size > 0). */
  get firstNum(): number {
    return this.num[this.head]!;
  }
  get firstA(): number {
    return this.a[this.head]!;
  }
  get firstB(): number {
    return this.b[this.head]!;
  }

  /** Drops the oldest record. */
  shift(): void {
    this.head = (this.head + 1) & (this.num.length - 1);
    this.size--;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const n = this.num.length;
    const num = new Float64Array(n * 2);
    const a = new Int32Array(n * 2);
    const b = new Int32Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      const k = (this.head + i) & (n - 1);
      num[i] = this.num[k]!;
      a[i] = this.a[k]!;
      b[i] = this.b[k]!;
    }
    this.num = num;
    this.a = a;
    this.b = b;
    this.head = 0;
  }
}
