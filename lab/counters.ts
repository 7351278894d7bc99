// The director's counters through a run, as time series on the Result's step grid — what the
// deck drew with RRD: per real server the new connections and packets per second
// (ipvsadm -Ln --stats --exact), its connection entries by state (ipvsadm -Lnc), and the
// packets each mangle rule marked per second (iptables -t mangle -nvxL). probe.sh samples them
// about once a second; a counter's rate over a step is its growth, linearly interpolated
// between the samples around the step's edges. Counters start again from 0 when
// web_balancing.sh flushes and re-adds the service: such a drop counts as growth from 0.

import { parseMangle, statsLine } from './status.ts';

export interface ProbeBlock {
  kind: string;
  /** Scenario time of the sample. */
  t: number;
  text: string;
}

/** Column names, one family per counter; the real server's or mark's name follows. */
export const DIRECTOR_COLUMNS = {
  newConns: 'director new conns/s',
  inPkts: 'director in pkts/s',
  established: 'director established',
  otherStates: 'director closing',
  marked: 'director marked pkts/s',
} as const;

interface Sample {
  t: number;
  value: number;
}

/** A cumulative counter that may restart from 0, made monotone: a drop counts as growth from 0. */
export function monotone(samples: Sample[]): Sample[] {
  let total = 0;
  return samples.map((s, i) => {
    const prev = samples[i - 1];
    total += prev === undefined ? s.value : s.value >= prev.value ? s.value - prev.value : s.value;
    return { t: s.t, value: total };
  });
}

/** A monotone counter's value at t, linear between samples, flat outside them. */
function at(samples: Sample[], t: number): number {
  if (samples.length === 0) return 0;
  if (t <= samples[0]!.t) return samples[0]!.value;
  for (let i = 1; i < samples.length; i++) {
    const b = samples[i]!;
    if (t <= b.t) {
      const a = samples[i - 1]!;
      return a.value + ((b.value - a.value) * (t - a.t)) / (b.t - a.t || 1);
    }
  }
  return samples[samples.length - 1]!.value;
}

/** Per step: growth of a cumulative counter per second. Steps outside the samples are 0. */
export function ratePerStep(raw: Sample[], steps: number, step: number): number[] {
  const m = monotone(raw);
  return Array.from({ length: steps }, (_, i) => {
    const from = i * step;
    const to = from + step;
    if (m.length < 2 || to <= m[0]!.t || from >= m[m.length - 1]!.t) return 0;
    return (at(m, to) - at(m, from)) / step;
  });
}

/** Per step: the mean of a gauge's samples in it, or the last value before it. */
export function gaugePerStep(samples: Sample[], steps: number, step: number): number[] {
  let last = 0;
  let k = 0;
  return Array.from({ length: steps }, (_, i) => {
    const to = (i + 1) * step;
    let sum = 0;
    let n = 0;
    while (k < samples.length && samples[k]!.t < to) {
      sum += samples[k]!.value;
      n++;
      k++;
    }
    if (n > 0) last = sum / n;
    return Number(last.toFixed(3));
  });
}

/** "10.0.1.11:80 ESTABLISHED 12" lines of probe.sh's @conntab block, by address and state. */
export function parseConnTable(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const m = /^(\d+\.\d+\.\d+\.\d+):\d+ (\S+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const states = out.get(m[1]!) ?? new Map<string, number>();
    states.set(m[2]!, (states.get(m[2]!) ?? 0) + Number(m[3]));
    out.set(m[1]!, states);
  }
  return out;
}

/**
 * The director's columns for a Result's series: `names` maps a real server's address to its
 * name. Columns for a server or mark that never showed up are left out.
 */
export function directorColumns(blocks: ProbeBlock[], names: Record<string, string>, duration: number, step: number): Record<string, number[]> {
  const steps = Math.ceil(duration / step - 1e-9);
  const series = new Map<string, Sample[]>();
  const push = (column: string, t: number, value: number) => {
    const s = series.get(column) ?? [];
    s.push({ t, value });
    series.set(column, s);
  };
  const nameOf = (address: string) => names[address.replace(/:\d+$/, '')];
  for (const b of blocks) {
    if (b.kind === 'stats') {
      // A server under two services (fwmark 1 and the VIP) counts once: their sum.
      const sums = new Map<string, { conns: number; inPkts: number }>();
      for (const svc of b.text.split('\n').map(statsLine)) {
        if (!svc) continue;
        const name = nameOf(svc.address);
        if (!name) continue;
        const s = sums.get(name) ?? { conns: 0, inPkts: 0 };
        s.conns += svc.conns;
        s.inPkts += svc.inPkts;
        sums.set(name, s);
      }
      for (const name of Object.values(names)) {
        const s = sums.get(name) ?? { conns: 0, inPkts: 0 };
        push(`${DIRECTOR_COLUMNS.newConns} ${name}`, b.t, s.conns);
        push(`${DIRECTOR_COLUMNS.inPkts} ${name}`, b.t, s.inPkts);
      }
    } else if (b.kind === 'conntab') {
      const table = parseConnTable(b.text);
      for (const [address, name] of Object.entries(names)) {
        const states = table.get(address);
        const est = states?.get('ESTABLISHED') ?? 0;
        const all = [...(states?.values() ?? [])].reduce((a, n) => a + n, 0);
        push(`${DIRECTOR_COLUMNS.established} ${name}`, b.t, est);
        push(`${DIRECTOR_COLUMNS.otherStates} ${name}`, b.t, all - est);
      }
    } else if (b.kind === 'counters') {
      const perMark = new Map<number, number>();
      for (const r of parseMangle(b.text)) if (r.mark !== undefined) perMark.set(r.mark, (perMark.get(r.mark) ?? 0) + r.pkts);
      for (const [mark, pkts] of perMark) push(`${DIRECTOR_COLUMNS.marked} fwmark ${mark}`, b.t, pkts);
    }
  }
  const columns: Record<string, number[]> = {};
  for (const [column, samples] of series) {
    const cumulative = column.startsWith(DIRECTOR_COLUMNS.newConns) || column.startsWith(DIRECTOR_COLUMNS.inPkts) || column.startsWith(DIRECTOR_COLUMNS.marked);
    const values = cumulative ? ratePerStep(samples, steps, step).map((v) => Number(v.toFixed(3))) : gaugePerStep(samples, steps, step);
    if (values.some((v) => v > 0)) columns[column] = values;
  }
  return columns;
}
