// How long clients wait: every request's deadline (sent + timeout), in a FIFO. All clients wait
// equally long, so deadlines come due in the order requests were sent — a ring instead of one
// timer event per request. A slot reused since (its serial changed) is passed over by the caller.

import { Fifo } from '../engine/fifo.ts';

export class Patience {
  /** (deadline, slot, serial), oldest first. */
  private deadlines = new Fifo(1024);
  /** The earliest deadline pending, or Infinity. */
  next = Infinity;

  expect(slot: number, serial: number, deadline: number): void {
    if (this.deadlines.size === 0) this.next = deadline;
    this.deadlines.push(deadline, slot, serial);
  }

  /** Hands every (slot, serial) whose deadline is at or before `now` to `due`, oldest first. */
  expire(now: number, due: (slot: number, serial: number, now: number) => void): void {
    const d = this.deadlines;
    while (d.size > 0 && d.firstNum <= now) {
      const slot = d.firstA;
      const serial = d.firstB;
      d.shift();
      due(slot, serial, now);
    }
    this.next = d.size > 0 ? d.firstNum : Infinity;
  }
}
