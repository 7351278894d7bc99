// sh: source hashing — hash_32 of the client address (plus source port with sh-port) picks one of 256 buckets dealt round-robin over the dests, so a client sticks to one server; the kernel re-deals every bucket on any change (no consistent hashing) and returns no server for a quiesced or overloaded owner unless sh-fallback.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { TAB_BITS, TAB_MASK, TAB_SIZE, available, dealBuckets, hash32 } from './hash.ts';

/**
 * The bucket a client lands in (ip_vs_sh_hashkey with offset 0):
 * hash_32(ntohs(port) + ntohl(addr), 8). `client` is the IPv4 address as an unsigned integer
 * (host order), `port` the source port; pass port 0 unless the service has sh-port.
 */
export function shBucket(client: number, port: number): number {
  return hash32((port + client) >>> 0, TAB_BITS);
}

/**
 * The sh table the kernel builds for this destination list (ip_vs_sh_reassign): for each of the
 * 256 buckets, the id of its dest, or -1 when the list is empty. `dests` in the kernel's list
 * order. Weight w gives a dest w consecutive buckets per round; weight 0 still gives it one.
 */
export function shBucketTable(dests: readonly Pick<Dest, 'id' | 'weight'>[]): Int32Array {
  const idx = dealBuckets(dests.map((d) => d.weight), true);
  return idx.map((i) => (i < 0 ? -1 : dests[i].id));
}

export class SourceHashingScheduler implements Scheduler {
  readonly name: SchedulerName = 'sh';
  private readonly buckets: (Dest | null)[] = new Array<Dest | null>(TAB_SIZE).fill(null);

  constructor(
    /** sh-fallback: probe other buckets when the owner is unavailable. */
    private readonly fallback: boolean,
    /** sh-port: hash the source port too (spreads one client's connections). */
    private readonly usePort: boolean,
  ) {}

  update(dests: readonly Dest[]): void {
    const idx = dealBuckets(dests.map((d) => d.weight), true);
    for (let b = 0; b < TAB_SIZE; b++) this.buckets[b] = idx[b] < 0 ? null : dests[idx[b]];
  }

  schedule(client: number, port: number, _vip: number): Dest | null {
    const ihash = hash32(((this.usePort ? port : 0) + client) >>> 0, TAB_BITS);
    const dest = this.buckets[ihash];
    if (dest === null) return null;
    if (available(dest)) return dest;
    if (!this.fallback) return null;
    // ip_vs_sh_get_fallback: offsets roffset = (offset + ihash) % 256 are added to the hash
    // again, so the probe visits buckets (2 * ihash + offset) & 255 for offset 0..255.
    const start = ihash * 2;
    for (let offset = 0; offset < TAB_SIZE; offset++) {
      const d = this.buckets[(start + offset) & TAB_MASK];
      if (d === null) return null;
      if (available(d)) return d;
    }
    return null;
  }
}
