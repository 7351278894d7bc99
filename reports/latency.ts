// Latency recording shared by both wings: an HDR histogram (microsecond resolution, 3
// significant digits, WebAssembly build: ~18 ns a value) plus an exact running sum for the
// mean. It turns into the Result's LatencySummary and CDF points.

import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './result.ts';

hdr.initWebAssemblySync();

const MICROS = 1e6;
const HIGHEST = 3_600_000_000; // one hour in µs: anything longer is clamped

/** The quantiles a CDF is drawn through: enough for a smooth chart, small in JSON. */
const CDF_QUANTILES = [0.1, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9, 99.99, 100];

export class LatencyRecorder {
  private h = hdr.build({
    lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST, numberOfSignificantValueDigits: 3,
    bitBucketSize: 32, autoResize: false, useWebAssembly: true,
  });
  // The exact mean: the histogram's own is off by up to half a bucket (~0.05%).
  private sum = 0;

  record(seconds: number): void {
    const v = Math.round(seconds * MICROS);
    this.h.recordValue(v < 1 ? 1 : v > HIGHEST ? HIGHEST : v);
    this.sum += seconds;
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Seconds at percentile q (0..100); 0 when nothing was recorded. */
  percentile(q: number): number {
    return this.h.totalCount > 0 ? this.h.getValueAtPercentile(q) / MICROS : 0;
  }

  mean(): number {
    const n = this.h.totalCount;
    return n > 0 ? Number((this.sum / n).toPrecision(9)) : 0;
  }

  summary(): LatencySummary {
    const n = this.h.totalCount;
    return {
      count: n, mean: this.mean(),
      p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99), p999: this.percentile(99.9),
      max: n > 0 ? this.h.maxValue / MICROS : 0,
    };
  }

  cdf(): { latency: number; share: number }[] {
    if (this.h.totalCount === 0) return [];
    return CDF_QUANTILES.map((q) => ({ latency: this.percentile(q), share: q / 100 }));
  }

  reset(): void {
    this.h.reset();
    this.sum = 0;
  }

  /** Frees the WebAssembly memory behind it. */
  dispose(): void {
    this.h.destroy();
  }
}
