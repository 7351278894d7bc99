// The lab leaves nothing behind: a failed boot, a Ctrl-C during `lab up`, and `lab down`
// each end every qemu the lab started and remove its sockets and folders. `up` alone keeps
// the farm running, and status / exec find it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../lab/errors.ts';
import { buildImage } from '../../lab/image/build.ts';
import { Farm, type FarmState } from '../../lab/providers/qemu/farm.ts';
import { planFarm } from '../../lab/topology.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { scenarioText } from './fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu');
  } catch {
    return false;
  }
}

function webfarmTemps(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('webfarm-'));
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs lab/cli.ts with its own state folder; `onStart` may signal the child. */
function lab(stateDir: string, args: string[], onStart?: (pid: number) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lab/cli.ts', ...args], {
      cwd: ROOT, env: { ...process.env, WEBFARM_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart?.(child.pid!);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lab: cleanup', function () {
  this.timeout(180_000);
  const stateDir = mkdtempSync(join(tmpdir(), 'wf-state-'));
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it('a boot that fails (qemu cannot load the kernel) leaves no qemu and no folder', async () => {
    const before = webfarmTemps();
    const image = await buildImage();
    const saved = process.env.WEBFARM_ACCEL;
    process.env.WEBFARM_ACCEL = 'tcg';
    try {
      const plan = planFarm(parseScenario(scenarioText({ director: '{ scheduler: sh, forwarding: nat }', servers: '[{ name: web1 }, { name: web2 }]' }), 't.yaml'));
      await assert.rejects(Farm.boot(plan, { ...image, kernel: join(stateDir, 'no-such-vmlinuz') }, { timeoutSeconds: 30 }), LabError);
    } finally {
      if (saved === undefined) delete process.env.WEBFARM_ACCEL;
      else process.env.WEBFARM_ACCEL = saved;
    }
    assert.deepEqual(webfarmTemps(), before);
  });

  it('Ctrl-C during lab up stops the VMs it started and removes the farm folder', async () => {
    const dir = join(stateDir, 'interrupted');
    let pids: number[] = [];
    const r = await lab(dir, ['up'], (pid) => {
      void (async () => {
        // Interrupt once all four VMs have been started and recorded.
        for (let i = 0; i < 600; i++) {
          try {
            const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as FarmState;
            if (s.vms.length === 4) {
              pids = s.vms.map((v) => v.pid);
              process.kill(pid, 'SIGINT');
              return;
            }
          } catch { /* not yet written */ }
          await sleep(100);
        }
      })();
    });
    assert.equal(r.code, 130, r.stderr);
    assert.equal(pids.length, 4);
    for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    assert.deepEqual(pids.filter(alive), []);
    assert.equal(existsSync(dir), false);
  });

  it('lab up leaves the farm running; status and exec reach it; lab down removes it all', async () => {
    const dir = join(stateDir, 'up');
    const up = await lab(dir, ['up', 'failover']);
    assert.equal(up.code, 0, up.stderr);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as FarmState;
    const pids = state.vms.map((v) => v.pid);
    try {
      assert.deepEqual(pids.filter(alive), pids);
      const status = await lab(dir, ['status']);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /FWM 1 sh/);
      assert.match(status.stdout, /web1 10\.0\.1\.11:80\s+Masq/);
      const ex = await lab(dir, ['exec', 'director', 'echo from $(hostname); exit 3']);
      assert.equal(ex.code, 3);
      assert.equal(ex.stdout, 'from director\n');
      const bad = await lab(dir, ['exec', 'web9', 'true']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^lab: There is no host "web9"/);
    } finally {
      const down = await lab(dir, ['down']);
      assert.equal(down.code, 0, down.stderr);
    }
    for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    assert.deepEqual(pids.filter(alive), []);
    assert.equal(existsSync(dir), false);
    const again = await lab(dir, ['status']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /No lab farm is up/);
  });
});
