// Shared by the lab's tests: boot a farm for a scenario written inline, sweep the client's
// addresses through the VIP, and read who answered. One boot per test file.

import { buildImage } from '../../lab/image/build.ts';
import { Farm } from '../../lab/providers/qemu/farm.ts';
import { planFarm } from '../../lab/topology.ts';
import { parseScenario } from '../../scenarios/load.ts';

/** A scenario around the deck's farm; `director` and `servers` are YAML flow text. */
export function scenarioText(o: { director: string; servers: string; addresses?: number; healthcheck?: string }): string {
  return `name: labtest
duration: 10s
clients: { addresses: ${o.addresses ?? 64} }
workload: { arrivals: poisson 10/s, cpu: exponential 5ms, response: 1KB }
sites:
  - name: bcn
    director: ${o.director}
    servers: ${o.servers}
healthcheck: ${o.healthcheck ?? '{ kind: none }'}
`;
}

export async function bootFarm(text: string): Promise<Farm> {
  const plan = planFarm(parseScenario(text, 'labtest.yaml'));
  const image = await buildImage();
  const farm = await Farm.boot(plan, image);
  console.log(`      (four VMs ready in ${farm.state.bootSeconds.toFixed(1)} s under ${farm.state.accel.toUpperCase()})`);
  return farm;
}

/** "<address> <server>" lines from sweep.sh, as address → servers in order. */
export async function sweep(farm: Farm, perAddress: number, addresses?: number): Promise<Map<string, string[]>> {
  const r = await farm.exec('client', `/etc/webfarm/sweep.sh ${perAddress} ${addresses ?? ''}`, { check: true, timeoutMs: 170_000 });
  const out = new Map<string, string[]>();
  for (const line of r.stdout.trim().split('\n')) {
    const [addr, server] = line.split(' ');
    if (!addr || !server) continue;
    out.set(addr, [...(out.get(addr) ?? []), server]);
  }
  return out;
}

export function countBy<T>(xs: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** The failover tests' scenario: the deck's farm (fwmark 1, sh, masquerading), 64 client
 *  addresses, monit every `cycle` s running `action`, web1 stopped at `stopAt` and back at `recoverAt`. */
export function failoverText(o: {
  name: string; duration: number; rate: number; cycle: number; timeout: number;
  action: string; stopAt: number; recoverAt: number;
  /** Another health checker instead of monit, as YAML flow text. */
  healthcheck?: string;
}): string {
  return `name: ${o.name}
duration: ${o.duration}s
clients: { addresses: 64, connect_timeout: 3s, timeout: 5s }
workload: { arrivals: poisson ${o.rate}/s, cpu: exponential 5ms, response: 20KB }
sites:
  - name: bcn
    director: { scheduler: sh, forwarding: nat }
    servers: [ { name: web1 }, { name: web2 } ]
healthcheck: ${o.healthcheck ?? `{ kind: monit, cycle: ${o.cycle}s, timeout: ${o.timeout}s, action: ${o.action} }`}
faults:
  - { at: ${o.stopAt}s, host: web1, kind: stop }
  - { at: ${o.recoverAt}s, host: web1, kind: recover }
`;
}

/** Requests web1 answered in the open-loop load scheduled after `from` seconds. */
export function web1AnsweredAfter(run: { records: { sched: number; server?: string; error?: string; status?: number }[] }, from: number): number {
  return run.records.filter((r) => r.sched >= from && r.server === 'web1' && r.error === undefined && r.status === 200).length;
}
