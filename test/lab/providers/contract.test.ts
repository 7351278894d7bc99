// The lab provider interface's contract (lab/providers/provider.ts), for every provider that
// can run on this machine: one farm of the deck's two servers (sh, masquerading) booted per
// provider, then exec and its check, the director's IPVS table, an answer through the VIP,
// web1's cable pulled and plugged in, web1 powered off and on, the director's probes, and a
// teardown that leaves nothing running. A provider that cannot run here is reported as
// skipped, with its reason.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { LabError } from '../../../lab/errors.ts';
import { DockerFarm } from '../../../lab/providers/docker/farm.ts';
import { PROVIDER_NAMES, provider } from '../../../lab/providers/index.ts';
import type { LabFarm } from '../../../lab/providers/provider.ts';
import { Farm } from '../../../lab/providers/qemu/farm.ts';
import { createdMachines, VagrantFarm } from '../../../lab/providers/vagrant/farm.ts';
import { planFarm } from '../../../lab/topology.ts';
import { parseScenario } from '../../../scenarios/load.ts';
import { scenarioText } from '../fixture.ts';

const plan = () => planFarm(parseScenario(scenarioText({
  director: '{ scheduler: sh, forwarding: nat }',
  servers: '[{ name: web1 }, { name: web2 }]',
}), 'contract.yaml'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reachWeb1 = '/bin/nc.openbsd -z -w 2 10.0.1.11 80';

/** Waits until `check` holds, or fails saying what did not happen. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

function qemuAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu');
  } catch {
    return false;
  }
}

/** What a torn-down farm still has running, in the provider's own terms. */
async function leftovers(farm: LabFarm): Promise<string[]> {
  if (farm instanceof Farm) return farm.state.vms.filter((vm) => qemuAlive(vm.pid)).map((vm) => `qemu of ${vm.host} (PID ${vm.pid})`);
  if (farm instanceof DockerFarm) {
    const docker = new Docker();
    const left: string[] = [];
    const exists = (p: Promise<unknown>) => p.then(() => true, (e: { statusCode?: number }) => e.statusCode !== 404);
    for (const id of farm.ids.containers) if (await exists(docker.getContainer(id).inspect())) left.push(`container ${id.slice(0, 12)}`);
    for (const id of farm.ids.networks) if (await exists(docker.getNetwork(id).inspect())) left.push(`network ${id.slice(0, 12)}`);
    return left;
  }
  if (farm instanceof VagrantFarm) return createdMachines().map((h) => `Vagrant VM ${h}`);
  return [];
}

for (const name of PROVIDER_NAMES) {
  describe(`lab provider contract: ${name}`, function () {
    // Vagrant creates, provisions and reboots four whole VMs.
    const slow = name === 'vagrant';
    this.timeout(slow ? 3_600_000 : 300_000);
    const settle = slow ? 300_000 : 60_000;
    let farm: LabFarm | undefined;

    before(async function () {
      const p = await provider(name);
      const why = await p.unavailable();
      if (why) {
        console.log(`      ${name} provider skipped: ${why}`);
        this.skip();
      }
      farm = await p.boot(plan());
      console.log(`      (${farm.describe}: four hosts up in ${farm.bootSeconds.toFixed(1)} s)`);
    });
    after(async () => farm?.teardown());

    it('exec returns stdout, stderr and the exit code', async () => {
      const r = await farm!.exec('director', 'echo hello; echo warning >&2; exit 3');
      assert.equal(r.stdout, 'hello\n');
      assert.match(r.stderr, /warning/);
      assert.equal(r.code, 3);
    });

    it('exec with check returns stdout, and throws a LabError with the output when the command fails', async () => {
      assert.deepEqual(await farm!.exec('web1', 'echo fine', { check: true }), { stdout: 'fine\n', stderr: '', code: 0 });
      await assert.rejects(farm!.exec('web1', 'echo broken >&2; exit 4', { check: true }),
        (e: Error) => e instanceof LabError && /broken/.test(e.message) && /exit code 4/.test(e.message));
    });

    it('the director shows the IPVS service with both real servers', async () => {
      const t = (await farm!.exec('director', 'ipvsadm -Ln', { check: true })).stdout;
      assert.match(t, /FWM\s+1\s|TCP\s+192\.0\.2\.10:80\s/);
      assert.match(t, /10\.0\.1\.11:80\s+Masq/);
      assert.match(t, /10\.0\.1\.12:80\s+Masq/);
    });

    it('the client gets an answer through the VIP from every address it asks from', async () => {
      const lines = (await farm!.exec('client', '/etc/webfarm/sweep.sh 1 8', { check: true, timeoutMs: 60_000 })).stdout.trim().split('\n');
      assert.equal(lines.length, 8);
      for (const l of lines) assert.match(l, /^10\.200\.0\.\d+ web[12]$/);
    });

    it('link-down cuts web1 off the director, and link-up connects it again', async () => {
      assert.equal((await farm!.exec('director', reachWeb1)).code, 0, 'web1 does not answer the director to begin with');
      await farm!.fault('web1', 'link-down');
      assert.notEqual((await farm!.exec('director', reachWeb1)).code, 0, 'web1 still answers with its cable pulled');
      await farm!.fault('web1', 'link-up');
      await until('web1 did not answer the director again after link-up', async () => (await farm!.exec('director', reachWeb1)).code === 0, settle);
    });

    it('power-off takes web1 away, and power-on brings it back serving', async () => {
      await farm!.fault('web1', 'power-off');
      assert.notEqual((await farm!.exec('director', reachWeb1)).code, 0, 'web1 still answers when powered off');
      await farm!.fault('web1', 'power-on');
      await until('web1 did not serve again after power-on', async () => (await farm!.exec('director', reachWeb1)).code === 0, settle);
      assert.equal((await farm!.exec('web1', 'hostname', { check: true })).stdout.trim(), 'web1');
    });

    it('probe() returns the director\'s log with @stats blocks', async () => {
      const stop = await farm!.probe();
      await sleep(1500);
      const log = await stop();
      assert.match(log, /^@stats \d+(\.\d+)?$/m);
      assert.match(log, /^@change \d+(\.\d+)?$/m);
    });

    it('teardown leaves nothing running', async () => {
      const f = farm!;
      await f.teardown();
      assert.deepEqual(await leftovers(f), []);
      await assert.rejects(f.exec('director', 'true'));
    });
  });
}
