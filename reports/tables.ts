// The report's tables as plain rows of text: requests, latency, real servers, resources and
// faults. The PDF draws them; tests read them. Pure.

import { count, formatDuration, money, percent, perSecond, shortValue } from './format.ts';
import { level } from './levels.ts';
import { busiest, failedTotal, type ResourceKind, type Result } from './result.ts';
import type { Variant } from './variant.ts';
import { CAUSE_TEXT, listedCauses } from './causes.ts';

export interface Column {
  title: string;
  align: 'left' | 'right';
}

export interface Table {
  columns: Column[];
  rows: string[][];
}

const left = (title: string): Column => ({ title, align: 'left' });
const right = (title: string): Column => ({ title, align: 'right' });

export function requestsTable(r: Result): Table {
  const { sent, ok, failed } = r.requests;
  const causes = listedCauses(failed);
  return {
    columns: [right('sent'), right('answered'), ...causes.map((c) => right(CAUSE_TEXT[c].title)), right('throughput')],
    rows: [[count(sent), count(ok), ...causes.map((c) => count(failed[c] ?? 0)), perSecond(r.throughput)]],
  };
}

export function latencyTable(r: Result): Table {
  const L = r.latency;
  return {
    columns: [right('answered'), right('mean'), right('p50'), right('p90'), right('p99'), right('p99.9'), right('max')],
    rows: [[count(L.count), ...[L.mean, L.p50, L.p90, L.p99, L.p999, L.max].map((x) => (L.count > 0 ? formatDuration(x) : '–'))]],
  };
}

export function serversTable(r: Result): Table {
  return {
    columns: [left('real server'), right('answered'), right('share')],
    rows: r.servers.map((s) => [`${s.site}/${s.name}`, count(s.ok), percent(s.share)]),
  };
}

const KIND_TITLES: Record<ResourceKind, string> = {
  'server-cpu': 'server CPU',
  'director-cpu': 'director CPU',
  'director-nic': 'director NIC',
  'uplink-in': 'uplink, inbound',
  'uplink-out': 'uplink, outbound',
};

export function resourcesTable(r: Result): Table {
  const sorted = busiest(r);
  return {
    columns: [left('resource'), left('kind'), right('utilisation'), left('state')],
    rows: sorted.map((x) => [x.name, KIND_TITLES[x.kind] ?? x.kind, percent(x.utilisation), level(x.utilisation)]),
  };
}

/** One row per fault: when, what, how long until detected and moved, what failed after it. */
export function faultsTable(r: Result): Table {
  return {
    columns: [right('at'), left('host'), left('fault'), right('detected after'), right('traffic moved at'), right('failed after it')],
    rows: (r.faults ?? []).map((f) => {
      const failed = failedTotal(f.failed);
      return [
        formatDuration(f.at),
        f.host,
        f.kind,
        f.detection !== undefined ? formatDuration(f.detection) : f.kind === 'recover' ? '' : 'never',
        f.movedAt !== undefined ? formatDuration(f.movedAt) : f.kind === 'recover' ? '' : 'never',
        count(failed),
      ];
    }),
  };
}

/**
 * Measurement beside prediction, fault by fault: for each variant (lab and simulator runs
 * alternate) each fault's detection, the requests failed until the next fault and the client
 * addresses it moved (sessions broken, had their state lived on the server); then capacity.
 */
export function predictionTable(variants: Variant[]): Table {
  const rows: string[][] = [];
  for (const { name, result: r } of variants) {
    const faults = (r.faults ?? []).filter((f) => f.kind !== 'recover');
    const capacity = r.capacity ? perSecond(r.capacity.throughput) : '–';
    if (faults.length === 0) rows.push([name, '', '', count(failedTotal(r.requests.failed)), '', capacity]);
    faults.forEach((f, i) => {
      rows.push([
        i === 0 ? name : '',
        `${f.host} ${f.kind} at ${formatDuration(f.at)}`,
        f.detection !== undefined ? formatDuration(f.detection) : 'never',
        count(failedTotal(f.failed)),
        f.movedClients !== undefined ? count(f.movedClients) : '–',
        i === 0 ? capacity : '',
      ]);
    });
  }
  return {
    columns: [left('run'), left('fault'), right('detected after'), right('failed'), right('clients moved'), right('capacity')],
    rows,
  };
}

/** The health checker's log as monit or keepalived would have written it, at most `limit` lines. */
export function checkLogTable(r: Result, limit = 30): Table {
  const lines = r.checks ?? [];
  const shown = lines.slice(0, limit);
  const rows = shown.map((l) => [formatDuration(l.t), l.text]);
  if (lines.length > limit) rows.push(['', `… and ${count(lines.length - limit)} more lines in results.json`]);
  return { columns: [right('time'), left('health check log')], rows };
}

