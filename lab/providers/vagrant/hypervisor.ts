// Which of Vagrant's providers runs the VMs here (VirtualBox or libvirt), and the hypervisor's
// own command for a cable pull, which Vagrant has none of: VBoxManage controlvm … setlinkstateN,
// virsh domif-setlink. Vagrant keeps each VM's hypervisor id in
// .vagrant/machines/<host>/<provider>/id.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { LabError } from '../../errors.ts';
import type { HostName } from '../../topology.ts';
import type { VagrantNic } from './machines.ts';

export const HYPERVISORS = ['virtualbox', 'libvirt'] as const;
export type Hypervisor = (typeof HYPERVISORS)[number];

/** What this machine has, as unavailableReason and chooseHypervisor weigh it. */
export interface HostTools {
  vagrant: boolean;
  /** VBoxManage answers --version. */
  virtualbox: boolean;
  /** virsh is installed and Vagrant lists the vagrant-libvirt plugin. */
  libvirt: boolean;
  /** VAGRANT_DEFAULT_PROVIDER, if set. */
  requested?: string;
}

/** The hypervisor to use, or one sentence on what to install. */
export function chooseHypervisor(t: HostTools): { hypervisor: Hypervisor } | { missing: string } {
  if (!t.vagrant) {
    return { missing: 'Vagrant is not installed: install it (apt-get install vagrant on Debian 12, or from developer.hashicorp.com/vagrant) with VirtualBox or libvirt.' };
  }
  if (t.requested) {
    if (!(HYPERVISORS as readonly string[]).includes(t.requested)) {
      return { missing: `VAGRANT_DEFAULT_PROVIDER is "${t.requested}", and the lab drives only ${HYPERVISORS.join(' and ')} (it pulls cables with their own commands): unset it or choose one of those.` };
    }
    const h = t.requested as Hypervisor;
    if (!t[h]) return { missing: `VAGRANT_DEFAULT_PROVIDER asks for ${h}, which is not usable here: ${INSTALL[h]}` };
    return { hypervisor: h };
  }
  if (t.virtualbox) return { hypervisor: 'virtualbox' };
  if (t.libvirt) return { hypervisor: 'libvirt' };
  return { missing: 'Vagrant is installed, but neither VirtualBox nor libvirt is there to run its VMs: install VirtualBox (its VBoxManage command) from virtualbox.org, or libvirt with the vagrant-libvirt plugin (apt-get install libvirt-daemon-system libvirt-clients vagrant-libvirt).' };
}

const INSTALL: Record<Hypervisor, string> = {
  virtualbox: 'Install VirtualBox (its VBoxManage command) from virtualbox.org.',
  libvirt: 'Install libvirt and the vagrant-libvirt plugin (apt-get install libvirt-daemon-system libvirt-clients vagrant-libvirt, and add yourself to the libvirt group).',
};

const quiet = $({ nothrow: true, quiet: true, timeout: '60s' });

/** Looks at this machine: vagrant, VBoxManage, virsh and the vagrant-libvirt plugin. */
export async function hostTools(): Promise<HostTools> {
  const env = { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1' };
  const vagrant = (await quiet({ env })`vagrant --version`).exitCode === 0;
  const virtualbox = (await quiet`VBoxManage --version`).exitCode === 0;
  let libvirt = false;
  if (vagrant && (await quiet`virsh --version`).exitCode === 0) {
    libvirt = /^vagrant-libvirt\b/m.test((await quiet({ env })`vagrant plugin list`).stdout);
  }
  const requested = process.env.VAGRANT_DEFAULT_PROVIDER || undefined;
  return { vagrant, virtualbox, libvirt, ...(requested ? { requested } : {}) };
}

/** libvirt's connection: vagrant-libvirt's default, unless LIBVIRT_DEFAULT_URI says otherwise. */
export function libvirtUri(): string {
  return process.env.LIBVIRT_DEFAULT_URI || 'qemu:///system';
}

/** The command that sets the link state of one NIC of a VM (its hypervisor id). */
export function linkCommand(hypervisor: Hypervisor, vmId: string, nic: VagrantNic, up: boolean): string[] {
  if (hypervisor === 'virtualbox') return ['VBoxManage', 'controlvm', vmId, `setlinkstate${nic.adapter}`, up ? 'on' : 'off'];
  return ['virsh', '-c', libvirtUri(), 'domif-setlink', vmId, nic.mac, up ? 'up' : 'down'];
}

/** Vagrant's machine folder, where it keeps each VM's hypervisor id. */
export function machinesDir(repoRoot: string): string {
  return join(process.env.VAGRANT_DOTFILE_PATH || join(repoRoot, '.vagrant'), 'machines');
}

/** The hypervisor's id of `host`'s VM, as Vagrant recorded it. */
export function vmId(repoRoot: string, host: HostName, hypervisor: Hypervisor): string {
  const file = join(machinesDir(repoRoot), host, hypervisor, 'id');
  if (!existsSync(file)) throw new LabError(`Vagrant has no ${hypervisor} VM for ${host} (${file} is missing): is the farm up?`);
  return readFileSync(file, 'utf8').trim();
}
