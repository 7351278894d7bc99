// The lab's farm, derived from a scenario: four hosts, three cables, the addresses, and the
// farm.conf every guest script reads. Pure: no I/O, so the plan can be tested and printed.
//
//   client (192.0.2.2 + source addresses 10.200.x.y) ── front ── director (192.0.2.1, VIP 192.0.2.10)
//   director br0 (10.0.1.1) ── back1 ── web1 (10.0.1.11, 10.0.1.13, …)
//                            └─ back2 ── web2 (10.0.1.12, 10.0.1.14, …)
// Addresses are documentation (192.0.2.0/24) and private ranges that exist only inside the VMs.

import { LabError } from './errors.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { distributionMean } from '../scenarios/distribution.ts';
import { clientAddress, VIP } from '../scenarios/addresses.ts';

// The VIP is the one the simulator names too.
export { VIP };
export const DIRECTOR_FRONT = '192.0.2.1';
export const CLIENT_FRONT = '192.0.2.2';
export const DIRECTOR_BACK = '10.0.1.1';
export const CLIENT_NET = '10.200.0.0/16';
export const PORT = 80;
/** Most client source addresses the client VM holds (ip addr add takes time under TCG). */
export const MAX_CLIENT_ADDRESSES = 1000;
/** Most real servers: addresses 10.0.1.11–10.0.1.18 spread over the two web VMs. */
export const MAX_REAL_SERVERS = 8;

export type HostName = 'director' | 'web1' | 'web2' | 'client';
export const HOSTS: readonly HostName[] = ['director', 'web1', 'web2', 'client'];

export interface RealServer {
  name: string;
  address: string;
  weight: number;
  threshold: number;
  /** The VM that answers for it. */
  host: HostName;
}

export interface Nic {
  /** netdev/device id inside qemu, also the name for QMP set_link. */
  id: string;
  mac: string;
  link: string;
}

export interface HostPlan {
  name: HostName;
  role: 'director' | 'web' | 'client';
  memoryMB: number;
  nics: Nic[];
  /** host.conf for this host. */
  hostConf: string;
}

export interface Plan {
  scenario: string;
  vip: string;
  hosts: HostPlan[];
  links: { name: string; a: HostName; b: HostName }[];
  realServers: RealServer[];
  clientAddresses: string[];
  /** How the director forwards (ipvsadm -m / -g / -i), as farm.conf's FORWARDING says. */
  forwarding: 'nat' | 'dr' | 'tun';
  /** The director's health checker, as farm.conf's HEALTHCHECK says. */
  healthcheck: 'none' | 'monit' | 'keepalived';
  farmConf: string;
}

// The i-th client source address (0-based): shared with the simulator, so sh predictions match.
export { clientAddress };

/** The hosts at the other end of each of `host`'s cables, by cable name. */
export function peersOf(plan: Plan, host: HostName): Record<string, HostName> {
  const peers: Record<string, HostName> = {};
  for (const l of plan.links) {
    if (l.a === host) peers[l.name] = l.b;
    if (l.b === host) peers[l.name] = l.a;
  }
  return peers;
}

/** a.b.c.d as the unsigned 32-bit integer the kernel's schedulers hash. */
export function ipToInt(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number);
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
}

function mac(host: number, nic: number): string {
  return `52:54:00:0f:${host.toString(16).padStart(2, '0')}:${nic.toString(16).padStart(2, '0')}`;
}

/** Whole seconds for daemons that only take integers (monit), never below 1. */
const wholeSeconds = (s: number) => Math.max(1, Math.ceil(s - 1e-9));
const seconds = (s: number) => String(Math.round(s * 1000) / 1000);

