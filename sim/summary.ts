// The compact table printed after a run: what a sysadmin reads first.

import type { Result } from '../reports/result.ts';
import type { PlanReport } from './plan.ts';
import { formatDuration } from '../scenarios/units.ts';
// Shares read the same on the terminal as in the PDF.
import { percent } from '../reports/format.ts';
import { CAUSE_TEXT, listedCauses } from '../reports/causes.ts';


function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function summary(r: Result): string {
  const out: string[] = [];
  const w = r.window;
  const failed = r.requests.failed;
  const nfailed = Object.values(failed).reduce((a, b) => a + b, 0);
  out.push(`${r.scenario.name} — measured ${formatDuration(w.from)}..${formatDuration(w.to)} (seed ${r.scenario.seed})`);
  out.push('');
  const causes = listedCauses(failed);
  out.push(...table([
    ['requests', 'sent', 'ok', ...causes.map((c) => CAUSE_TEXT[c].title), 'throughput'],
    ['', String(r.requests.sent), String(r.requests.ok), ...causes.map((c) => String(failed[c])), `${r.throughput.toFixed(1)}/s`],
  ]));
  out.push('');
  const L = r.latency;
  out.push(...table([
    ['latency', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'],
    ['', ...[L.mean, L.p50, L.p90, L.p99, L.p999, L.max].map(formatDuration)],
  ]));
  out.push('');
  const busiest = [...r.resources].sort((a, b) => b.utilisation - a.utilisation);
  out.push(...table([['resource', 'utilisation'], ...busiest.map((x) => [x.name, percent(x.utilisation)])]));
  if (r.servers.length > 1) {
    out.push('');
    out.push(...table([['real server', 'answered', 'share'], ...r.servers.map((s) => [`${s.site}/${s.name}`, String(s.ok), percent(s.share)])]));
  }
  if (r.bottleneck) out.push('', r.bottleneck.advice);
  if (r.cost) out.push(`Cost: ${r.cost.total.toFixed(0)} a month (servers ${r.cost.servers.toFixed(0)}, directors ${r.cost.directors.toFixed(0)}, sites ${r.cost.sites.toFixed(0)}, uplink ${r.cost.uplink.toFixed(0)}).`);
  if (r.faults) {
    out.push('');
    out.push(...table([['fault', 'detected after', 'traffic moved after', 'failed'], ...r.faults.map((f) => [
      `${formatDuration(f.at)} ${f.host} ${f.kind}`,
      f.detection !== undefined ? formatDuration(f.detection) : f.kind === 'recover' ? '' : 'never',
      f.movedAt !== undefined ? formatDuration(f.movedAt - f.at) : f.kind === 'recover' ? '' : 'never',
      String(Object.values(f.failed).reduce((a, b) => a + b, 0)),
    ])]));
  }
  if (r.sessions) out.push('', `Sessions: ${r.sessions.completed} completed, ${r.sessions.broken} broken (${percent(r.sessions.completed > 0 ? r.sessions.broken / r.sessions.completed : 0)}).`);
  if (r.staleReads !== undefined) out.push(`Stale answers (copies not yet synchronised): ${r.staleReads} (${percent(r.requests.ok > 0 ? r.staleReads / r.requests.ok : 0)}).`);
  if (r.slo) {
    out.push('');
    const lines = r.slo.checks.map((c) => {
      const v = c.target.startsWith('errors') ? percent(c.value) : formatDuration(c.value);
      return `  ${c.met ? 'met   ' : 'MISSED'} ${c.target} (measured ${v})`;
    });
    out.push(`SLO ${r.slo.met ? 'met' : 'missed'}`, ...lines);
  }
  if (nfailed > 0 && r.requests.sent > 0) out.push('', `${percent(nfailed / r.requests.sent)} of requests failed.`);
  return out.join('\n');
}

/** Variants side by side: one row each. */
export function comparison(rows: { label: string; result: Result }[]): string {
  const head = ['variant', 'throughput', 'p50', 'p99', 'failed', 'busiest resource', 'cost/month'];
  const body = rows.map(({ label, result: r }) => {
    const failed = Object.values(r.requests.failed).reduce((a, b) => a + b, 0);
    return [
      label,
      `${r.throughput.toFixed(1)}/s`,
      formatDuration(r.latency.p50),
      formatDuration(r.latency.p99),
      percent(r.requests.sent > 0 ? failed / r.requests.sent : 0),
      r.bottleneck ? `${r.bottleneck.busiest} ${percent(r.bottleneck.busiestUtilisation)}` : '',
      r.cost ? r.cost.total.toFixed(0) : '',
    ];
  });
  return table([head, ...body]).join('\n');
}

/** The planner's answer: the chosen farm, the ones around it, and why each was rejected. */
export function planSummary(report: PlanReport, seconds: number): string {
  const out: string[] = [];
  const chosen = report.verdicts.find((v) => v.status === 'chosen');
  out.push(chosen
    ? `Cheapest farm that meets the SLO: ${chosen.label}, ${chosen.cost.toFixed(0)} a month (p99 ${formatDuration(chosen.p99!)}).`
    : 'No farm in the plan\'s space meets the SLO: widen it (more servers, cores, uplink or sites).');
  const shown = report.verdicts.filter((v) => v.status !== 'not simulated');
  const cheaper = shown.filter((v) => !chosen || v.cost <= chosen.cost).slice(-8);
  const dearer = shown.filter((v) => chosen && v.cost > chosen.cost).slice(0, 3);
  out.push('');
  out.push(...table([['plan', 'cost/month', 'verdict', 'why'], ...[...cheaper, ...dearer].map((v) => [v.label, v.cost.toFixed(0), v.status, v.reason])]));
  const pruned = report.verdicts.filter((v) => v.status === 'pruned').length;
  const simulated = report.frontier.length;
  out.push('', `${report.verdicts.length} plans: ${pruned} ruled out by closed forms, ${simulated} simulated (plus confirmations), in ${seconds.toFixed(1)} s.`);
  return out.join('\n');
}
