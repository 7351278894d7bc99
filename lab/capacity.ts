// The capacity phase of a failover run: before the faults (and before the health checker is
// armed, so that a check slowed by the load cannot change the rules), autocannon in the client
// VM drives the farm through the director as hard as keep-alive connections can for a few
// seconds (lab/guest/capacity.mjs). The Result carries it beside the simulator's predicted capacity.

import { LabError } from './errors.ts';
import { sourceRanges } from './sources.ts';
import type { LabFarm } from './providers/provider.ts';
import type { CapacityReport } from '../reports/result.ts';
import type { CapacityMeasurement } from './guest/capacity.mjs';

export interface CapacityOptions {
  /** Seconds of load. */
  seconds: number;
  /** Keep-alive connections, dealt over the client's addresses. */
  connections: number;
}

export async function measureCapacity(farm: LabFarm, o: CapacityOptions): Promise<CapacityReport> {
  const plan = farm.plan;
  const args = ['--url', `http://${plan.vip}/`, '--connections', String(o.connections), '--duration', String(o.seconds), '--sources', sourceRanges(plan.clientAddresses)];
  const r = await farm.exec('client', `node /etc/webfarm/capacity.mjs ${args.join(' ')}`, { timeoutMs: (o.seconds + 90) * 1000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let m: CapacityMeasurement;
  try {
    m = JSON.parse(line) as CapacityMeasurement;
  } catch {
    throw new LabError(`The capacity phase (autocannon in the client) ended with code ${r.code} and no result: ${(r.stderr || r.stdout).trim().slice(-300) || '(no output)'}`);
  }
  return {
    throughput: Number(m.throughput.toPrecision(4)),
    limit: `${m.connections} keep-alive connections`,
    how: `autocannon, ${m.connections} keep-alive connections over ${plan.clientAddresses.length} client addresses for ${m.duration.toFixed(1)} s`,
    latency: { p50: m.latency.p50 / 1000, p99: m.latency.p99 / 1000 },
    perServer: m.perServer,
    failed: m.errors + m.timeouts + m.non2xx,
  };
}
