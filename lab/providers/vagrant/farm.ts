// The lab's farm as Vagrant VMs: `vagrant up` with the plan's files in .vagrant/webfarm/,
// commands over ssh as root, power faults with vagrant halt --force / vagrant up, cable pulls
// with the hypervisor's own command, and `vagrant destroy -f` at the end. One farm at a time:
// Vagrant keeps its machines per Vagrantfile.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { LabError } from '../../errors.ts';
import { HOSTS, type HostName, type Plan } from '../../topology.ts';
import { checked } from '../check.ts';
import { clientModuleFiles } from '../../image/node-modules.ts';
import { CLIENT_NODE_MODULES } from '../../image/packages.ts';
import { tar } from '../tar.ts';
import { armWhenServing, probeWithScript, type BootOptions, type ExecOptions, type ExecResult, type FaultAction, type LabFarm } from '../provider.ts';
import { linkCommand, machinesDir, vmId, type Hypervisor } from './hypervisor.ts';
import { CLIENT_MODULES_TAR, confFiles, GENERATED_DIR, REPO_ROOT, vagrantMachines, type VagrantMachine } from './machines.ts';
import { splitSshConfig, SshHosts } from './ssh.ts';
import { destroySync, vagrant } from './vagrant.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** Farms of this process not yet torn down: destroyed on exit, so no VM outlives the lab. */
const live = new Set<VagrantFarm>();
process.on('exit', () => {
  if (live.size > 0) destroySync();
});

/** The VMs Vagrant has created from this Vagrantfile (any provider), by host name. */
export function createdMachines(): string[] {
  const dir = machinesDir(REPO_ROOT);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((host) => readdirSync(join(dir, host)).some((p) => existsSync(join(dir, host, p, 'id'))));
}

export class VagrantFarm implements LabFarm {
  private readonly ssh = new SshHosts();
  private readonly machines: VagrantMachine[];
  private torn = false;
  bootSeconds = 0;

  private constructor(readonly plan: Plan, private readonly hypervisor: Hypervisor, private readonly box: string) {
    this.machines = vagrantMachines(plan);
  }

  get describe(): string {
    return `vagrant (${this.box}, ${this.hypervisor})`;
  }

  /** Creates, provisions and boots the four VMs; returns when every web server serves the director. */
  static async boot(plan: Plan, hypervisor: Hypervisor, options: BootOptions = {}): Promise<VagrantFarm> {
    const existing = createdMachines();
    if (existing.length > 0) {
      throw new LabError(`Vagrant already has VMs for this Vagrantfile (${existing.join(', ')}): take them down with "vagrant destroy -f" in ${REPO_ROOT} first.`);
    }
    const farm = new VagrantFarm(plan, hypervisor, process.env.WEBFARM_BOX || 'debian/bookworm64');
    live.add(farm);
    const say = options.onProgress ?? (() => {});
    const started = performance.now();
    try {
      rmSync(GENERATED_DIR, { recursive: true, force: true });
      mkdirSync(GENERATED_DIR, { recursive: true });
      for (const [file, text] of Object.entries(confFiles(plan))) writeFileSync(join(GENERATED_DIR, file), text);
      // The client's npm packages (autocannon), unpacked from / by provision.sh.
      writeFileSync(join(GENERATED_DIR, CLIENT_MODULES_TAR), tar(clientModuleFiles(CLIENT_NODE_MODULES.slice(1))));
      say(`vagrant up (${hypervisor}, ${farm.box}): four Debian VMs, provisioned and rebooted — minutes, not seconds…`);
      await vagrant(['up', `--provider=${hypervisor}`], { onProgress: say });
      const blocks = splitSshConfig((await vagrant(['ssh-config'])).stdout);
      for (const h of HOSTS) {
        const block = blocks.get(h);
        if (!block) throw new LabError(`vagrant ssh-config gave no settings for ${h}.`);
        await farm.ssh.connect(h, block);
      }
      await Promise.all(HOSTS.map((h) => farm.waitRole(h)));
      farm.bootSeconds = (performance.now() - started) / 1000;
      say(`four VMs up in ${farm.bootSeconds.toFixed(0)} s; waiting for the web servers…`);
      await armWhenServing(farm, 60_000);
      return farm;
    } catch (e) {
      await farm.teardown();
      throw e;
    }
  }

  async exec(host: HostName, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (!HOSTS.includes(host)) throw new LabError(`There is no host "${host}" in the lab: choose one of ${HOSTS.join(', ')}.`);
    const r = await this.ssh.exec(host, command, options.timeoutMs);
    return options.check ? checked(host, command, r) : r;
  }

  /** Power: vagrant halt --force (the VM's power cut) and vagrant up; cables: the hypervisor's link state. */
  async fault(host: HostName, action: FaultAction): Promise<void> {
    if (action === 'power-off') {
      this.ssh.forget(host);
      await vagrant(['halt', '--force', host]);
      return;
    }
    if (action === 'power-on') {
      // Already provisioned: vagrant up only boots it, and webfarm.service starts the role.
      await vagrant(['up', `--provider=${this.hypervisor}`, host]);
      const block = splitSshConfig((await vagrant(['ssh-config', host])).stdout).get(host);
      if (!block) throw new LabError(`vagrant ssh-config gave no settings for ${host}.`);
      await this.ssh.connect(host, block);
      await this.waitRole(host);
      return;
    }
    const nics = this.machines.find((m) => m.name === host)!.nics;
    if (nics.length !== 1) throw new LabError(`Only a web VM's cable can be pulled in the lab, and ${host} has ${nics.length} cables.`);
    const [cmd, ...args] = linkCommand(this.hypervisor, vmId(REPO_ROOT, host, this.hypervisor), nics[0]!, action === 'link-up');
    const r = await $({ nothrow: true, quiet: true, timeout: '30s' })`${cmd} ${args}`;
    if (r.exitCode !== 0) throw new LabError(`${cmd} could not ${action === 'link-up' ? 'plug in' : 'pull'} ${host}'s cable (exit ${r.exitCode}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
  }

  async probe(): Promise<() => Promise<string>> {
    return await probeWithScript((h, c, o) => this.exec(h, c, o));
  }

  /** vagrant destroy -f, then the generated files and the ssh connections go. Safe to call twice. */
  async teardown(): Promise<void> {
    if (this.torn) return;
    this.torn = true;
    this.ssh.close();
    try {
      await vagrant(['destroy', '-f']);
    } finally {
      rmSync(GENERATED_DIR, { recursive: true, force: true });
      live.delete(this);
    }
  }

  /** Waits for webfarm.service (net.sh and the role) to have run on `host`; its log if it failed. */
  private async waitRole(host: HostName, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.exec(host, 'systemctl is-active webfarm.service', { timeoutMs: 30_000 }).catch(() => undefined);
      const state = r?.stdout.trim();
      if (state === 'active') return;
      if (state === 'failed') {
        const log = await this.exec(host, 'journalctl -b -u webfarm-nics.service -u webfarm.service --no-pager -n 8 -o cat').catch(() => undefined);
        throw new LabError(`The lab's network or role did not start on the ${host} VM (webfarm.service failed)${log?.stdout.trim() ? `: ${log.stdout.trim().split('\n').join(' | ')}` : '.'}`);
      }
      if (Date.now() > deadline) throw new LabError(`webfarm.service on the ${host} VM was still "${state ?? 'unreachable'}" after ${timeoutMs / 1000} s.`);
      await sleep(1000);
    }
  }
}
