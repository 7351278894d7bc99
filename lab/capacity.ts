// The capacity phase of a failover run: before the faults, autocannon in the client VM drives
// the farm through the director as hard as keep-alive connections can for a few seconds
// (lab/guest/capacity.mjs). The health checker is already running (every provider's boot
// ends with it armed and the IPVS table whole), so the phase fails if the load made it change
// the rules, or left a web server silent: the timeline must start from the farm as set up.
// The Result carries it beside the simulator's predicted capacity.

import { LabError } from './errors.ts';
import { sourceRanges } from './sources.ts';
import { DIRECTOR_RULES, waitServing, type LabFarm } from './providers/provider.ts';
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
  const before = (await farm.exec('director', DIRECTOR_RULES, { check: true })).stdout;
  const args = ['--url', `http://${plan.vip}/`, '--connections', String(o.connections), '--duration', String(o.seconds), '--sources', sourceRanges(plan.clientAddresses)];
  const r = await farm.exec('client', `node /etc/webfarm/capacity.mjs ${args.join(' ')}`, { timeoutMs: (o.seconds + 90) * 1000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let m: CapacityMeasurement;
  try {
    m = JSON.parse(line) as CapacityMeasurement;
  } catch {
    throw new LabError(`The capacity phase (autocannon in the client) ended with code ${r.code} and no result: ${(r.stderr || r.stdout).trim().slice(-300) || '(no output)'}`);
  }
  if (m.ok === 0) throw new LabError(`The capacity phase got no answer through the director in ${m.duration.toFixed(1)} s (${m.errors} errors, ${m.timeouts} timeouts, ${m.non2xx} non-2xx): the farm does not serve.`);
  // Seen once in about fifteen runs under TCG: a web server stopped answering after the load
  // (its IPVS entries stuck in CLOSE_WAIT), and the failover then measured a dead farm.
  await waitServing(farm, 5000).catch(() => {
    throw new LabError('After the capacity phase a web server no longer answered the director on port 80, so the failover would measure a broken farm: run again (or with --capacity 0).');
  });
  const after = (await farm.exec('director', DIRECTOR_RULES, { check: true })).stdout;
  if (after !== before) {
    throw new LabError(`The capacity phase's load made the health checker change the director's rules, so the failover would not start from the farm as set up: run with --capacity 0, or give the checker a longer timeout. Rules before: ${before.trim().split('\n').join('; ')} — after: ${after.trim().split('\n').join('; ')}`);
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
