// The failover timeline as a Result: every request the client's open-loop load logged
// (lab/guest/open-loop.mjs) becomes the same Result a simulation gives, so the same report
// shows it — and shows it beside the simulator's prediction. Latency runs from each request's
// scheduled time: in an open loop a late start is part of what the client waited.

import { LatencyRecorder } from '../reports/latency.ts';
import { ERROR_CAUSES, noFailures, resultHeader, type CheckLogLine, type ErrorCause, type FaultReport, type Marker, type Result } from '../reports/result.ts';

/** One line of open-loop.mjs's log. */
export interface RequestRecord {
  src: string;
  seq: number;
  sched: number;
  start: number;
  end: number;
  status?: number;
  server?: string;
  error?: string;
}

export interface TimelineContext {
  name: string;
  seed: number;
  duration: number;
  warmup: number;
  step: number;
  description?: string;
  /** The real servers, as site/name, and the host name each answers with (its X-Server header). */
  servers: { site: string; name: string }[];
  markers?: Marker[];
  faults?: FaultReport[];
  checks?: CheckLogLine[];
}

/** What the client saw, in the Result's causes: a non-2xx/3xx answer is the application's error. */
export function causeOf(r: RequestRecord): ErrorCause | 'ok' {
  if (r.error === 'refused' || r.error === 'reset' || r.error === 'timeout' || r.error === 'unreachable') return r.error;
  if (r.error !== undefined) return 'error';
  return r.status !== undefined && r.status >= 200 && r.status < 400 ? 'ok' : 'error';
}

export function timelineResult(records: RequestRecord[], ctx: TimelineContext): Result {
  const steps = Math.ceil(ctx.duration / ctx.step - 1e-9);
  const zeros = () => new Array<number>(steps).fill(0);
  const columns: Record<string, number[]> = { sent: zeros(), ok: zeros() };
  for (const c of ERROR_CAUSES) columns[c] = zeros();
  const serverKey = (name: string) => ctx.servers.find((s) => s.name === name);
  for (const s of ctx.servers) columns[`ok ${s.site}/${s.name}`] = zeros();
  const stepLatency = Array.from({ length: steps }, () => [] as number[]);
  const total = new LatencyRecorder();
  const failed: Record<ErrorCause, number> = noFailures();
  const perServer = new Map<string, number>();
  let sent = 0;
  let ok = 0;
  let departures = 0;
  const inWindow = (t: number) => t >= ctx.warmup && t < ctx.duration;
  const stepOf = (t: number) => Math.min(steps - 1, Math.max(0, Math.floor(t / ctx.step)));
  const faults = (ctx.faults ?? []).map((f) => ({ ...f, failed: { ...f.failed } }));
  try {
    for (const r of records) {
      const cause = causeOf(r);
      if (r.sched < ctx.duration) columns.sent![stepOf(r.sched)]!++;
      if (r.end < ctx.duration) {
        const k = stepOf(r.end);
        if (cause === 'ok') {
          columns.ok![k]!++;
          stepLatency[k]!.push(r.end - r.sched);
          const s = r.server ? serverKey(r.server) : undefined;
          if (s) columns[`ok ${s.site}/${s.name}`]![k]!++;
        } else columns[cause]![k]!++;
      }
      if (cause === 'ok' && inWindow(r.end)) departures++;
      if (!inWindow(r.sched)) continue;
      sent++;
      if (cause === 'ok') {
        ok++;
        total.record(r.end - r.sched);
        if (r.server) perServer.set(r.server, (perServer.get(r.server) ?? 0) + 1);
      } else {
        failed[cause]++;
        // Charged to the latest fault before it, as the simulator does.
        const f = [...faults].reverse().find((x) => x.at <= r.end);
        if (f) f.failed[cause]++;
      }
    }
    const pct = (xs: number[], q: number) => {
      if (xs.length === 0) return 0;
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)]!;
    };
    columns.mean = stepLatency.map((xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0));
    columns.p50 = stepLatency.map((xs) => pct(xs, 50));
    columns.p90 = stepLatency.map((xs) => pct(xs, 90));
    columns.p99 = stepLatency.map((xs) => pct(xs, 99));
    const window = ctx.duration - ctx.warmup;
    const result: Result = {
      ...resultHeader('lab', ctx),
      requests: { sent, ok, failed },
      throughput: Number((departures / window).toPrecision(9)),
      latency: total.summary(),
      cdf: total.cdf(),
      resources: [],
      servers: ctx.servers.map((s) => {
        const n = perServer.get(s.name) ?? 0;
        return { site: s.site, name: s.name, ok: n, share: ok > 0 ? Number((n / ok).toPrecision(9)) : 0 };
      }),
      series: { step: ctx.step, t: Array.from({ length: steps }, (_, i) => Number((i * ctx.step).toPrecision(9))), columns },
    };
    if (faults.length > 0) result.faults = faults;
    if (ctx.markers) result.markers = ctx.markers;
    if (ctx.checks) result.checks = ctx.checks;
    return result;
  } finally {
    total.dispose();
  }
}
