// The lab's four VMs as one farm: boots them in parallel, waits until every console answers
// and every web server serves, and takes them all down again — killing only the qemu
// processes it started, by PID, and removing its sockets and folder. A farm started by
// `lab up` records itself in state.json so later commands (status, exec, down) find it.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cacheDir } from '../../paths.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../errors.ts';
import { cpio } from '../../image/cpio.ts';
import type { Image } from '../../image/build.ts';
import type { HostName, Plan } from '../../topology.ts';
import { HOSTS, peersOf } from '../../topology.ts';
import { Console } from './console.ts';
import { armWhenServing, probeWithScript, type BootOptions as ProviderBootOptions, type ExecOptions, type ExecResult, type FaultAction, type LabFarm } from '../provider.ts';
import { chooseAccel, findQemu } from './qemu.ts';
import { qmp } from './qmp.ts';
import { cableEnd, startVm, vmPaths, type Accel } from './vm.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface VmState {
  host: HostName;
  pid: number;
}

export interface FarmState {
  dir: string;
  /** true: the folder is the lab's own temp folder, removed with the farm. */
  ownsDir: boolean;
  scenario: string;
  accel: Accel;
  started: string;
  bootSeconds: number;
  vms: VmState[];
  plan: Plan;
}

const STATE_FILE = 'state.json';
/** Farms of this process not yet destroyed, taken down on exit and on Ctrl-C. */
const live = new Set<Farm>();

/** Whether `pid` is still the qemu we started for `host` (PIDs get reused). */
function isOurVm(pid: number, host: string, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(`webfarm-${host}`) && cmdline.includes(dir);
  } catch {
    return false;
  }
}

export interface BootOptions extends ProviderBootOptions {
  /** Keep the farm running after this process exits (lab up), in this folder. */
  persistentDir?: string;
  /** Seconds to wait for all four VMs; TCG on a busy machine needs headroom. */
  timeoutSeconds?: number;
}

export class Farm implements LabFarm {
  private readonly consoles = new Map<HostName, Console>();
  private destroyed = false;
  /** What the VMs were started with, to power one on again after a crash. */
  private boot?: { qemu: string; image: Image };

  private constructor(readonly state: FarmState) {}

  get dir(): string {
    return this.state.dir;
  }

  get plan(): Plan {
    return this.state.plan;
  }

  get describe(): string {
    return `qemu micro-VMs (${this.state.accel.toUpperCase()})`;
  }

  get bootSeconds(): number {
    return this.state.bootSeconds;
  }

