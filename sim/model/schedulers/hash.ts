// Shared arithmetic of the IPVS schedulers: the kernel's hash_32, the 256-bucket dealing of ip_vs_sh/dh_reassign, gcd, and the connection overhead the "least" rules compare.

import type { Dest } from './scheduler.ts';

/** The kernel's GOLDEN_RATIO_32 (include/linux/hash.h). */
export const GOLDEN_RATIO_32 = 0x61c88647;

/**
 * hash_32(v, bits) of include/linux/hash.h: (v * GOLDEN_RATIO_32 mod 2^32) >> (32 - bits).
 * `v` is taken modulo 2^32, as the kernel's u32 argument would be.
 */
export function hash32(v: number, bits: number): number {
  return Math.imul(v, GOLDEN_RATIO_32) >>> (32 - bits);
}

/** IP_VS_SH_TAB_BITS / IP_VS_DH_TAB_BITS: 8, so 256 buckets. */
export const TAB_BITS = 8;
export const TAB_SIZE = 1 << TAB_BITS;
export const TAB_MASK = TAB_SIZE - 1;

/**
 * Deal the 256 buckets over the destination list as ip_vs_sh_reassign does: walk buckets 0..255,
 * give each to the current dest, and move to the next dest (cyclically) after `weight` buckets
 * (`++d_count >= weight`, so a weight-0 dest still takes one bucket per round). With
 * `weighted` false every dest takes one bucket per round (ip_vs_dh_reassign).
 * Returns the index in `weights` of each bucket's dest, or -1 for every bucket when empty.
 */
export function dealBuckets(weights: readonly number[], weighted: boolean): Int32Array {
  const table = new Int32Array(TAB_SIZE).fill(-1);
  const n = weights.length;
  if (n === 0) return table;
  let d = 0;
  let count = 0;
  for (let bucket = 0; bucket < TAB_SIZE; bucket++) {
    table[bucket] = d;
    if (++count >= (weighted ? weights[d] : 1)) {
      d = d + 1 === n ? 0 : d + 1;
      count = 0;
    }
  }
  return table;
}

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * ip_vs_dest_conn_overhead: (activeconns << 8) + inactconns. An established connection is
 * counted as 256 closing ones: it costs the server far more than a socket waiting in FIN_WAIT.
 */
export function connOverhead(d: Dest): number {
  return d.activeConns * 256 + d.inactConns;
}

/** The kernel's "can take a new connection" test for hashing schedulers (is_unavailable negated). */
export function available(d: Dest): boolean {
  return d.weight > 0 && !d.overloaded;
}
