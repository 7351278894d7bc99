// One micro-VM: the qemu command line for a lab host, and starting it. No network card ever
// reaches the host: -nodefaults and -nic none leave none, and each -netdev is a dgram socket
// pair whose other end is another lab VM (unix sockets in the lab's own folder).

import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { HostPlan } from '../../topology.ts';

export type Accel = 'kvm' | 'tcg';

export interface VmPaths {
  console: string;
  qmp: string;
  log: string;
  config: string;
}

export function vmPaths(dir: string, host: string): VmPaths {
  return {
    console: join(dir, `${host}.console`),
    qmp: join(dir, `${host}.qmp`),
    log: join(dir, `${host}.log`),
    config: join(dir, `${host}.config.cpio`),
  };
}

/** The socket a VM's end of a cable binds; the other end sends to it. */
export function cableEnd(dir: string, link: string, host: string): string {
  return join(dir, `${link}.${host}.sock`);
}

export interface VmSpec {
  host: HostPlan;
  /** The VM at the other end of each cable, by link name. */
  peers: Record<string, string>;
  kernel: string;
  initrd: string;
  accel: Accel;
  dir: string;
  /** Extra kernel command line (webfarm.probe=1 for the KVM probe). */
  append?: string;
}

export function qemuArgs(spec: VmSpec): string[] {
  const p = vmPaths(spec.dir, spec.host.name);
  const args = [
    '-name', `webfarm-${spec.host.name}`,
    '-nodefaults', '-no-user-config', '-display', 'none', '-nic', 'none', '-no-reboot',
    '-machine', 'pc', '-accel', spec.accel, '-cpu', spec.accel === 'kvm' ? 'host' : 'max',
    '-smp', '1', '-m', String(spec.host.memoryMB),
    '-kernel', spec.kernel, '-initrd', spec.initrd,
    '-append', `console=ttyS0 quiet panic=-1 net.ifnames=0 ${spec.append ?? ''}`.trim(),
    // ttyS0: kernel messages to a log file; ttyS1: the control channel (agent.sh).
    '-chardev', `file,id=log,path=${p.log}`, '-serial', 'chardev:log',
    '-chardev', `socket,id=ctl,path=${p.console},server=on,wait=off`, '-serial', 'chardev:ctl',
    '-qmp', `unix:${p.qmp},server=on,wait=off`,
    '-fw_cfg', `name=opt/webfarm/config.cpio,file=${p.config}`,
  ];
  for (const nic of spec.host.nics) {
    const peer = spec.peers[nic.link]!;
    args.push(
      '-netdev', `dgram,id=nd-${nic.id},local.type=unix,local.path=${cableEnd(spec.dir, nic.link, spec.host.name)},remote.type=unix,remote.path=${cableEnd(spec.dir, nic.link, peer)}`,
      '-device', `virtio-net-pci,netdev=nd-${nic.id},id=${nic.id},mac=${nic.mac}`,
    );
  }
  return args;
}

/** Starts qemu; `detached` VMs outlive this process (lab up) and are found again by PID. */
export function startVm(qemu: string, spec: VmSpec, detached: boolean): number {
  const p = vmPaths(spec.dir, spec.host.name);
  const err = openSync(`${p.log}.qemu`, 'w');
  try {
    const child = spawn(qemu, qemuArgs(spec), { stdio: ['ignore', 'ignore', err], detached });
    if (detached) child.unref();
    child.on('error', () => { /* reported by the boot wait: the process is gone */ });
    if (child.pid === undefined) throw new Error(`qemu did not start for ${spec.host.name}`);
    return child.pid;
  } finally {
    closeSync(err);
  }
}
