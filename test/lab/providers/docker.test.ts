// The Docker provider: what it would build and create, from a plan (the build context as a
// tar, the networks, the containers with their NICs and sysctls), how it tells that the
// engine's kernel lacks ip_vs; and, where an engine answers, a real farm booted, commanded,
// faulted and taken down. Without an engine that last block says so and is skipped.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LabError } from '../../../lab/errors.ts';
import { GUEST_DIR } from '../../../lab/image/build.ts';
import { dockerProvider } from '../../../lab/providers/docker/index.ts';
import { engineAddress, engineProblem, ipvsLoaded, IPVS_MISSING } from '../../../lab/providers/docker/engine.ts';
import type { DockerFarm } from '../../../lab/providers/docker/farm.ts';
import { buildContext, DOCKERFILE, imageTag } from '../../../lab/providers/docker/image.ts';
import { containerSpecs, FARM_LABEL, networkSpecs, sysctls } from '../../../lab/providers/docker/specs.ts';
import { tar } from '../../../lab/providers/tar.ts';
import { planFarm } from '../../../lab/topology.ts';
import { parseScenario } from '../../../scenarios/load.ts';
import { scenarioText } from '../fixture.ts';

const planOf = (director: string, servers = '[{ name: web1 }, { name: web2 }]') =>
  planFarm(parseScenario(scenarioText({ director, servers }), 'docker.yaml'));
const natPlan = () => planOf('{ scheduler: sh, forwarding: nat }');

