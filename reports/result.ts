// The one Result format: what a simulation (and, later, a lab run) found. Reports read only
// this, so the simulator and the lab never need each other. Times are in seconds, rates per
// second, sizes in bytes, bandwidths in bits/s, shares as fractions.

export const RESULT_FORMAT = 1;

/**
 * Why a request failed, as the client sees it: refused (connect() refused: a stopped service, a
 * full server, or a SYN the director reset because web_balancing.sh had just flushed its mark),
 * reset (an established connection reset: a service stopped mid-request), timeout (the client
 * gave up: no answer), unreachable (connect() failed with ICMP host unreachable: the director
 * could no longer resolve a dead real server's address — measured by the lab; the simulator
 * times out instead), noServer (the director had no real server available), error (the
 * application answered an error: its session database or storage failed).
 */
export type ErrorCause = 'refused' | 'reset' | 'timeout' | 'unreachable' | 'noServer' | 'error';
export const ERROR_CAUSES: readonly ErrorCause[] = ['refused', 'reset', 'timeout', 'unreachable', 'noServer', 'error'];

/** What names a run: the scenario as the Result repeats it. */
export interface RunIdentity {
  name: string;
  seed: number;
  duration: number;
  warmup: number;
  description?: string;
}

/** The fields every Result starts with, for the simulator and the lab alike: format, source, the scenario, the measured window. */
export function resultHeader(source: Result['source'], s: RunIdentity): Pick<Result, 'format' | 'source' | 'scenario' | 'window'> {
  return {
    format: RESULT_FORMAT,
    source,
    scenario: { name: s.name, seed: s.seed, duration: s.duration, warmup: s.warmup, ...(s.description ? { description: s.description } : {}) },
    window: { from: s.warmup, to: s.duration },
  };
}

/** A count per cause, all zero. */
export function noFailures(): Record<ErrorCause, number> {
  return { refused: 0, reset: 0, timeout: 0, unreachable: 0, noServer: 0, error: 0 };
}

/** Failed requests of every cause together. */
export function failedTotal(failed: Record<ErrorCause, number>): number {
  return ERROR_CAUSES.reduce((sum, c) => sum + (failed[c] ?? 0), 0);
}

/** The rate requests were offered at in the measured window. */
export function offeredRate(result: Result): number {
  const window = result.window.to - result.window.from;
  return window > 0 ? result.requests.sent / window : 0;
}