export function planFarm(scenario: Scenario, scenarioName = scenario.name): Plan {
  if (scenario.sites.length !== 1) {
    throw new LabError(`The lab builds one site with one director, and scenario "${scenarioName}" has ${scenario.sites.length} sites: run it with a single site (the simulator handles DNS across sites).`);
  }
  const site = scenario.sites[0]!;
  const d = site.director;
  if (!d) throw new LabError(`The lab needs a director, and site "${site.name}" of scenario "${scenarioName}" has none: add director: { scheduler: sh, forwarding: nat } to it.`);
  if (d.scheduler === 'twos') throw new LabError(`The lab's kernel (Linux 6.1) has no twos scheduler (it came in 6.2): choose another scheduler for the lab run.`);
  if (site.servers.length > MAX_REAL_SERVERS) throw new LabError(`The lab plays at most ${MAX_REAL_SERVERS} real servers on its two web VMs, and site "${site.name}" has ${site.servers.length}.`);
  if (d.forwarding !== 'nat' && site.servers.length > 2) {
    throw new LabError(`With ${d.forwarding === 'dr' ? 'direct routing' : 'tunnelling'} every request reaches a web VM addressed to the VIP, so the lab can tell only two real servers apart (one per VM), and site "${site.name}" has ${site.servers.length}: use forwarding: nat or two servers.`);
  }
  const realServers: RealServer[] = site.servers.map((s, i) => ({
    name: s.name,
    address: `10.0.1.${11 + i}`,
    weight: s.weight,
    threshold: s.threshold ?? 0,
    host: i % 2 === 0 ? 'web1' : 'web2',
  }));
  const count = Math.min(scenario.clients.addresses, MAX_CLIENT_ADDRESSES);
  const clientAddresses = Array.from({ length: count }, (_, i) => clientAddress(i));
  const hc = scenario.healthcheck;

  const lines = [
    `# The lab's farm, from scenario "${scenarioName}". Every script in /etc/webfarm reads this file;`,
    '# on a real director, write your own with the same variables.',
    `VIP=${VIP}`,
    `PORT=${PORT}`,
    `DIRECTOR_FRONT=${DIRECTOR_FRONT}`,
    `DIRECTOR_BACK=${DIRECTOR_BACK}`,
    `CLIENT_FRONT=${CLIENT_FRONT}`,
    `CLIENT_NET=${CLIENT_NET}`,
    `CLIENT_ADDRESSES=${count}`,
    '# ipvsadm -s and -b',
    `SCHEDULER=${d.scheduler}`,
    `SCHED_FLAGS="${d.flags.join(',')}"`,
    '# nat = -m masquerading, dr = -g gateway (direct routing), tun = -i ipip',
    `FORWARDING=${d.forwarding}`,
    '# fwmark = iptables mangle mark 1 and ipvsadm -f 1; tcp = ipvsadm -t VIP:PORT',
    `SERVICE=${d.service}`,
    '# name,address,weight,threshold (0 = none),host answering for it',
    `REAL_SERVERS="${realServers.map((r) => [r.name, r.address, r.weight, r.threshold, r.host].join(',')).join(' ')}"`,
    `RESPONSE_BYTES=${Math.max(64, Math.round(meanSize(scenario)))}`,
    '# monit | keepalived | none',
    `HEALTHCHECK=${hc.kind}`,
  ];
  if (hc.kind === 'monit') {
    lines.push(`MONIT_CYCLE=${wholeSeconds(hc.cycle)}`, `MONIT_TIMEOUT=${wholeSeconds(hc.timeout)}`, `MONIT_CYCLES=${hc.cycles}`, `MONIT_ACTION=${hc.action}`);
  }
  if (hc.kind === 'keepalived') {
    lines.push(
      `KEEPALIVED_DELAY_LOOP=${seconds(hc.delay_loop)}`,
      `KEEPALIVED_CONNECT_TIMEOUT=${seconds(hc.connect_timeout)}`,
      `KEEPALIVED_RETRY=${hc.retry}`,
      `KEEPALIVED_DELAY_BEFORE_RETRY=${seconds(hc.delay_before_retry)}`,
      `KEEPALIVED_INHIBIT=${hc.inhibit_on_failure ? 1 : 0}`,
    );
  }

  const hostConf = (name: HostName, role: string, extra: string[] = []) =>
    [`HOST=${name}`, `ROLE=${role}`, ...extra].join('\n') + '\n';
  const webAddresses = (h: HostName) => realServers.filter((r) => r.host === h).map((r) => r.address);
  const hosts: HostPlan[] = [
    {
      name: 'director', role: 'director', memoryMB: 256,
      nics: [
        { id: 'front', mac: mac(1, 0), link: 'front' },
        { id: 'back1', mac: mac(1, 1), link: 'back1' },
        { id: 'back2', mac: mac(1, 2), link: 'back2' },
      ],
      hostConf: hostConf('director', 'director', ['BACK_NICS="eth1 eth2"']),
    },
    { name: 'web1', role: 'web', memoryMB: 256, nics: [{ id: 'back', mac: mac(2, 0), link: 'back1' }], hostConf: hostConf('web1', 'web', [`ADDRESSES="${webAddresses('web1').join(' ')}"`]) },
    { name: 'web2', role: 'web', memoryMB: 256, nics: [{ id: 'back', mac: mac(3, 0), link: 'back2' }], hostConf: hostConf('web2', 'web', [`ADDRESSES="${webAddresses('web2').join(' ')}"`]) },
    // The client runs node (open-loop.mjs): its 135 MB initramfs is unpacked into RAM too.
    { name: 'client', role: 'client', memoryMB: 512, nics: [{ id: 'front', mac: mac(4, 0), link: 'front' }], hostConf: hostConf('client', 'client') },
  ];
  return {
    scenario: scenarioName,
    vip: VIP,
    hosts,
    links: [
      { name: 'front', a: 'director', b: 'client' },
      { name: 'back1', a: 'director', b: 'web1' },
      { name: 'back2', a: 'director', b: 'web2' },
    ],
    realServers,
    clientAddresses,
    forwarding: d.forwarding,
    healthcheck: hc.kind,
    farmConf: lines.join('\n') + '\n',
  };
}

/** The lab's nginx serves one fixed size per scenario: the mean of its response distribution. */
function meanSize(s: Scenario): number {
  return distributionMean(s.workload.response);
}
