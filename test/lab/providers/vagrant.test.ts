// The Vagrant provider without a hypervisor: the Vagrantfile passes `vagrant validate` with the
// committed defaults and with files the provider writes for another plan, refuses a broken
// WEBFARM_BOX or a missing folder in one clear sentence, and the plan maps to the machines,
// NICs, cable commands and ssh settings the provider uses. Booting the VMs is the contract
// test's part (test/lab/providers/contract.test.ts), where VirtualBox or libvirt is installed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFarm } from '../../../lab/topology.ts';
import { chooseHypervisor, linkCommand } from '../../../lab/providers/vagrant/hypervisor.ts';
import { tar } from '../../../lab/providers/tar.ts';
import { CLIENT_MODULES_TAR, confFiles, DEFAULTS_DIR, REPO_ROOT, UDP_BASE, vagrantMachines } from '../../../lab/providers/vagrant/machines.ts';
import { remoteCommand, splitSshConfig } from '../../../lab/providers/vagrant/ssh.ts';
import { loadScenario, parseScenario } from '../../../scenarios/load.ts';
import { scenarioText } from '../fixture.ts';

const failoverPlan = () => planFarm(loadScenario(join(REPO_ROOT, 'scenarios', 'failover.yaml')));
const fourServers = () => planFarm(parseScenario(scenarioText({
  director: '{ scheduler: wlc, forwarding: nat }',
  servers: '[{ name: a }, { name: b }, { name: c }, { name: d }]',
}), 'four.yaml'));

/** Runs vagrant in the repository with its state in a temporary folder (nothing left in .vagrant/). */
function vagrant(args: string[], env: Record<string, string> = {}) {
  const dot = mkdtempSync(join(tmpdir(), 'wf-vagrant-'));
  try {
    const r = spawnSync('vagrant', args, {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1', VAGRANT_DOTFILE_PATH: dot, WEBFARM_BOX: '', WEBFARM_VAGRANT_CONF: '', ...env },
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('vagrant is not installed, and these tests run `vagrant validate` on the Vagrantfile: install it (apt-get install vagrant on Debian 12).');
    }
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dot, { recursive: true, force: true });
  }
}

let ignoreProvider: string[] | undefined;
/** vagrant validate, with --ignore-provider where this vagrant has it (no hypervisor here to check against). */
function validate(env: Record<string, string> = {}) {
  ignoreProvider ??= /--ignore-provider/.test(vagrant(['validate', '--help']).out) ? ['--ignore-provider'] : [];
  return vagrant(['validate', ...ignoreProvider], env);
}

describe('lab provider vagrant: the Vagrantfile', function () {
  this.timeout(120_000);

  it('passes vagrant validate with the committed defaults', () => {
    const r = validate();
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Vagrantfile validated successfully/);
  });

  it('passes vagrant validate with the files the provider writes for another plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-vagrant-conf-'));
    try {
      for (const [f, text] of Object.entries(confFiles(fourServers()))) writeFileSync(join(dir, f), text);
      writeFileSync(join(dir, CLIENT_MODULES_TAR), tar([{ path: 'usr/lib/webfarm/node_modules/x/package.json', data: Buffer.from('{}') }]));
      const r = validate({ WEBFARM_VAGRANT_CONF: dir });
      assert.equal(r.code, 0, r.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a WEBFARM_BOX that is no box name, saying so', () => {
    const r = validate({ WEBFARM_BOX: 'debian bookworm; rm -rf /' });
    assert.notEqual(r.code, 0);
    assert.match(r.out, /WEBFARM_BOX="debian bookworm; rm -rf \/" is not a Vagrant box name \(like debian\/bookworm64/);
  });

  it('refuses a WEBFARM_VAGRANT_CONF folder without the lab\'s files, naming the file', () => {
    const r = validate({ WEBFARM_VAGRANT_CONF: '/nonexistent/webfarm' });
    assert.notEqual(r.code, 0);
    assert.match(r.out, /The lab's Vagrant files are missing: \/nonexistent\/webfarm\/machines\.json does not exist/);
  });
});

