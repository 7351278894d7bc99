// The lab's farm as Docker containers on the engine's kernel: one bridge network per cable,
// one container per host (NET_ADMIN, the sysctls the guest scripts need), booted by
// guest/boot.sh through docker exec. Power faults are a container kill and start, cable pulls
// a network disconnect and connect. Teardown removes the farm's containers and networks, by
// their ids; the image stays, as a cache.

import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type DockerModem from 'docker-modem';
import { LabError } from '../../errors.ts';
import { HOSTS, type HostName, type Plan } from '../../topology.ts';
import { checked } from '../check.ts';
import { armWhenServing, probeWithScript, type BootOptions, type ExecOptions, type ExecResult, type FaultAction, type LabFarm } from '../provider.ts';
import { IPVS_MISSING } from './engine.ts';
import { ensureImage } from './image.ts';
import { containerSpecs, networkSpecs, type ContainerSpec, type NicSpec } from './specs.ts';
import { tar } from '../tar.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;

export class DockerFarm implements LabFarm {
  readonly describe = 'docker';
  bootSeconds = 0;
  private readonly containers = new Map<HostName, Docker.Container>();
  private readonly networks = new Map<string, Docker.Network>();
  private readonly specs: ContainerSpec[];
  private torn = false;

  private constructor(private readonly docker: Docker, readonly plan: Plan, readonly farmId: string, image: string) {
    this.specs = containerSpecs(plan, farmId, image);
  }

  /** The ids of what this farm created, for a check that teardown removed them. */
  get ids(): { containers: string[]; networks: string[] } {
    return { containers: [...this.containers.values()].map((c) => c.id), networks: [...this.networks.values()].map((n) => n.id) };
  }

  static async boot(docker: Docker, plan: Plan, options: BootOptions = {}): Promise<DockerFarm> {
    const say = options.onProgress ?? (() => {});
    const image = await ensureImage(docker, say);
    const farm = new DockerFarm(docker, plan, randomBytes(3).toString('hex'), image);
    try {
      say(`docker: networks and containers of farm ${farm.farmId}…`);
      for (const n of networkSpecs(plan, farm.farmId)) farm.networks.set(n.link, await docker.createNetwork(n.create));
      const started = performance.now();
      for (const s of farm.specs) {
        const c = await docker.createContainer(s.create);
        farm.containers.set(s.host, c);
        for (const nic of s.nics.slice(1)) await farm.network(nic).connect({ Container: c.id, EndpointConfig: nic.endpoint });
        const h = plan.hosts.find((x) => x.name === s.host)!;
        await c.putArchive(tar([{ path: 'farm.conf', data: Buffer.from(plan.farmConf) }, { path: 'host.conf', data: Buffer.from(h.hostConf) }]), { path: '/etc/webfarm' });
      }
      await Promise.all([...farm.containers.values()].map((c) => c.start()));
      // The director's IPVS is the engine kernel's: without ip_vs, director.sh would fail obscurely.
      if ((await farm.exec('director', 'test -d /sys/module/ip_vs')).code !== 0) throw new LabError(IPVS_MISSING);
      if (plan.forwarding === 'tun' && (await farm.exec('director', 'test -d /sys/module/ipip')).code !== 0) {
        throw new LabError('Tunnelling needs the real servers\' tunl0, which the ipip module gives, and the Docker host has not loaded it: run "sudo modprobe ipip" there.');
      }
      await Promise.all(HOSTS.map((h) => farm.bootHost(h, 'start')));
      farm.bootSeconds = (performance.now() - started) / 1000;
      say(`four containers up in ${farm.bootSeconds.toFixed(1)} s; waiting for the web servers…`);
      await armWhenServing(farm, 30_000);
      return farm;
    } catch (e) {
      await farm.teardown();
      throw e;
    }
  }

  private container(host: HostName): Docker.Container {
    const c = this.containers.get(host);
    if (!c) throw new LabError(`There is no host "${host}" in the lab: choose one of ${HOSTS.join(', ')}.`);
    return c;
  }

