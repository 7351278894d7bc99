// The plan as Docker objects: one bridge network per cable, one container per host with its
// NICs in the micro-VMs' order (eth0, eth1, …). Pure, so the tests read what would be created.
//
// Docker's networks get throwaway subnets from the engine's pools, and their addresses sit on
// the NICs unused: the lab's addresses and routes are set by lab/guest/net.sh, as in the
// micro-VMs. So the two back cables can both carry 10.0.1.0/24 (Docker refuses two networks
// with one subnet), the director keeps its br0 over eth1 and eth2, and the host, which only
// holds Docker's gateway addresses, cannot reach a lab address.

import type Docker from 'dockerode';
import type { HostName, Plan } from '../../topology.ts';

/** Label on every network and container of a farm: its id (teardown and leftovers find them by it). */
export const FARM_LABEL = 'webfarm.lab';
export const HOST_LABEL = 'webfarm.host';
/** Label on the lab's images, which teardown keeps as a cache. */
export const IMAGE_LABEL = 'webfarm.lab.image';

export interface NetworkSpec {
  link: string;
  create: Docker.NetworkCreateOptions;
}

export interface NicSpec {
  link: string;
  network: string;
  /** The name lab/guest/net.sh knows it by. */
  name: string;
  endpoint: Docker.EndpointSettings;
}

export interface ContainerSpec {
  host: HostName;
  /** Created attached to the first NIC's network; the others are connected before it starts. */
  create: Docker.ContainerCreateOptions;
  nics: NicSpec[];
}

export const networkName = (farmId: string, link: string) => `webfarm-${farmId}-${link}`;
export const containerName = (farmId: string, host: HostName) => `webfarm-${farmId}-${host}`;

export function networkSpecs(plan: Plan, farmId: string): NetworkSpec[] {
  return plan.links.map((l) => ({
    link: l.name,
    create: {
      Name: networkName(farmId, l.name),
      Driver: 'bridge',
      // Not internal: Docker's isolation rules for internal networks drop frames whose addresses
      // are outside the network's subnet, which every lab address is. boot.sh removes the
      // default route Docker gives, so nothing leaves the lab.
      Internal: false,
      Labels: { [FARM_LABEL]: farmId },
    },
  }));
}

/** Direct routing and tunnelling: the real servers must not answer ARP for the VIP they hold. */
const quietArp = (plan: Plan) => plan.forwarding !== 'nat';

/**
 * Sysctls set when the container is created: Docker's /proc/sys is read-only inside, so the
 * values the guest scripts write (net.sh, realserver.sh) must already be in place (see
 * guest/sysctl.sh). The qemu VMs run IPVS with the kernel's defaults, so no net.ipv4.vs.*.
 */
export function sysctls(plan: Plan, host: HostName): Record<string, string> {
  const role = plan.hosts.find((h) => h.name === host)!.role;
  const s: Record<string, string> = {
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.default.rp_filter': '0',
  };
  if (role === 'director') s['net.ipv4.ip_forward'] = '1';
  if (role === 'web' && quietArp(plan)) {
    s['net.ipv4.conf.all.arp_ignore'] = '1';
    s['net.ipv4.conf.all.arp_announce'] = '2';
  }
  return s;
}

/** Per-NIC settings: its name (Docker 28+) and, on real servers under dr/tun, its ARP sysctls (Docker 26.1+). */
function endpoint(plan: Plan, host: HostName, name: string): Docker.EndpointSettings {
  const role = plan.hosts.find((h) => h.name === host)!.role;
  const opts: Record<string, string> = { 'com.docker.network.endpoint.ifname': name };
  if (role === 'web' && quietArp(plan)) {
    opts['com.docker.network.endpoint.sysctls'] = 'net.ipv4.conf.IFNAME.arp_ignore=1,net.ipv4.conf.IFNAME.arp_announce=2';
  }
  return { DriverOpts: opts };
}

export function containerSpecs(plan: Plan, farmId: string, image: string): ContainerSpec[] {
  return plan.hosts.map((h) => {
    const nics: NicSpec[] = h.nics.map((n, i) => ({
      link: n.link,
      network: networkName(farmId, n.link),
      name: `eth${i}`,
      endpoint: endpoint(plan, h.name, `eth${i}`),
    }));
    const first = nics[0]!;
    return {
      host: h.name,
      nics,
      create: {
        name: containerName(farmId, h.name),
        Hostname: h.name,
        Image: image,
        // The lab boots each host itself (guest/boot.sh through docker exec), once it knows
        // the NICs' MACs; until then, and after, PID 1 (docker-init) only waits and reaps.
        Cmd: ['sleep', 'infinity'],
        Labels: { [FARM_LABEL]: farmId, [HOST_LABEL]: h.name },
        HostConfig: {
          Init: true,
          CapAdd: ['NET_ADMIN', 'NET_RAW'],
          Sysctls: sysctls(plan, h.name),
          // Fresh at every start, as a micro-VM's RAM is: pid files, the probe's log, the load's records.
          Tmpfs: { '/run': 'rw,nosuid,nodev,mode=755', '/tmp': 'rw,nosuid,nodev,mode=1777,size=512m' },
          NetworkMode: first.network,
        },
        NetworkingConfig: { EndpointsConfig: { [first.network]: first.endpoint } },
      },
    };
  });
}
