// The plan as the Vagrantfile reads it: one machine per lab host, its NICs in the micro-VMs'
// order and names (eth0, eth1, …), and the files the provisioning installs (farm.conf, each
// host's host.conf). Pure: the provider writes these into .vagrant/webfarm/, the tests read
// them, and lab/providers/vagrant/defaults/ holds them for scenarios/failover.yaml, so a plain
// `vagrant up` works without the lab.

import { join } from 'node:path';
import { peersOf, type HostName, type Plan } from '../../topology.ts';

export interface VagrantNic {
  /** The lab's cable: front, back1 or back2. */
  link: string;
  /** The name lab/guest/net.sh knows it by inside the guest. */
  name: string;
  mac: string;
  /** VirtualBox adapter slot: 1 is Vagrant's own NAT NIC, so the lab's start at 2. */
  adapter: number;
  /**
   * libvirt: each cable is a point-to-point UDP tunnel on loopback, as the micro-VMs' qemu
   * dgram sockets are, so no libvirt network (with a host address in the lab's ranges) is made.
   */
  udp: { local: number; peer: number };
}

export interface VagrantMachine {
  name: HostName;
  role: 'director' | 'web' | 'client';
  /** MB: a whole Debian with systemd wants more than the micro-VMs' initramfs-only system. */
  memory: number;
  cpus: number;
  nics: VagrantNic[];
}

/** First UDP port of the libvirt tunnels; each cable takes two (one per end). */
export const UDP_BASE = 47100;

export function vagrantMachines(plan: Plan, udpBase = UDP_BASE): VagrantMachine[] {
  const port = (link: string, host: HostName) => {
    const i = plan.links.findIndex((l) => l.name === link);
    if (i < 0) throw new Error(`The plan has no cable "${link}".`);
    return udpBase + 2 * i + (plan.links[i]!.a === host ? 1 : 2);
  };
  return plan.hosts.map((h) => ({
    name: h.name,
    role: h.role,
    memory: Math.max(512, 2 * h.memoryMB),
    cpus: 1,
    nics: h.nics.map((n, i) => ({
      link: n.link,
      name: `eth${i}`,
      mac: n.mac,
      adapter: i + 2,
      udp: { local: port(n.link, h.name), peer: port(n.link, peersOf(plan, h.name)[n.link]!) },
    })),
  }));
}

/** File name → text of what the Vagrantfile reads: machines.json, farm.conf, <host>.conf. */
export function confFiles(plan: Plan, udpBase = UDP_BASE): Record<string, string> {
  const files: Record<string, string> = {
    'machines.json': JSON.stringify({ scenario: plan.scenario, machines: vagrantMachines(plan, udpBase) }, null, 1) + '\n',
    'farm.conf': plan.farmConf,
  };
  for (const h of plan.hosts) files[`${h.name}.conf`] = h.hostConf;
  return files;
}

/** The client's npm packages (autocannon) as a tar of /usr/lib/webfarm/node_modules, beside confFiles. */
export const CLIENT_MODULES_TAR = 'client-node-modules.tar';

/** The repository's top folder, where the Vagrantfile is. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
/** Where the provider writes confFiles for the Vagrantfile (and removes them on teardown). */
export const GENERATED_DIR = join(REPO_ROOT, '.vagrant', 'webfarm');
/** The committed files for scenarios/failover.yaml, read when GENERATED_DIR is absent. */
export const DEFAULTS_DIR = join(import.meta.dirname, 'defaults');