  /** Boots the four hosts of `plan` in parallel and returns when all answer and serve. */
  static async boot(plan: Plan, image: Image, options: BootOptions = {}): Promise<Farm> {
    const qemu = await findQemu();
    const accel = await chooseAccel(qemu, image);
    let dir: string;
    if (options.persistentDir) {
      dir = options.persistentDir;
      const existing = Farm.load(dir);
      if (existing?.isRunning()) throw new LabError(`A lab farm is already up (scenario "${existing.state.scenario}"): run "npm run lab -- down" first.`);
      existing?.forget();
      mkdirSync(dir, { recursive: true });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'webfarm-'));
    }
    // Unix socket paths are limited to 107 bytes.
    if (vmPaths(dir, 'director').console.length > 100) {
      throw new LabError(`The lab's folder ${dir} is too deep for unix sockets (their paths are limited to about 100 characters): set WEBFARM_STATE_DIR to a shorter folder.`);
    }
    const farm = new Farm({
      dir, ownsDir: true, scenario: plan.scenario, accel, started: new Date().toISOString(), bootSeconds: 0, vms: [], plan,
    });
    live.add(farm);
    farm.boot = { qemu, image };
    try {
      for (const h of plan.hosts) {
        const files = [
          { kind: 'file' as const, path: 'etc/webfarm/farm.conf', data: Buffer.from(plan.farmConf) },
          { kind: 'file' as const, path: 'etc/webfarm/host.conf', data: Buffer.from(h.hostConf) },
        ];
        writeFileSync(vmPaths(dir, h.name).config, cpio([{ kind: 'dir', path: 'etc' }, { kind: 'dir', path: 'etc/webfarm' }, ...files]));
      }
      options.onProgress?.(`booting director, web1, web2 and client (${accel.toUpperCase()})…`);
      const started = performance.now();
      for (const h of plan.hosts) {
        const peers = peersOf(plan, h.name);
        // Only the client carries node (the open-loop load): its initramfs has a layer more.
        const initrd = h.role === 'client' ? image.clientInitrd : image.initrd;
        const pid = startVm(qemu, { host: h, peers, kernel: image.kernel, initrd, accel, dir }, !!options.persistentDir);
        farm.state.vms.push({ host: h.name, pid });
      }
      farm.save();
      const timeout = (options.timeoutSeconds ?? 120) * 1000;
      await Promise.all(farm.state.vms.map(async (vm) => {
        const c = new Console(vm.host, vmPaths(dir, vm.host).console);
        farm.consoles.set(vm.host, c);
        try {
          await c.open(timeout, () => isOurVm(vm.pid, vm.host, dir));
        } catch (e) {
          throw new LabError(`${(e as Error).message} ${farm.bootHint(vm.host)}`);
        }
      }));
      farm.state.bootSeconds = (performance.now() - started) / 1000;
      farm.save();
      options.onProgress?.(`four VMs ready in ${farm.state.bootSeconds.toFixed(1)} s; waiting for the web servers…`);
      await armWhenServing(farm, 20_000);
      // A farm started by lab up outlives this process: it is no longer ours to take down on exit.
      if (options.persistentDir) {
        farm.state.ownsDir = false;
        live.delete(farm);
        farm.detach();
      }
      farm.save();
      return farm;
    } catch (e) {
      const logs = farm.keepLogs();
      await farm.destroy();
      if (e instanceof LabError && logs) throw new LabError(`${e.message} The VMs' console logs are in ${logs}.`);
      throw e;
    }
  }

  /** The last lines of a VM's kernel log, for an error message. */
  private bootHint(host: HostName): string {
    const p = vmPaths(this.dir, host);
    const tail = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').slice(-3).join(' | ') : '');
    const why = tail(`${p.log}.qemu`) || tail(p.log);
    return why ? `Its last words: ${why}` : '';
  }

  /** Copies the VMs' console logs out of the folder about to be removed; returns where. */
  private keepLogs(): string | undefined {
    try {
      const to = join(cacheDir(), 'last-boot-logs');
      rmSync(to, { recursive: true, force: true });
      mkdirSync(to, { recursive: true });
      for (const f of readdirSync(this.dir)) if (f.endsWith('.log') || f.endsWith('.log.qemu')) copyFileSync(join(this.dir, f), join(to, f));
      return to;
    } catch {
      return undefined;
    }
  }

  /** A farm recorded in `dir` by lab up, or undefined. */
  static load(dir: string): Farm | undefined {
    const file = join(dir, STATE_FILE);
    if (!existsSync(file)) return undefined;
    return new Farm(JSON.parse(readFileSync(file, 'utf8')) as FarmState);
  }

  isRunning(): boolean {
    return this.state.vms.some((vm) => isOurVm(vm.pid, vm.host, this.dir));
  }

  private save(): void {
    writeFileSync(join(this.dir, STATE_FILE), JSON.stringify(this.state, null, 1));
  }

  /** Removes a stale record (its VMs are gone) and its sockets. */
  private forget(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async console(host: HostName): Promise<Console> {
    let c = this.consoles.get(host);
    if (!c) {
      const vm = this.state.vms.find((v) => v.host === host);
      if (!vm || !isOurVm(vm.pid, host, this.dir)) throw new LabError(`The ${host} VM is not running.`);
      c = new Console(host, vmPaths(this.dir, host).console);
      await c.open(10_000, () => isOurVm(vm.pid, host, this.dir));
      this.consoles.set(host, c);
    }
    return c;
  }

  async exec(host: HostName, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (!HOSTS.includes(host)) throw new LabError(`There is no host "${host}" in the lab: choose one of ${HOSTS.join(', ')}.`);
    const c = await this.console(host);
    if (options.check) return { stdout: await c.check(command, options.timeoutMs), stderr: '', code: 0 };
    return await c.exec(command, options.timeoutMs);
  }

  /** QMP on one VM: set_link (cable pull), quit (power off) and the like. */
  async qmp(host: HostName, execute: string, args?: Record<string, unknown>): Promise<unknown> {
    return await qmp(vmPaths(this.dir, host).qmp, execute, args);
  }

  /** The provider's faults: QMP quit / a fresh boot for power, QMP set_link on the web VM's one cable. */
  async fault(host: HostName, action: FaultAction): Promise<void> {
    if (action === 'power-off') return await this.powerOff(host);
    if (action === 'power-on') return await this.powerOn(host);
    const nic = this.state.plan.hosts.find((h) => h.name === host)?.nics;
    if (!nic || nic.length !== 1) throw new LabError(`Only a web VM's cable can be pulled in the lab, and ${host} has ${nic?.length ?? 0} cables.`);
    await this.qmp(host, 'set_link', { name: nic[0]!.id, up: action === 'link-up' });
  }

  async probe(): Promise<() => Promise<string>> {
    return await probeWithScript((h, c, o) => this.exec(h, c, o));
  }

  async teardown(): Promise<void> {
    await this.destroy();
  }

  /**
   * Powers a VM off at once, as a pulled power cord: QMP quit (qemu exits without a shutdown),
   * or a kill of that VM's own qemu PID if QMP does not answer. Returns when it is gone.
   */
  async powerOff(host: HostName): Promise<void> {
    const vm = this.state.vms.find((v) => v.host === host);
    if (!vm || !isOurVm(vm.pid, host, this.dir)) throw new LabError(`The ${host} VM is not running.`);
    this.consoles.get(host)?.close();
    this.consoles.delete(host);
    try {
      await this.qmp(host, 'quit');
    } catch {
      try { process.kill(vm.pid, 'SIGKILL'); } catch { /* gone already */ }
    }
    const deadline = Date.now() + 5000;
    while (isOurVm(vm.pid, host, this.dir)) {
      if (Date.now() > deadline) {
        try { process.kill(vm.pid, 'SIGKILL'); } catch { /* gone already */ }
      }
      await sleep(20);
    }
  }

  /** Boots a powered-off VM again with its cables where they were; returns when its console answers. */
  async powerOn(host: HostName, timeoutMs = 60_000): Promise<void> {
    const h = this.state.plan.hosts.find((x) => x.name === host)!;
    const vm = this.state.vms.find((v) => v.host === host)!;
    if (isOurVm(vm.pid, host, this.dir)) throw new LabError(`The ${host} VM is already running.`);
    if (!this.boot) throw new LabError(`This farm was not booted by this process, so it cannot power ${host} on again.`);
    const peers = peersOf(this.state.plan, host);
    // The old qemu's sockets are left behind; the new one binds the same paths.
    const p = vmPaths(this.dir, host);
    for (const f of [p.console, p.qmp, ...h.nics.map((n) => cableEnd(this.dir, n.link, host))]) rmSync(f, { force: true });
    const { qemu, image } = this.boot;
    const initrd = h.role === 'client' ? image.clientInitrd : image.initrd;
    vm.pid = startVm(qemu, { host: h, peers, kernel: image.kernel, initrd, accel: this.state.accel, dir: this.dir }, false);
    this.save();
    const c = new Console(host, p.console);
    this.consoles.set(host, c);
    await c.open(timeoutMs, () => isOurVm(vm.pid, host, this.dir));
  }

  /** Lets go of the consoles (the VMs keep running), so this process can end. */
  detach(): void {
    for (const c of this.consoles.values()) c.close();
    this.consoles.clear();
  }

  /** Kills this farm's VMs by PID, waits for them, removes sockets and the folder. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const c of this.consoles.values()) c.close();
    this.killAll();
    const deadline = Date.now() + 5000;
    while (this.isRunning() && Date.now() < deadline) await sleep(50);
    this.removeFiles();
    live.delete(this);
  }

  private killAll(): void {
    for (const vm of this.state.vms) {
      if (!isOurVm(vm.pid, vm.host, this.dir)) continue;
      try {
        process.kill(vm.pid, 'SIGKILL');
      } catch { /* already gone */ }
    }
  }

  private removeFiles(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous last resort on process exit: no waiting possible there. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.killAll();
    this.removeFiles();
    live.delete(this);
  }
}

/** Farms still booting or running in this process (not persistent ones) are taken down on exit. */
process.on('exit', () => {
  for (const f of [...live]) f.destroySync();
});

/** Takes down every farm this process is booting or running; for the CLI's Ctrl-C handler. */
export async function destroyLiveFarms(): Promise<void> {
  await Promise.all([...live].map((f) => f.destroy()));
}
