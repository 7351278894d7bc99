// Types for capacity.mjs (a plain script, so that it runs on the guest's node as it is).
export interface CapacityOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  sources: string[];
  /** The folder holding autocannon and its dependencies. */
  modules: string;
}
export interface CapacityMeasurement {
  connections: number;
  duration: number;
  requests: number;
  ok: number;
  /** Answered (2xx/3xx) per second. */
  throughput: number;
  /** Milliseconds. */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  perServer: Record<string, number>;
}
export function dealSources(sources: string[]): void;
export function measure(o: CapacityOptions): Promise<CapacityMeasurement>;
