// The capacity planner's frontier: every simulated plan at its monthly cost and p99 (log axis),
// those that met the SLO in one colour and those that missed in another, the chosen one
// highlighted and labelled, the SLO's p99 limit as a line, and the plans closed forms ruled out
// before simulating as crosses along the bottom — cheaper, but with no p99 to plot.

import type { ChartDataset } from 'chart.js';
import { formatDuration, money } from '../format.ts';
import type { Result } from '../result.ts';
import type { Callout } from './callouts.ts';
import type { Level } from './guides.ts';
import { logDurationAxis } from './log-axis.ts';
import { lineChart, type ChartSpec } from './spec.ts';
import { SLO_COLOR } from './theme.ts';
import { chartTitle, LEGEND, type Point } from './timeline.ts';

export type Plan = NonNullable<Result['plan']>;

export const PLAN_COLORS = { met: '#59a14f', missed: '#e15759', chosen: '#08306b', pruned: '#9a9a9a', frontier: '#b8b8b8' } as const;

/** The frontier proper: each plan that has a lower p99 than every cheaper one. */
export function paretoFront(points: Plan['frontier']): Plan['frontier'] {
  const sorted = [...points].filter((p) => p.p99 > 0).sort((a, b) => a.cost - b.cost || a.p99 - b.p99);
  const out: Plan['frontier'] = [];
  for (const p of sorted) if (out.length === 0 || p.p99 < out.at(-1)!.p99) out.push(p);
  return out;
}

function marks(label: string, data: Point[], color: string, style: 'circle' | 'triangle' | 'rectRot' | 'crossRot', radius: number): ChartDataset<'line', Point[]> {
  return {
    label, data, showLine: false, borderColor: color, backgroundColor: color, pointStyle: style, pointRadius: radius,
    pointBorderWidth: style === 'crossRot' ? 2.5 : 1, pointBorderColor: style === 'crossRot' ? color : '#ffffff',
    // The crosses sit on the bottom edge: half of each would be clipped.
    clip: style === 'crossRot' ? false : undefined,
  } as ChartDataset<'line', Point[]>;
}

export function planFrontierChart(plan: Plan, slo?: Result['slo']): ChartSpec {
  const limit = slo?.checks.find((c) => c.target.startsWith('p99'));
  const simulated = plan.frontier.filter((p) => p.p99 > 0);
  // Headroom above the highest point and the SLO line, so neither sits on the plot's edge.
  const y = logDurationAxis([...simulated.flatMap((p) => [p.p99, p.p99 * 1.15]), ...(limit ? [limit.limit * 1.15] : [])], 'p99 latency (log scale)');
  const bottom = y.min as number;
  const chosen = simulated.find((p) => p.label === plan.chosen);
  const pruned = plan.verdicts.filter((v) => v.status === 'pruned');
  const at = (p: { cost: number; p99: number }): Point => ({ x: p.cost, y: p.p99 });
  const front = paretoFront(simulated);
  const datasets: ChartDataset<'line', Point[]>[] = [];
  if (front.length > 1) {
    datasets.push({
      label: 'frontier', data: front.map(at), borderColor: PLAN_COLORS.frontier, backgroundColor: PLAN_COLORS.frontier,
      borderWidth: 1.5, pointRadius: 0, pointStyle: 'line',
    });
  }
  const met = simulated.filter((p) => p.met && p !== chosen);
  const missed = simulated.filter((p) => !p.met);
  if (met.length) datasets.push(marks('meets the SLO', met.map(at), PLAN_COLORS.met, 'circle', 6));
  if (missed.length) datasets.push(marks('misses the SLO', missed.map(at), PLAN_COLORS.missed, 'triangle', 7));
  if (chosen) datasets.push(marks('chosen', [at(chosen)], PLAN_COLORS.chosen, 'rectRot', 9));
  if (pruned.length) datasets.push(marks('ruled out before simulating', pruned.map((v) => ({ x: v.cost, y: bottom })), PLAN_COLORS.pruned, 'crossRot', 6));
  const costs = [...simulated.map((p) => p.cost), ...pruned.map((v) => v.cost)];
  const lo = costs.length ? Math.min(...costs) : 0;
  const hi = costs.length ? Math.max(...costs) : 1;
  const pad = (hi - lo || hi || 1) * 0.06;
  const levels: Level[] = limit ? [{ value: limit.limit, label: `SLO p99 ≤ ${formatDuration(limit.limit)}`, color: SLO_COLOR, dash: [8, 5] }] : [];
  const callouts: Callout[] = chosen
    ? [{ x: chosen.cost, y: chosen.p99, label: `chosen: ${chosen.label} · ${money(chosen.cost)} a month`, color: PLAN_COLORS.chosen, marker: 'none', strong: true }]
    : [];
  const other = slo?.checks.filter((c) => !c.target.startsWith('p99')).map((c) => `SLO ${c.target}`) ?? [];
  const subtitle = [
    'each simulated plan at its monthly cost and p99 latency',
    ...(!limit && other.length ? [`${other.join(', ')}: no p99 limit to draw`] : []),
  ].join(' · ');
  const heading = 'Cost against p99: the plans simulated';
  return lineChart('plan-frontier', heading, datasets, {
    scales: {
      x: {
        type: 'linear', suggestedMin: Math.max(0, lo - pad), suggestedMax: hi + pad,
        title: { display: true, text: 'cost per month' }, ticks: { callback: (v) => money(Number(v)), maxTicksLimit: 12 },
      },
      y,
    },
    plugins: {
      ...chartTitle(heading, subtitle),
      legend: { ...LEGEND, labels: { ...LEGEND.labels, usePointStyle: true } },
      guides: {
        levels,
        callouts,
        ...(simulated.length === 0 ? { empty: 'No plan was simulated' } : {}),
      },
    },
  });
}

export function planCharts(result: Result): ChartSpec[] {
  return result.plan ? [planFrontierChart(result.plan, result.slo)] : [];
}
