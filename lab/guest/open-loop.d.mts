// Types for open-loop.mjs (a plain script, so that it runs on the guest's node as it is).
export interface OpenLoopOptions {
  url: string;
  rate: number;
  duration: number;
  sources: string[];
  timeout: number;
  /** A new connection gives up connecting after this many seconds (default: timeout). */
  connectTimeout?: number;
  out?: string;
  /** Start when /proc/uptime reaches this many seconds. */
  startAt?: number;
  /** Requests each address sends on one kept-alive connection before opening a new one (default 10; 1: a connection per request). */
  requestsPerConnection?: number;
}
export interface OpenLoopCounts {
  sent: number;
  ok: number;
  refused: number;
  reset: number;
  timeout: number;
  unreachable: number;
  other: number;
  http: number;
}
export function expandSources(text: string): string[];
export function causeOf(err: unknown): 'refused' | 'reset' | 'timeout' | 'unreachable' | 'other';
export function failure(err: unknown): { error: 'refused' | 'reset' | 'timeout' | 'unreachable' | 'other'; code?: string };
export function run(o: OpenLoopOptions, write: (line: string) => void): Promise<OpenLoopCounts>;
