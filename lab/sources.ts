// The client's source addresses as the guest tools take them (--sources): ranges per /24.

/** The client's addresses as open-loop.mjs --sources ranges: a.b.c.x-y per /24. */
export function sourceRanges(addresses: string[]): string {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= addresses.length; i++) {
    const prev = addresses[i - 1]!;
    const cur = addresses[i];
    const last = (a: string) => Number(a.split('.')[3]);
    const net = (a: string) => a.slice(0, a.lastIndexOf('.'));
    if (cur === undefined || net(cur) !== net(prev) || last(cur) !== last(prev) + 1) {
      const first = addresses[start]!;
      out.push(start === i - 1 ? first : `${first}-${last(prev)}`);
      start = i;
    }
  }
  return out.join(',');
}