describe('lab provider vagrant: the plan as Vagrant machines', () => {
  it('the committed defaults are scenarios/failover.yaml\'s plan', () => {
    for (const [f, text] of Object.entries(confFiles(failoverPlan()))) {
      assert.equal(readFileSync(join(DEFAULTS_DIR, f), 'utf8'), text,
        `lab/providers/vagrant/defaults/${f} is out of date: write confFiles(planFarm(scenarios/failover.yaml)) there again`);
    }
  });

  it('gives each host its cables in the micro-VMs\' order and names, with the plan\'s MACs', () => {
    const plan = fourServers();
    const m = vagrantMachines(plan);
    assert.deepEqual(m.map((x) => x.name), ['director', 'web1', 'web2', 'client']);
    const director = m[0]!;
    assert.deepEqual(director.nics.map((n) => [n.name, n.link, n.adapter]), [['eth0', 'front', 2], ['eth1', 'back1', 3], ['eth2', 'back2', 4]]);
    assert.deepEqual(director.nics.map((n) => n.mac), plan.hosts[0]!.nics.map((n) => n.mac));
    for (const web of m.slice(1, 3)) assert.deepEqual(web.nics.map((n) => n.name), ['eth0']);
    assert.equal(m[3]!.nics[0]!.link, 'front');
    // host.conf's BACK_NICS names the director's back NICs as they will be called.
    assert.match(plan.hosts[0]!.hostConf, /^BACK_NICS="eth1 eth2"$/m);
    assert.ok(m.every((x) => x.memory >= 512 && x.cpus === 1));
  });

  it('wires each libvirt UDP tunnel end to the other end of the same cable', () => {
    const m = vagrantMachines(fourServers());
    const ends = m.flatMap((x) => x.nics.map((n) => ({ host: x.name, ...n })));
    const locals = ends.map((e) => e.udp.local);
    assert.equal(new Set(locals).size, locals.length, 'two ends share a local port');
    for (const e of ends) {
      const other = ends.find((o) => o.udp.local === e.udp.peer)!;
      assert.ok(other, `${e.host} ${e.name}: nothing listens on its peer port ${e.udp.peer}`);
      assert.equal(other.link, e.link);
      assert.notEqual(other.host, e.host);
      assert.equal(other.udp.peer, e.udp.local);
    }
    assert.ok(locals.every((p) => p > UDP_BASE && p <= UDP_BASE + 6));
  });

  it('writes farm.conf, one host.conf per host and machines.json', () => {
    const plan = fourServers();
    const files = confFiles(plan);
    assert.deepEqual(Object.keys(files).sort(), ['client.conf', 'director.conf', 'farm.conf', 'machines.json', 'web1.conf', 'web2.conf']);
    assert.equal(files['farm.conf'], plan.farmConf);
    assert.match(files['web1.conf']!, /^ADDRESSES="10\.0\.1\.11 10\.0\.1\.13"$/m);
    assert.match(files['web2.conf']!, /^ADDRESSES="10\.0\.1\.12 10\.0\.1\.14"$/m);
    const json = JSON.parse(files['machines.json']!) as { machines: unknown[] };
    assert.deepEqual(json.machines, vagrantMachines(plan));
  });
});

describe('lab provider vagrant: hypervisors, cables and ssh', () => {
  it('says what to install when vagrant or a hypervisor is missing', () => {
    const none = { vagrant: false, virtualbox: false, libvirt: false };
    assert.match((chooseHypervisor(none) as { missing: string }).missing, /^Vagrant is not installed: install it \(apt-get install vagrant/);
    assert.match((chooseHypervisor({ ...none, vagrant: true }) as { missing: string }).missing, /neither VirtualBox nor libvirt .*install VirtualBox .* or libvirt with the vagrant-libvirt plugin/);
    assert.deepEqual(chooseHypervisor({ vagrant: true, virtualbox: true, libvirt: true }), { hypervisor: 'virtualbox' });
    assert.deepEqual(chooseHypervisor({ vagrant: true, virtualbox: true, libvirt: true, requested: 'libvirt' }), { hypervisor: 'libvirt' });
    assert.match((chooseHypervisor({ vagrant: true, virtualbox: true, libvirt: false, requested: 'docker' }) as { missing: string }).missing, /VAGRANT_DEFAULT_PROVIDER is "docker"/);
  });

  it('pulls a web VM\'s cable with VBoxManage on its adapter, or virsh on its MAC', () => {
    const web1 = vagrantMachines(failoverPlan())[1]!.nics[0]!;
    assert.deepEqual(linkCommand('virtualbox', 'uuid-1', web1, false), ['VBoxManage', 'controlvm', 'uuid-1', 'setlinkstate2', 'off']);
    assert.deepEqual(linkCommand('virtualbox', 'uuid-1', web1, true), ['VBoxManage', 'controlvm', 'uuid-1', 'setlinkstate2', 'on']);
    const virsh = linkCommand('libvirt', 'uuid-2', web1, false);
    assert.deepEqual([virsh[0], ...virsh.slice(3)], ['virsh', 'domif-setlink', 'uuid-2', '52:54:00:0f:02:00', 'down']);
  });

  it('splits vagrant ssh-config into one block per host', () => {
    const text = 'Host director\n  HostName 127.0.0.1\n  Port 2222\n\nHost web1\n  HostName 127.0.0.1\n  Port 2200\n';
    const blocks = splitSshConfig(text);
    assert.deepEqual([...blocks.keys()], ['director', 'web1']);
    assert.equal(blocks.get('web1'), 'Host web1\n  HostName 127.0.0.1\n  Port 2200\n');
  });

  it('runs a command as root through one quoted word, quotes and all', () => {
    assert.equal(remoteCommand("echo 'a b' $X"), `sudo -n sh -c 'cd /root 2>/dev/null; echo '\\''a b'\\'' $X'`);
    const r = spawnSync('sh', ['-c', remoteCommand("echo 'a b' \"$0\"").replace(/^sudo -n /, '')], { encoding: 'utf8' });
    assert.equal(r.stdout, 'a b sh\n');
  });
});
