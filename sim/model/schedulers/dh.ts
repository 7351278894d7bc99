// dh: destination hashing — hash_32 of the destination address (the VIP) picks one of 256 buckets dealt one per dest in list order, so each destination address sticks to one server (meant for cache farms); weights do not shape the table and an unavailable owner means no server.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { TAB_BITS, TAB_SIZE, available, dealBuckets, hash32 } from './hash.ts';

/** The bucket of a destination address (ip_vs_dh_hashkey): hash_32(ntohl(daddr), 8). */
export function dhBucket(vip: number): number {
  return hash32(vip >>> 0, TAB_BITS);
}

/** The dh table for this list (ip_vs_dh_reassign): bucket → dest id, -1 when empty. */
export function dhBucketTable(dests: readonly Pick<Dest, 'id'>[]): Int32Array {
  const idx = dealBuckets(new Array<number>(dests.length).fill(1), false);
  return idx.map((i) => (i < 0 ? -1 : dests[i].id));
}

export class DestinationHashingScheduler implements Scheduler {
  readonly name: SchedulerName = 'dh';
  private readonly buckets: (Dest | null)[] = new Array<Dest | null>(TAB_SIZE).fill(null);

  update(dests: readonly Dest[]): void {
    const idx = dealBuckets(new Array<number>(dests.length).fill(1), false);
    for (let b = 0; b < TAB_SIZE; b++) this.buckets[b] = idx[b] < 0 ? null : dests[idx[b]];
  }

  schedule(_client: number, _port: number, vip: number): Dest | null {
    const dest = this.buckets[hash32(vip >>> 0, TAB_BITS)];
    return dest !== null && available(dest) ? dest : null;
  }
}
