// The director's own counters over a lab run — what the deck drew with RRD from ipvsadm and
// iptables: the connection entries IPVS holds per real server (established solid, closing
// dashed), and the packets per second it forwarded to each real server beside the packets the
// mangle rules marked. Only a lab run has them (columns "director …", see lab/counters.ts).

import type { ChartDataset } from 'chart.js';
import type { Result } from '../result.ts';
import { lineChart, type ChartSpec } from './spec.ts';
import { paletteColor } from './theme.ts';
import { chartTitle, LEGEND_LINES, stepPoints, timeAxis, timelineGuides, type Point, type TimelineOptions } from './timeline.ts';

/** Column families, as lab/counters.ts names them. */
const FAMILY = {
  established: 'director established ',
  closing: 'director closing ',
  inPkts: 'director in pkts/s ',
  marked: 'director marked pkts/s ',
} as const;

function line(result: Result, column: string, label: string, color: string, dashed = false): ChartDataset<'line', Point[]> {
  return {
    label,
    data: stepPoints(result, column, (v) => v),
    borderColor: color,
    backgroundColor: color,
    borderWidth: dashed ? 1.5 : 2,
    borderDash: dashed ? [6, 4] : [],
    pointRadius: 0,
    fill: false,
  };
}

const named = (result: Result, prefix: string) => Object.keys(result.series.columns).filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));

export function directorCharts(result: Result, options: TimelineOptions = {}): ChartSpec[] {
  const servers = result.servers.map((s) => s.name);
  const colorOf = (name: string) => paletteColor(Math.max(0, servers.indexOf(name)));
  const charts: ChartSpec[] = [];
  const withConns = servers.filter((s) => `${FAMILY.established}${s}` in result.series.columns || `${FAMILY.closing}${s}` in result.series.columns);
  if (withConns.length > 0) {
    const datasets = withConns.flatMap((s) => [
      line(result, `${FAMILY.established}${s}`, `${s} established`, colorOf(s)),
      line(result, `${FAMILY.closing}${s}`, `${s} closing (TIME_WAIT, FIN…)`, colorOf(s), true),
    ]);
    charts.push(lineChart('director-connections', 'IPVS connection entries per real server', datasets, {
      scales: { x: timeAxis(result), y: { type: 'linear', min: 0, grace: '5%', title: { display: true, text: 'connection entries' } } },
      plugins: { ...chartTitle('IPVS connection entries per real server', 'ipvsadm -Lnc on the director, counted by real server and state, about once a second'), legend: LEGEND_LINES, guides: timelineGuides(result, options) },
    }));
  }
  const withPkts = servers.filter((s) => `${FAMILY.inPkts}${s}` in result.series.columns);
  const marks = named(result, FAMILY.marked);
  if (withPkts.length + marks.length > 0) {
    const datasets = [
      ...withPkts.map((s) => line(result, `${FAMILY.inPkts}${s}`, `to ${s} (ipvsadm)`, colorOf(s))),
      ...marks.map((m, i) => line(result, `${FAMILY.marked}${m}`, `marked ${m} (iptables)`, paletteColor(servers.length + i), true)),
    ];
    charts.push(lineChart('director-packets', 'Packets through the director', datasets, {
      scales: { x: timeAxis(result), y: { type: 'linear', min: 0, grace: '5%', title: { display: true, text: 'packets/s' } } },
      plugins: { ...chartTitle('Packets through the director', 'per second: forwarded to each real server (ipvsadm --stats) and marked by the mangle rules (iptables -nvx)'), legend: LEGEND_LINES, guides: timelineGuides(result, options) },
    }));
  }
  return charts;
}
