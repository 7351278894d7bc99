// The capacity phase of a failover run: before the faults, autocannon in the client VM drives
// the farm through the director as hard as keep-alive connections can for a few seconds
// (lab/guest/capacity.mjs). The health checker is running (keepalived is what builds the IPVS
// service), so the phase waits for every real server to be in the table, and fails if the
// load made the checker change the rules: the timeline must start from the farm as set up.
// The Result carries it beside the simulator's predicted capacity.

import { LabError } from './errors.ts';
import { sourceRanges } from './sources.ts';
import { allServingScript, type LabFarm } from './providers/provider.ts';
import type { CapacityReport } from '../reports/result.ts';
import type { CapacityMeasurement } from './guest/capacity.mjs';

export interface CapacityOptions {
  /** Seconds of load. */
  seconds: number;
  /** Keep-alive connections, dealt over the client's addresses. */
  connections: number;
}

const RULES = 'iptables -t mangle -S PREROUTING; ipvsadm -Sn';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the director's IPVS table holds every real server of the plan. */
async function waitForRealServers(farm: LabFarm, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rules = (await farm.exec('director', RULES, { check: true })).stdout;
    const missing = farm.plan.realServers.filter((r) => !rules.includes(`-r ${r.address}:`));
    if (missing.length === 0) return rules;
    if (Date.now() > deadline) throw new LabError(`The director's IPVS table still lacks ${missing.map((r) => r.name).join(' and ')} ${timeoutMs / 1000} s after the health checker started: ${rules.trim().split('\n').join('; ')}`);
    await sleep(500);
  }
}

export async function measureCapacity(farm: LabFarm, o: CapacityOptions): Promise<CapacityReport> {
  const plan = farm.plan;
  const before = await waitForRealServers(farm);
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
  const answering = `for try in 1 2 3; do (${allServingScript(plan)}) && exit 0; sleep 1; done; exit 1`;
  if ((await farm.exec('director', answering, { timeoutMs: 30_000 })).code !== 0) {
    throw new LabError('After the capacity phase a web server no longer answered the director on port 80, so the failover would measure a broken farm: run again (or with --capacity 0).');
  }
  const after = (await farm.exec('director', RULES, { check: true })).stdout;
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
