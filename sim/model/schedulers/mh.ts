// mh: Maglev hashing (Eisenbud et al., NSDI 2016) — each dest fills a prime-sized lookup table along its own permutation, taking turns in proportion to its weight, and a client's hash indexes the table; unlike sh, removing 1 of n dests remaps only about 1/n of clients. The table follows the Maglev algorithm as ip_vs_mh.c runs it, but NOT the kernel's hsiphash keys: dest permutations come from a 32-bit mix of the dest id, not of its address and port.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Dest, Scheduler } from './scheduler.ts';
import { available, gcd } from './hash.ts';

/** The kernel's table sizes (primes[] in ip_vs_mh.c); the default CONFIG_IP_VS_MH_TAB_INDEX 12 picks 4093. */
export const MH_PRIMES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071] as const;
export const MH_DEFAULT_TABLE_SIZE = 4093;
/** IP_VS_MH_TAB_BITS: CONFIG_IP_VS_MH_TAB_INDEX / 2; weights/gcd wider than this are shifted down. */
const MH_TAB_BITS = 6;
/** The kernel seeds its two hsiphash keys with these values; here they seed mhHash. */
const KEY1 = 2654435761;
const KEY2 = 2654446892;

/**
 * Stand-in for the kernel's hsiphash(v, key): a 32-bit bijective mix (Wellons' lowbias32) of
 * v xor key. Well spread, deterministic, allocation-free; values differ from the kernel's.
 */
export function mhHash(v: number, key: number): number {
  let x = (v ^ key) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** fls(): position of the highest set bit, 1-based; 0 for 0. */
function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/**
 * Build the lookup table (ip_vs_mh_permutate + ip_vs_mh_populate): index in `lastWeights` of
 * each entry's dest, or -1 everywhere when no dest has a positive weight. `lastWeights` are the
 * kernel's last_weight: the latest non-zero weight, so quiescing a dest (weight 0) keeps its
 * entries while a dest added with weight 0 gets none.
 */
function populate(ids: readonly number[], lastWeights: readonly number[], size: number): Int32Array {
  const lookup = new Int32Array(size).fill(-1);
  const n = ids.length;
  let g = 0;
  let max = 0;
  for (const w of lastWeights) {
    if (w > 0) g = g > 0 ? gcd(w, g) : w;
    if (w > max) max = w;
  }
  if (g < 1) return lookup;
  const shift = Math.max(0, fls(Math.trunc(max / g)) - MH_TAB_BITS);
  const perm = new Int32Array(n);
  const skip = new Int32Array(n);
  const turns = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    perm[i] = mhHash(ids[i], KEY1) % size; // the dest's starting offset
    skip[i] = (mhHash(ids[i], KEY2) % (size - 1)) + 1;
    const lw = lastWeights[i];
    turns[i] = Math.trunc(lw / g) >> shift || (lw !== 0 ? 1 : 0);
  }
  const taken = new Uint8Array(size);
  let filled = 0;
  let turn = 0;
  for (;;) {
    for (let i = 0; i < n; ) {
      if (turns[i] < 1) {
        i++; // added with weight 0: no entries
        continue;
      }
      let c = perm[i];
      while (taken[c]) {
        c += skip[i];
        if (c >= size) c -= size;
      }
      perm[i] = c;
      taken[c] = 1;
      lookup[c] = i;
      if (++filled === size) return lookup;
      if (++turn >= turns[i]) {
        turn = 0;
        i++;
      }
    }
  }
}

/**
 * The mh lookup table for a destination list, each dest's `weight` read as its last_weight:
 * entry → dest id, or -1 when empty. For tests and for comparing tables between lists.
 */
export function mhLookupTable(
  dests: readonly Pick<Dest, 'id' | 'weight'>[],
  size: number = MH_DEFAULT_TABLE_SIZE,
): Int32Array {
  const idx = populate(dests.map((d) => d.id), dests.map((d) => d.weight), size);
  return idx.map((i) => (i < 0 ? -1 : dests[i].id));
}

export class MaglevHashingScheduler implements Scheduler {
  readonly name: SchedulerName = 'mh';
  private readonly lookup: (Dest | null)[];
  /** last_weight per dest id, as __ip_vs_update_dest keeps it. */
  private lastWeight = new Map<number, number>();

  constructor(
    /** mh-fallback: rehash with growing offsets when the entry's dest is unavailable. */
    private readonly fallback: boolean,
    /** mh-port: hash the source port too. */
    private readonly usePort: boolean,
    private readonly size: number = MH_DEFAULT_TABLE_SIZE,
  ) {
    if (!(MH_PRIMES as readonly number[]).includes(size)) {
      throw new Error(`mh table size must be one of the kernel's primes (${MH_PRIMES.join(', ')}), found ${size}`);
    }
    this.lookup = new Array<Dest | null>(size).fill(null);
  }

  update(dests: readonly Dest[]): void {
    const last = new Map<number, number>();
    const lws = dests.map((d) => {
      const before = this.lastWeight.get(d.id);
      // A new dest takes its weight as is; an existing one keeps its last non-zero weight.
      const lw = before === undefined || d.weight !== 0 ? d.weight : before;
      last.set(d.id, lw);
      return lw;
    });
    this.lastWeight = last;
    const idx = populate(dests.map((d) => d.id), lws, this.size);
    for (let e = 0; e < this.size; e++) this.lookup[e] = idx[e] < 0 ? null : dests[idx[e]];
  }

  schedule(client: number, port: number, _vip: number): Dest | null {
    const base = ((this.usePort ? port : 0) + client) >>> 0;
    const size = this.size;
    const ihash = mhHash(base, KEY1) % size;
    const dest = this.lookup[ihash];
    if (dest === null) return null;
    if (available(dest)) return dest;
    if (!this.fallback) return null;
    // ip_vs_mh_get_fallback: hash again with roffset = (offset + ihash) % size added to the key.
    for (let offset = 0; offset < size; offset++) {
      const roffset = (offset + ihash) % size;
      const d = this.lookup[mhHash((base + roffset) >>> 0, KEY1) % size];
      if (d === null) return null;
      if (available(d)) return d;
    }
    return null;
  }
}
