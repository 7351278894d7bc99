// What the lab needs from whatever runs its four hosts — qemu micro-VMs, Vagrant VMs, Docker
// containers: boot the plan's farm, run a shell command in a host, play a fault on a host,
// sample the director's probes, and take everything down again. The failover replay
// (lab/failover.ts), the status page and the tests see only this, so a fourth provider is one
// more folder under lab/providers/ and one line in lab/providers/index.ts.

import { LabError } from '../errors.ts';
import type { Plan, HostName } from '../topology.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Throw a LabError (with the command's output) unless it exits 0. */
  check?: boolean;
}

/**
 * A fault as a provider plays it: power-off is a pulled power cord (no shutdown), power-on
 * boots the host again with the lab's configuration, link-down/link-up pull and plug the web
 * host's one cable to the director. Stopping the service or slowing it down happens inside the
 * guest (exec), the same on every provider.
 */
export type FaultAction = 'power-off' | 'power-on' | 'link-down' | 'link-up';

export interface BootOptions {
  onProgress?: (message: string) => void;
}

/** A booted farm: director, web1, web2 and client, configured from the plan's farm.conf. */
export interface LabFarm {
  readonly plan: Plan;
  /** For people: "qemu (TCG)", "vagrant (debian/bookworm64)", "docker". */
  readonly describe: string;
  /** Seconds from asking to all four hosts answering. */
  readonly bootSeconds: number;
  exec(host: HostName, command: string, options?: ExecOptions): Promise<ExecResult>;
  fault(host: HostName, action: FaultAction): Promise<void>;
  /**
   * Starts the director's probes (lab/guest/probe.sh: the IPVS table, connection entries and
   * mangle counters every second, every change of the rules); the returned function stops them
   * and returns their log.
   */
  probe(): Promise<() => Promise<string>>;
  /** Takes every host down and removes what the provider left (VMs, sockets, containers, files). */
  teardown(): Promise<void>;
}

export interface Provider {
  readonly name: string;
  /** undefined when this machine can run the provider, else one sentence on what is missing. */
  unavailable(): Promise<string | undefined>;
  boot(plan: Plan, options?: BootOptions): Promise<LabFarm>;
}

/** probe() for providers whose director runs lab/guest/probe.sh as /etc/webfarm/probe.sh. */
export async function probeWithScript(exec: LabFarm['exec'], file = '/tmp/probe.log'): Promise<() => Promise<string>> {
  await exec('director', `/etc/webfarm/probe.sh start ${file}`, { check: true });
  return async () => {
    await exec('director', '/etc/webfarm/probe.sh stop', { check: true });
    return (await exec('director', `cat ${file}`, { check: true, timeoutMs: 120_000 })).stdout;
  };
}

/** A shell loop on the director: exit 0 when every real server of `plan` accepts on port 80. */
export function allServingScript(plan: Plan): string {
  // nc.openbsd by path: busybox's nc cannot probe, and its static wget can crash on name lookups.
  return `for a in ${plan.realServers.map((r) => r.address).join(' ')}; do /bin/nc.openbsd -z -w 2 "$a" 80 || exit 1; done`;
}

/** Waits until the director reaches every real server's port 80, or fails after `timeoutMs`. */
export async function waitServing(farm: Pick<LabFarm, 'exec' | 'plan'>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await farm.exec('director', allServingScript(farm.plan))).code !== 0) {
    if (Date.now() > deadline) throw new LabError(`The web servers did not answer the director within ${timeoutMs / 1000} s.`);
    await sleep(300);
  }
}

/** The director's rules as probe.sh compares them: the mangle marks and the IPVS table. */
export const DIRECTOR_RULES = 'iptables -t mangle -S PREROUTING; ipvsadm -Sn';

/**
 * The end of every provider's boot: once the director reaches every real server, starts the
 * scenario's health checker (monit or keepalived), as a sysadmin would, and waits until every
 * real server is in the IPVS table — keepalived builds it itself, a moment after it starts.
 */
export async function armWhenServing(farm: Pick<LabFarm, 'exec' | 'plan'>, timeoutMs: number): Promise<void> {
  await waitServing(farm, timeoutMs);
  if (farm.plan.healthcheck !== 'none') await farm.exec('director', '/etc/webfarm/healthcheck.sh start', { check: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rules = (await farm.exec('director', DIRECTOR_RULES, { check: true })).stdout;
    const missing = farm.plan.realServers.filter((r) => !rules.includes(`-r ${r.address}:`));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new LabError(`The director's IPVS table still lacks ${missing.map((r) => r.name).join(' and ')} ${timeoutMs / 1000} s after the health checker started: ${rules.trim().split('\n').join('; ')}`);
    await sleep(300);
  }
}