/** `tar -tv` of an archive and its files' text, by GNU tar: the writer's output must read back. */
function readTar(archive: Buffer): { list: string; cat: (path: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'wf-tar-'));
  try {
    const file = join(dir, 'a.tar');
    writeFileSync(file, archive);
    const list = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const into = join(dir, 'x');
    mkdirSync(into);
    const x = spawnSync('tar', ['-xf', file, '-C', into], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    const files = new Map<string, string>();
    for (const f of readdirSync(into, { recursive: true, encoding: 'utf8' })) {
      if (statSync(join(into, f)).isFile()) files.set(f, readFileSync(join(into, f), 'utf8'));
    }
    return { list: list.stdout, cat: (path) => files.get(path) ?? assert.fail(`${path} is not in the archive`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('lab provider docker: tar', () => {
  it('writes files and folders that GNU tar lists and extracts, with their modes', () => {
    const big = Buffer.alloc(1300, 'x');
    const archive = tar([{ path: 'etc' }, { path: 'etc/a.sh', data: Buffer.from('#!/bin/sh\necho a\n'), mode: 0o755 }, { path: 'big', data: big }]);
    assert.equal(archive.length % 512, 0);
    const t = readTar(archive);
    assert.match(t.list, /^drwxr-xr-x root\/root\s+0 .* etc\/$/m);
    assert.match(t.list, /^-rwxr-xr-x root\/root\s+17 .* etc\/a\.sh$/m);
    assert.match(t.list, /^-rw-r--r-- root\/root\s+1300 .* big$/m);
    assert.equal(t.cat('etc/a.sh'), '#!/bin/sh\necho a\n');
    assert.equal(t.cat('big'), big.toString());
  });

  it('keeps a path longer than 100 bytes in the ustar prefix, and refuses one no header can hold', () => {
    const long = `${'d'.repeat(90)}/${'f'.repeat(90)}.js`;
    assert.equal(readTar(tar([{ path: long, data: Buffer.from('deep') }])).cat(long), 'deep');
    assert.throws(() => tar([{ path: 'x'.repeat(101), data: Buffer.alloc(1) }]), /does not fit a ustar header/);
  });

  it('gives the same bytes for the same files', () => {
    const files = () => [{ path: 'f', data: Buffer.from('same') }];
    assert.deepEqual(tar(files()), tar(files()));
  });
});

describe('lab provider docker: the image', () => {
  it('builds from Debian 12 with the lab\'s packages and every guest file', () => {
    assert.match(DOCKERFILE, /^FROM debian:bookworm$/m);
    for (const p of ['ipvsadm', 'iptables', 'monit', 'keepalived', 'nginx', 'netcat-openbsd', 'iproute2', 'nodejs', 'busybox', 'procps']) {
      assert.match(DOCKERFILE, new RegExp(`\\s${p}\\s`), `the image lacks ${p}`);
    }
    const entries = buildContext();
    const paths = entries.map((e) => e.path);
    assert.ok(paths.includes('Dockerfile'));
    for (const f of readdirSync(GUEST_DIR)) assert.ok(paths.includes(`guest/${f}`), `guest/${f} is not in the build context`);
    assert.ok(paths.includes('docker/boot.sh') && paths.includes('docker/sysctl.sh'));
    // The client's autocannon, where lab/guest/capacity.mjs requires it from.
    assert.ok(paths.includes('node_modules/autocannon/package.json'));
    assert.match(DOCKERFILE, /^COPY node_modules\/ \/usr\/lib\/webfarm\/node_modules\/$/m);
    const t = readTar(tar(entries));
    assert.match(t.list, /^-rwxr-xr-x .* guest\/net\.sh$/m);
    assert.match(t.list, /^-rw-r--r-- .* guest\/nginx\.conf$/m);
    assert.match(t.list, /^-rwxr-xr-x .* docker\/boot\.sh$/m);
    assert.equal(t.cat('guest/director.sh'), entries.find((e) => e.path === 'guest/director.sh')!.data!.toString());
  });

  it('is tagged by its context: the same files, the same tag', () => {
    const a = tar(buildContext());
    assert.match(imageTag(a), /^webfarm-lab:[0-9a-f]{16}$/);
    assert.equal(imageTag(a), imageTag(tar(buildContext())));
    assert.notEqual(imageTag(a), imageTag(tar([...buildContext(), { path: 'extra', data: Buffer.from('x') }])));
  });
});

describe('lab provider docker: networks and containers from a plan', () => {
  it('makes one labelled bridge network per cable, not internal', () => {
    const n = networkSpecs(natPlan(), 'abc123');
    assert.deepEqual(n.map((x) => x.create.Name), ['webfarm-abc123-front', 'webfarm-abc123-back1', 'webfarm-abc123-back2']);
    for (const x of n) {
      assert.equal(x.create.Driver, 'bridge');
      assert.equal(x.create.Internal, false);
      assert.equal(x.create.Labels?.[FARM_LABEL], 'abc123');
      // Docker picks a throwaway subnet: the lab's own addresses are net.sh's.
      assert.equal(x.create.IPAM, undefined);
    }
  });

  it('gives each container its NICs in the micro-VMs\' order, NET_ADMIN and a fresh /run and /tmp', () => {
    const plan = natPlan();
    const c = containerSpecs(plan, 'abc123', 'webfarm-lab:x');
    assert.deepEqual(c.map((s) => s.host), ['director', 'web1', 'web2', 'client']);
    const d = c[0]!;
    assert.deepEqual(d.nics.map((n) => [n.name, n.link]), [['eth0', 'front'], ['eth1', 'back1'], ['eth2', 'back2']]);
    assert.equal(d.create.name, 'webfarm-abc123-director');
    assert.equal(d.create.Hostname, 'director');
    assert.equal(d.create.Image, 'webfarm-lab:x');
    assert.equal(d.create.HostConfig?.NetworkMode, 'webfarm-abc123-front');
    assert.deepEqual(Object.keys(d.create.NetworkingConfig?.EndpointsConfig ?? {}), ['webfarm-abc123-front']);
    assert.deepEqual(d.create.HostConfig?.CapAdd, ['NET_ADMIN', 'NET_RAW']);
    assert.equal(d.create.HostConfig?.Init, true);
    assert.deepEqual(Object.keys(d.create.HostConfig?.Tmpfs ?? {}), ['/run', '/tmp']);
    assert.equal(d.nics[1]!.endpoint.DriverOpts?.['com.docker.network.endpoint.ifname'], 'eth1');
    assert.deepEqual(c[1]!.nics.map((n) => [n.name, n.link]), [['eth0', 'back1']]);
    assert.deepEqual(c[2]!.nics.map((n) => [n.name, n.link]), [['eth0', 'back2']]);
    assert.deepEqual(c[3]!.nics.map((n) => [n.name, n.link]), [['eth0', 'front']]);
    // net.sh bridges the director's back NICs by these names.
    assert.match(plan.hosts[0]!.hostConf, /^BACK_NICS="eth1 eth2"$/m);
  });

  it('sets at create the sysctls the guest scripts would write: forwarding on the director, quiet ARP on dr/tun real servers', () => {
    const nat = natPlan();
    assert.deepEqual(sysctls(nat, 'director'), { 'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.default.rp_filter': '0', 'net.ipv4.ip_forward': '1' });
    assert.equal(sysctls(nat, 'web1')['net.ipv4.conf.all.arp_ignore'], undefined);
    assert.equal(sysctls(nat, 'web1')['net.ipv4.ip_forward'], undefined);
    const dr = planOf('{ scheduler: rr, forwarding: dr }');
    assert.equal(sysctls(dr, 'web1')['net.ipv4.conf.all.arp_ignore'], '1');
    assert.equal(sysctls(dr, 'web2')['net.ipv4.conf.all.arp_announce'], '2');
    assert.equal(sysctls(dr, 'client')['net.ipv4.conf.all.arp_ignore'], undefined);
    const web = containerSpecs(dr, 'x', 'i')[1]!;
    assert.equal(web.nics[0]!.endpoint.DriverOpts?.['com.docker.network.endpoint.sysctls'], 'net.ipv4.conf.IFNAME.arp_ignore=1,net.ipv4.conf.IFNAME.arp_announce=2');
    assert.deepEqual(web.create.HostConfig?.Sysctls, sysctls(dr, 'web1'));
  });
});

describe('lab provider docker: the engine', () => {
  const modules = 'nf_conntrack 172032 3 nf_nat,xt_conntrack,ip_vs, Live 0x0000000000000000\n'
    + 'ip_vs_sh 12288 2 - Live 0x0000000000000000\n'
    + 'ip_vs 192512 4 ip_vs_sh, Live 0x0000000000000000\n';

  it('finds ip_vs in /proc/modules or /sys/module, and not a module merely named like it', () => {
    assert.equal(ipvsLoaded(false, modules), true);
    assert.equal(ipvsLoaded(true, undefined), true);
    assert.equal(ipvsLoaded(false, 'nf_conntrack 172032 0 - Live 0x0\nip_vs_sh 12288 0 - Live 0x0\n'), false);
    assert.equal(ipvsLoaded(false, undefined), false);
  });

  it('says how to load ip_vs, and where it looked for an engine', async () => {
    assert.match(IPVS_MISSING, /sudo modprobe ip_vs/);
    assert.equal(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }), 'tcp://127.0.0.1:2375');
    assert.equal(engineAddress({}, join(tmpdir(), 'no-such-home')), 'unix:///var/run/docker.sock');
    const nowhere = join(tmpdir(), `wf-no-engine-${process.pid}.sock`);
    const why = await engineProblem(new Docker({ socketPath: nowhere }), `unix://${nowhere}`);
    assert.match(why!, new RegExp(`^There is no Docker engine reachable at unix://${nowhere} \\(.*\\): start one`));
  });
});

describe('lab provider docker: a farm on the engine', function () {
  this.timeout(600_000);
  let farm: DockerFarm | undefined;

  before(async function () {
    const why = await dockerProvider.unavailable();
    if (why) {
      console.log(`      ${why.startsWith('There is no Docker engine') ? `no Docker engine reachable at ${engineAddress()}` : why}: Docker provider tests skipped`);
      this.skip();
    }
    farm = await dockerProvider.boot(natPlan()) as DockerFarm;
    console.log(`      (four containers ready in ${farm.bootSeconds.toFixed(1)} s)`);
  });
  after(async () => farm?.teardown());

  it('runs commands as root in each host and reports their exit code', async () => {
    const r = await farm!.exec('web1', 'echo "$(id -u) $(hostname)"; exit 3');
    assert.deepEqual(r, { stdout: '0 web1\n', stderr: '', code: 3 });
    await assert.rejects(farm!.exec('client', 'echo out; echo oops >&2; false', { check: true }), (e: Error) => e instanceof LabError && /oops/.test(e.message));
  });

  it('serves through the VIP, and a pulled cable cuts web1 off until it is plugged in again', async () => {
    assert.match((await farm!.exec('client', '/etc/webfarm/request.sh 10.200.0.1', { check: true })).stdout, /^web[12]\n$/);
    await farm!.fault('web1', 'link-down');
    assert.notEqual((await farm!.exec('director', '/bin/nc.openbsd -z -w 2 10.0.1.11 80')).code, 0);
    await farm!.fault('web1', 'link-up');
    assert.equal((await farm!.exec('director', '/bin/nc.openbsd -z -w 2 10.0.1.11 80')).code, 0);
  });

  it('powers web1 off (exec then fails) and on again, serving', async () => {
    await farm!.fault('web1', 'power-off');
    await assert.rejects(farm!.exec('web1', 'true'), /not running/);
    await farm!.fault('web1', 'power-on');
    assert.equal((await farm!.exec('director', '/bin/nc.openbsd -z -w 2 10.0.1.11 80')).code, 0);
  });

  it('teardown removes its containers and networks', async () => {
    const { containers, networks } = farm!.ids;
    await farm!.teardown();
    const docker = new Docker();
    for (const id of containers) await assert.rejects(docker.getContainer(id).inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
    for (const id of networks) await assert.rejects(docker.getNetwork(id).inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
  });
});
