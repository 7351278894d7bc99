// Client source addresses, numbered the same way in the simulator and in the lab, so that a
// source-hashing prediction names the very addresses the lab's client speaks from:
// 10.200.0.1 … 10.200.0.250, 10.200.1.1 … (250 to a /24, never .0 or .255).

/** The i-th client address (0-based) as an unsigned 32-bit integer. */
export function clientAddressNumber(i: number): number {
  return (((10 << 24) | (200 << 16)) + Math.floor(i / 250) * 256 + (i % 250) + 1) >>> 0;
}

/** The i-th client address as a.b.c.d. */
export function clientAddress(i: number): string {
  const n = clientAddressNumber(i);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The farm's virtual IP, as the lab's director carries it. */
export const VIP = '192.0.2.10';
export const VIP_NUMBER = ((192 << 24) | (0 << 16) | (2 << 8) | 10) >>> 0;
