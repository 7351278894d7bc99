// What a run measures: every request's outcome, latencies in HDR histograms (microsecond
// resolution, 3 significant digits), resource busy time, and a time series at a fixed step.
// Requests that arrive before the warm-up ends are served but not counted.

import type { Station } from './engine/station.ts';
import { LatencyRecorder } from '../reports/latency.ts';
import { ERROR_CAUSES, noFailures, type ErrorCause, type LatencySummary, type ResourceKind, type ResourceUse, type ServerShare, type TimeSeries } from '../reports/result.ts';

export interface Resource {
  station: Station;
  name: string;
  kind: ResourceKind;
  site: string;
}

export interface ServerLabel {
  site: string;
  name: string;
}

export class Metrics {
  sent = 0;
  ok = 0;
  /** Answers given inside the window (whenever sent): the throughput, even while a backlog grows. */
  departures = 0;
  /** Failures of requests sent in the window, by cause. */
  failedBy: Record<ErrorCause, number> = noFailures();
  private total = new LatencyRecorder();
  private perStep = new LatencyRecorder();
  private serverOk: Float64Array;

  // Time series, one entry per step.
  private nextStep: number;
  private stepIndex = 0;
  private stepSent = 0;
  private stepOk = 0;
  private stepFailed: Record<ErrorCause, number> = noFailures();
  private stepServerOk: Float64Array;
  private lastArea: Float64Array;
  private warmArea: Float64Array | null = null;
  private endArea: Float64Array | null = null;
  private series: TimeSeries;

  constructor(
    readonly warmup: number,
    readonly end: number,
    readonly step: number,
    private servers: ServerLabel[],
    private resources: Resource[],
  ) {
    this.serverOk = new Float64Array(servers.length);
    this.stepServerOk = new Float64Array(servers.length);
    this.lastArea = new Float64Array(resources.length);
    this.nextStep = step;
    const columns: Record<string, number[]> = { sent: [], ok: [] };
    for (const c of ERROR_CAUSES) columns[c] = [];
    Object.assign(columns, { mean: [], p50: [], p90: [], p99: [] });
    for (const s of servers) columns[`ok ${s.site}/${s.name}`] = [];
    for (const r of resources) columns[`util ${r.name}`] = [];
    this.series = { step, t: [], columns };
    if (warmup === 0) this.warmArea = new Float64Array(resources.length);
    this.updateBoundary();
  }

  /**
   * The next instant the loop must stop at before processing later events: a step boundary,
   * the warm-up's end or the run's end (busy time is read there, before the drain goes on).
   */
  nextBoundary = 0;

  private updateBoundary(): void {
    let b = this.endArea === null ? this.end : Infinity;
    if (this.nextStep <= this.end + 1e-9 && this.nextStep < b) b = this.nextStep;
    if (this.warmArea === null && this.warmup < b) b = this.warmup;
    this.nextBoundary = b;
  }

  /** Closes the warm-up, every step and the run's end that come at or before t. */
  advanceTo(t: number): void {
    for (;;) {
      if (this.warmArea === null && this.warmup <= t && this.warmup <= this.nextStep) {
        this.warmArea = Float64Array.from(this.resources, (r) => r.station.busyArea(this.warmup));
        continue;
      }
      if (this.nextStep <= t && this.nextStep <= this.end + 1e-9) {
        this.closeStep(this.nextStep);
        continue;
      }
      if (this.endArea === null && this.end <= t) {
        this.endArea = Float64Array.from(this.resources, (r) => r.station.busyArea(this.end));
      }
      break;
    }
    this.updateBoundary();
  }

  private closeStep(at: number): void {
    const s = this.series;
    const c = s.columns;
    const from = at - this.step;
    s.t.push(round(from));
    c.sent!.push(this.stepSent);
    c.ok!.push(this.stepOk);
    for (const cause of ERROR_CAUSES) c[cause]!.push(this.stepFailed[cause]);
    const h = this.perStep;
    c.mean!.push(h.mean());
    c.p50!.push(h.percentile(50));
    c.p90!.push(h.percentile(90));
    c.p99!.push(h.percentile(99));
    this.servers.forEach((sv, i) => {
      c[`ok ${sv.site}/${sv.name}`]!.push(this.stepServerOk[i]!);
      this.stepServerOk[i] = 0;
    });
    this.resources.forEach((r, i) => {
      const area = r.station.busyArea(at);
      c[`util ${r.name}`]!.push(round((area - this.lastArea[i]!) / (r.station.servers * this.step)));
      this.lastArea[i] = area;
    });
    h.reset();
    this.stepSent = 0;
    this.stepOk = 0;
    this.stepFailed = noFailures();
    this.stepIndex++;
    this.nextStep = (this.stepIndex + 1) * this.step;
  }

  /** A request entered the farm at time `arrival`. */
  arrived(arrival: number): void {
    if (arrival < this.end) this.stepSent++;
    if (arrival >= this.warmup && arrival < this.end) this.sent++;
  }

  answered(now: number, arrival: number, server: number): void {
    const latency = now - arrival;
    if (now >= this.warmup && now < this.end) this.departures++;
    if (now < this.end) {
      this.perStep.record(latency);
      this.stepOk++;
      this.stepServerOk[server]++;
    }
    if (arrival >= this.warmup && arrival < this.end) {
      this.ok++;
      this.total.record(latency);
      this.serverOk[server]++;
    }
  }

  failed(now: number, arrival: number, cause: ErrorCause): void {
    if (now < this.end) this.stepFailed[cause]++;
    if (arrival >= this.warmup && arrival < this.end) this.failedBy[cause]++;
  }

  latency(): LatencySummary {
    return this.total.summary();
  }

  cdf(): { latency: number; share: number }[] {
    return this.total.cdf();
  }

  utilisation(): ResourceUse[] {
    const window = this.end - this.warmup;
    return this.resources.map((r, i) => ({
      name: r.name, kind: r.kind, site: r.site,
      utilisation: round((this.endArea![i]! - this.warmArea![i]!) / (r.station.servers * window)),
    }));
  }

  shares(): ServerShare[] {
    return this.servers.map((s, i) => ({
      site: s.site, name: s.name, ok: this.serverOk[i]!, share: this.ok > 0 ? round(this.serverOk[i]! / this.ok) : 0,
    }));
  }

  timeSeries(): TimeSeries {
    return this.series;
  }

  dispose(): void {
    this.total.dispose();
    this.perStep.dispose();
  }
}

/** Nine significant digits: enough for any report, and no float noise in results.json. */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : x;
}