  private network(nic: NicSpec): Docker.Network {
    return this.networks.get(nic.link)!;
  }

  private spec(host: HostName): ContainerSpec {
    return this.specs.find((s) => s.host === host)!;
  }

  /**
   * Runs guest/boot.sh with the MACs the engine gave `host`'s NICs (all of them on `start`,
   * `only` on `relink`), so it can name them as net.sh expects.
   */
  private async bootHost(host: HostName, mode: 'start' | 'relink', only?: NicSpec): Promise<void> {
    const attached = (await this.container(host).inspect()).NetworkSettings.Networks;
    const pairs = (only ? [only] : this.spec(host).nics).flatMap((nic) => {
      const mac = attached[nic.network]?.MacAddress;
      return mac ? [`${nic.name}=${mac}`] : [];
    });
    await this.exec(host, `/etc/webfarm/docker/boot.sh ${mode} ${pairs.join(' ')}`, { check: true, timeoutMs: 120_000 });
  }

  async exec(host: HostName, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const c = this.container(host);
    const timeoutMs = options.timeoutMs ?? 60_000;
    let ex: Docker.Exec;
    try {
      ex = await c.exec({ Cmd: ['sh', '-c', `cd /root 2>/dev/null; ${command}`], AttachStdout: true, AttachStderr: true, User: 'root' });
    } catch (e) {
      if (statusOf(e) === 409) throw new LabError(`The ${host} container is not running.`);
      throw e;
    }
    const stream = await ex.start({ hijack: true, stdin: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
    const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
    (this.docker.modem as DockerModem).demuxStream(stream, stdout, stderr);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        (stream as unknown as { destroy(): void }).destroy();
        reject(new LabError(`The command on ${host} did not finish within ${timeoutMs / 1000} s: ${command.slice(0, 80)}`));
      }, timeoutMs);
      const done = () => { clearTimeout(timer); resolve(); };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', (e: Error) => { clearTimeout(timer); reject(e); });
    });
    // The stream can end a moment before the engine records the exit code.
    let info = await ex.inspect();
    for (let i = 0; i < 50 && info.Running; i++) {
      await sleep(20);
      info = await ex.inspect();
    }
    const r = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: info.ExitCode ?? -1 };
    return options.check ? checked(host, command, r) : r;
  }

  /** Power: kill (SIGKILL, nothing shuts down) and start + boot.sh; cables: network disconnect and connect. */
  async fault(host: HostName, action: FaultAction): Promise<void> {
    const c = this.container(host);
    if (action === 'power-off') {
      try {
        await c.kill();
      } catch (e) {
        if (statusOf(e) === 409) throw new LabError(`The ${host} container is not running.`);
        throw e;
      }
      for (let i = 0; i < 250 && (await c.inspect()).State.Running; i++) await sleep(20);
      return;
    }
    if (action === 'power-on') {
      await c.start();
      await this.bootHost(host, 'start');
      return;
    }
    const nics = this.spec(host).nics;
    if (nics.length !== 1) throw new LabError(`Only a web host's cable can be pulled in the lab, and ${host} has ${nics.length} cables.`);
    const nic = nics[0]!;
    if (action === 'link-down') {
      await this.network(nic).disconnect({ Container: c.id, Force: true });
    } else {
      await this.network(nic).connect({ Container: c.id, EndpointConfig: nic.endpoint });
      await this.bootHost(host, 'relink', nic);
    }
  }

  async probe(): Promise<() => Promise<string>> {
    return await probeWithScript((h, c, o) => this.exec(h, c, o));
  }

  /** Removes the farm's containers, then its networks; what is already gone is fine. Safe to call twice. */
  async teardown(): Promise<void> {
    if (this.torn) return;
    this.torn = true;
    const gone = (e: unknown) => { if (statusOf(e) !== 404) throw e; };
    await Promise.all([...this.containers.values()].map((c) => c.remove({ force: true }).catch(gone)));
    await Promise.all([...this.networks.values()].map((n) => n.remove().catch(gone)));
  }
}