/** The variants of a comparison, one row each: what each one achieved and what it costs. */
export function comparisonTable(variants: Variant[]): Table {
  const withCost = variants.some((v) => v.result.cost);
  const withSlo = variants.some((v) => v.result.slo);
  return {
    columns: [
      left('variant'), right('throughput'), right('p50'), right('p99'), right('failed'), left('busiest resource'),
      ...(withSlo ? [left('SLO')] : []), ...(withCost ? [right('cost/month')] : []),
    ],
    rows: variants.map(({ name, result: r }) => {
      const failed = failedTotal(r.requests.failed);
      const top = busiest(r)[0];
      return [
        name,
        perSecond(r.throughput),
        r.latency.count > 0 ? formatDuration(r.latency.p50) : '–',
        r.latency.count > 0 ? formatDuration(r.latency.p99) : '–',
        r.requests.sent > 0 ? percent(failed / r.requests.sent) : '–',
        top ? `${top.name} ${percent(top.utilisation)}` : '',
        ...(withSlo ? [r.slo ? (r.slo.met ? 'met' : 'missed') : ''] : []),
        ...(withCost ? [r.cost ? count(r.cost.total) : ''] : []),
      ];
    }),
  };
}

type Sweep = NonNullable<Result['sweep']>;
type SweepCurve = Sweep['curves'][number];

function sweepRow(c: SweepCurve, p: SweepCurve['points'][number]): string[] {
  return [
    shortValue(p.value),
    perSecond(p.throughput),
    p.p50 > 0 ? formatDuration(p.p50) : '–',
    p.p99 > 0 ? formatDuration(p.p99) : '–',
    percent(p.failedShare),
    c.knee?.value === p.value ? 'knee' : '',
  ];
}

const sweepColumns = (sweep: Sweep): Column[] => [
  right(sweep.path.endsWith('arrivals') ? 'load' : 'value'), right('throughput'), right('p50'), right('p99'), right('failed'), left(''),
];

/** One curve of a sweep: a row per value, its knee marked. */
export function sweepTable(sweep: Sweep, curve: SweepCurve): Table {
  return { columns: sweepColumns(sweep), rows: curve.points.map((p) => sweepRow(curve, p)) };
}

/** Every curve of a sweep in one table, the variant named on its first row: for long sweeps. */
export function sweepCompactTable(sweep: Sweep): Table {
  return {
    columns: [left('variant'), ...sweepColumns(sweep)],
    rows: sweep.curves.flatMap((c) => c.points.map((p, i) => [i === 0 ? c.label : '', ...sweepRow(c, p)])),
  };
}

type Plan = NonNullable<Result['plan']>;

/**
 * The planner's verdicts worth reading: every cheaper plan that was ruled out (at most
 * `cheaperLimit`, the closest in cost; the rest summed up in a row), the chosen one and the
 * runners-up that met the SLO too. Without a chosen plan, every plan that was judged.
 */
export function planTable(plan: Plan, cheaperLimit = 30): Table {
  const verdicts = [...plan.verdicts].sort((a, b) => a.cost - b.cost);
  const chosen = verdicts.find((v) => v.status === 'chosen');
  const judged = verdicts.filter((v) => v.status !== 'not simulated');
  let shown = chosen
    ? [
      ...judged.filter((v) => v !== chosen && v.cost <= chosen.cost && v.status !== 'met'),
      chosen,
      ...judged.filter((v) => v.status === 'met' && v !== chosen),
    ]
    : judged;
  const rows: string[][] = [];
  const cheaper = chosen ? shown.indexOf(chosen) : shown.length;
  if (cheaper > cheaperLimit) {
    const hidden = shown.slice(0, cheaper - cheaperLimit);
    const [lo, hi] = [money(hidden[0]!.cost), money(hidden.at(-1)!.cost)];
    rows.push([`… ${count(hidden.length)} cheaper plan${hidden.length > 1 ? 's' : ''}`, lo === hi ? lo : `${lo}–${hi}`, 'pruned or missed', '', 'listed in results.json']);
    shown = shown.slice(cheaper - cheaperLimit);
  }
  for (const v of shown) {
    rows.push([v.label, money(v.cost), v.status, v.p99 !== undefined && v.p99 > 0 ? formatDuration(v.p99) : '–', v.reason]);
  }
  return { columns: [left('plan'), right('cost/month'), left('verdict'), right('p99'), left('why')], rows };
}