/** The run's resources, busiest first. */
export function busiest(result: Result): ResourceUse[] {
  return [...result.resources].sort((a, b) => b.utilisation - a.utilisation);
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export type ResourceKind = 'server-cpu' | 'director-cpu' | 'director-nic' | 'uplink-in' | 'uplink-out';

export interface ResourceUse {
  /** e.g. "bcn/web1 cpu", "bcn director nic", "bcn uplink out". */
  name: string;
  kind: ResourceKind;
  site: string;
  /** Busy share of the resource over the measured window, 0..1. */
  utilisation: number;
}

export interface ServerShare {
  site: string;
  name: string;
  /** Requests this real server answered in the measured window. */
  ok: number;
  share: number;
}

export interface SloVerdict {
  met: boolean;
  /** One line per target: "p99 143ms ≤ 200ms". */
  checks: { target: string; limit: number; value: number; met: boolean }[];
}

/** Columns of equal length, one row per step; t is the step's start. */
export interface TimeSeries {
  step: number;
  t: number[];
  columns: Record<string, number[]>;
}

/** One fault of the scenario and what followed it. */
export interface FaultReport {
  at: number;
  host: string;
  kind: string;
  /** When the health checker first declared the host down (absent: never). */
  detectedAt?: number;
  /** detectedAt − at. */
  detection?: number;
  /** When new connections stopped going to the host (absent: never). */
  movedAt?: number;
  /**
   * Client addresses answered by one real server before the fault and by another after it,
   * until the next fault: the sessions it broke, had their state lived on the server.
   */
  movedClients?: number;
  /** Requests that failed from this fault until the next fault (or the end), by cause. */
  failed: Record<ErrorCause, number>;
}

/** A line of the health checker's log, as monit or keepalived would write it. */
export interface CheckLogLine {
  t: number;
  host: string;
  text: string;
}

export interface SessionReport {
  started: number;
  completed: number;
  /** Sessions whose state was lost at least once (landed elsewhere, server restarted, a failed request). */
  broken: number;
}

/** An instant worth marking on timeline charts. */
export interface Marker {
  t: number;
  label: string;
  kind: 'fault' | 'detection' | 'moved' | 'recover';
}

export interface Result {
  format: number;
  source: 'simulation' | 'lab';
  /** The run's own name beside its variants, when it has one ("monit 1s, the deck's script · lab"). */
  label?: string;
  scenario: { name: string; seed: number; duration: number; warmup: number; description?: string };
  /** The measured window: [warmup, duration). */
  window: { from: number; to: number };
  requests: {
    /** Requests sent in the window; every one ends ok or failed by one cause. */
    sent: number;
    ok: number;
    failed: Record<ErrorCause, number>;
  };
  /** Answers given per second inside the window (departures, so a growing backlog does not inflate it). */
  throughput: number;
  latency: LatencySummary;
  /** Latency CDF points (seconds, cumulative share), for charts. */
  cdf: { latency: number; share: number }[];
  resources: ResourceUse[];
  servers: ServerShare[];
  slo?: SloVerdict;
  series: TimeSeries;
  /** Discrete events processed (simulation only). */
  events?: number;
  faults?: FaultReport[];
  checks?: CheckLogLine[];
  markers?: Marker[];
  sessions?: SessionReport;
  /** Requests retried after a failed connection (each retry counted once). */
  retries?: number;
  /** Shared data: answers served from a stale copy (copies) — absent without storage. */
  staleReads?: number;
  /** Where the farm runs out, and what would help (simulation). */
  bottleneck?: { saturated: string[]; busiest: string; busiestUtilisation: number; kind: string; advice: string };
  /** Monthly cost from the scenario's prices. */
  cost?: { total: number; servers: number; directors: number; sites: number; uplink: number };
  /** DNS balancing: queries the resolvers sent to the authoritative server. */
  dnsQueries?: number;
  /** A sweep across one field's values, for the scenario and each variant. */
  sweep?: {
    path: string;
    axis: string;
    curves: {
      label: string;
      points: { value: string; x: number; offered: number; throughput: number; p50: number; p99: number; failedShare: number }[];
      knee?: { value: string; x: number; why: string };
    }[];
  };
  /** The capacity planner's verdicts, on the chosen plan's Result. */
  plan?: {
    chosen?: string;
    verdicts: { label: string; cost: number; status: string; reason: string; p99?: number; failedShare?: number }[];
    frontier: { label: string; cost: number; p99: number; met: boolean }[];
  };
  /** The most the farm answers: measured by the lab (autocannon), predicted by the simulator. */
  capacity?: CapacityReport;
  /** Variants of a `compare:` list, run with the same seed. */
  variants?: { label: string; result: Result }[];
}

export interface CapacityReport {
  /** Requests answered per second at most. */
  throughput: number;
  /** What limits it: the busiest resource (simulator), or the load that was driven (lab). */
  limit: string;
  /** How it was found, in a phrase. */
  how: string;
  /** Latency of the answers meanwhile, seconds (lab). */
  latency?: { p50: number; p99: number };
  /** Answers per real server meanwhile (lab). */
  perServer?: Record<string, number>;
  /** Requests that failed meanwhile (lab: errors + timeouts + non-2xx). */
  failed?: number;
}

/**
 * The most a simulated farm answers, from its utilisations at the simulated load: the offered
 * rate over the busiest resource's utilisation (each resource's use grows with the load it
 * carries; queueing makes the last few per cent unusable in practice).
 */
export function predictedCapacity(result: Result): CapacityReport | undefined {
  const top = busiest(result)[0];
  if (!top || !(top.utilisation > 0)) return undefined;
  return {
    throughput: Number((result.throughput / top.utilisation).toPrecision(4)),
    limit: top.name,
    how: `${result.throughput.toFixed(1)} answers/s at ${(top.utilisation * 100).toFixed(1)}% of ${top.name}`,
  };
}
