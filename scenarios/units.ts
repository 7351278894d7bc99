// Quantities as people write them in a scenario: `5ms`, `100Mbps`, `20KB`, `300/s`, `0.1%`.
// Every parser returns a number in one base unit (seconds, bits/s, bytes, per second, fraction)
// or throws a UnitError whose message says what was expected; the loader adds the position.

export class UnitError extends Error {}

const NUMBER = String.raw`([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)`;

function split(text: string, what: string, example: string): { value: number; unit: string } {
  const m = new RegExp(`^\\s*${NUMBER}\\s*([A-Za-zµ/%]*)\\s*$`).exec(text);
  if (!m) throw new UnitError(`expected ${what} such as ${example}, found "${text}"`);
  return { value: Number(m[1]), unit: m[2] ?? '' };
}

const SECONDS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, sec: 1, m: 60, min: 60, h: 3600,
};

/** `250us`, `5ms`, `2s`, `1.5min`, `1h` → seconds. A bare 0 is allowed (zero needs no unit). */
export function parseDuration(text: string | number): number {
  if (text === 0 || text === '0') return 0;
  if (typeof text === 'number') {
    throw new UnitError(`expected a duration with a unit such as 5ms or 2s, found the bare number ${text}`);
  }
  const { value, unit } = split(text, 'a duration', '5ms or 2s');
  const k = SECONDS[unit];
  if (k === undefined) {
    throw new UnitError(`expected a duration unit (ns, us, ms, s, min, h), found "${unit || 'no unit'}" in "${text}"`);
  }
  return value * k;
}

const BITS_PER_SECOND: Record<string, number> = {
  bps: 1, kbps: 1e3, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9, Tbps: 1e12,
  'B/s': 8, 'kB/s': 8e3, 'KB/s': 8e3, 'MB/s': 8e6, 'GB/s': 8e9,
};

/** `100Mbps`, `1Gbps`, `12.5MB/s` → bits per second (decimal prefixes, as links are sold). */
export function parseBandwidth(text: string | number): number {
  if (typeof text === 'number') {
    throw new UnitError(`expected a bandwidth with a unit such as 100Mbps, found the bare number ${text}`);
  }
  if (text === 'unlimited') return Infinity;
  const { value, unit } = split(text, 'a bandwidth', '100Mbps or 1Gbps');
  const k = BITS_PER_SECOND[unit];
  if (k === undefined) {
    throw new UnitError(`expected a bandwidth unit (bps, kbps, Mbps, Gbps, MB/s), found "${unit || 'no unit'}" in "${text}"`);
  }
  if (value <= 0) throw new UnitError(`expected a bandwidth above zero, found "${text}"`);
  return value * k;
}

const BYTES: Record<string, number> = {
  B: 1, KB: 1e3, kB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3,
};

/** `300B`, `20KB` (1000 bytes), `64KiB` (1024) → bytes. A bare 0 is allowed. */
export function parseSize(text: string | number): number {
  if (text === 0 || text === '0') return 0;
  if (typeof text === 'number') {
    throw new UnitError(`expected a size with a unit such as 20KB or 300B, found the bare number ${text}`);
  }
  const { value, unit } = split(text, 'a size', '20KB or 300B');
  const k = BYTES[unit];
  if (k === undefined) {
    throw new UnitError(`expected a size unit (B, KB, MB, GB, KiB, MiB, GiB), found "${unit || 'no unit'}" in "${text}"`);
  }
  return value * k;
}

const PER_SECOND: Record<string, number> = { '/ms': 1e3, '/s': 1, '/sec': 1, '/min': 1 / 60, '/h': 1 / 3600 };

/** `300/s`, `18000/min` → events per second. */
export function parseRate(text: string | number): number {
  if (typeof text === 'number') {
    throw new UnitError(`expected a rate with a unit such as 300/s, found the bare number ${text}`);
  }
  const { value, unit } = split(text, 'a rate', '300/s or 18000/min');
  const k = PER_SECOND[unit];
  if (k === undefined) {
    throw new UnitError(`expected a rate unit (/ms, /s, /min, /h), found "${unit || 'no unit'}" in "${text}"`);
  }
  return value * k;
}

/** `0.1%` → 0.001. */
export function parsePercent(text: string | number): number {
  if (typeof text === 'number') {
    throw new UnitError(`expected a percentage such as 0.1%, found the bare number ${text}`);
  }
  const { value, unit } = split(text, 'a percentage', '0.1% or 5%');
  if (unit !== '%') throw new UnitError(`expected a percentage such as 0.1%, found "${text}"`);
  if (value > 100) throw new UnitError(`expected a percentage of at most 100%, found "${text}"`);
  return value / 100;
}

/** Writes a duration back the way a person would read it (for summaries). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const a = Math.abs(seconds);
  if (a === 0) return '0s';
  if (a < 1e-3) return `${+(seconds * 1e6).toPrecision(3)}µs`;
  if (a < 1) return `${+(seconds * 1e3).toPrecision(3)}ms`;
  if (a < 120) return `${+seconds.toPrecision(3)}s`;
  return `${+(seconds / 60).toPrecision(3)}min`;
}

export function formatBandwidth(bps: number): string {
  if (!Number.isFinite(bps)) return 'unlimited';
  if (bps >= 1e9) return `${+(bps / 1e9).toPrecision(3)}Gbps`;
  if (bps >= 1e6) return `${+(bps / 1e6).toPrecision(3)}Mbps`;
  if (bps >= 1e3) return `${+(bps / 1e3).toPrecision(3)}kbps`;
  return `${+bps.toPrecision(3)}bps`;
}
