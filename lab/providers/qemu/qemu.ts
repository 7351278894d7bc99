// Finding qemu and choosing the accelerator: KVM when it really boots a guest here, else TCG.
// "Really boots" is decided by trying: a machine may have /dev/kvm and still not run a guest.
// The answer is kept in the cache (per qemu and kernel), so only the first run pays for it.

import { accessSync, constants, existsSync, readFileSync, writeFileSync, mkdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../errors.ts';
import { cacheDir } from '../../paths.ts';
import { run, which } from '../../run.ts';
import type { Image } from '../../image/build.ts';
import type { Accel } from './vm.ts';
import { qemuArgs, vmPaths } from './vm.ts';
import { spawn } from 'node:child_process';
import { cpio } from '../../image/cpio.ts';

export const QEMU = 'qemu-system-x86_64';

export async function findQemu(): Promise<string> {
  if (!(await which(QEMU))) {
    throw new LabError(`The lab needs qemu, and ${QEMU} is not installed: on Debian or Ubuntu run "apt-get install qemu-system-x86" (as root).`);
  }
  return QEMU;
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Boots the image once under KVM with webfarm.probe=1 (init answers and powers off at once). */
async function probeKvm(qemu: string, image: Image): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-kvm-'));
  try {
    const paths = vmPaths(dir, 'director');
    writeFileSync(paths.config, cpio([]));
    const args = qemuArgs({
      host: { name: 'director', role: 'director', memoryMB: 256, nics: [], hostConf: '' },
      peers: {}, kernel: image.kernel, initrd: image.initrd, accel: 'kvm', dir, append: 'webfarm.probe=1',
    });
    const child = spawn(qemu, args, { stdio: 'ignore' });
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(false); }, 10_000);
      child.on('exit', () => { clearTimeout(timer); resolve(true); });
      child.on('error', () => { clearTimeout(timer); resolve(false); });
    });
    const log = existsSync(paths.log) ? readFileSync(paths.log, 'utf8') : '';
    return exited && log.includes('WEBFARM-PROBE-OK');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** WEBFARM_ACCEL=kvm|tcg forces a choice; otherwise KVM if a probe boot works. */
export async function chooseAccel(qemu: string, image: Image): Promise<Accel> {
  const forced = process.env.WEBFARM_ACCEL;
  if (forced === 'kvm' || forced === 'tcg') return forced;
  if (!kvmUsable()) return 'tcg';
  const version = (await run(qemu, ['--version'])).stdout.split('\n')[0] ?? '';
  const key = `${version} | ${image.kernelVersion}`;
  const file = join(cacheDir(), 'accel.json');
  try {
    const known = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Accel>;
    if (known[key]) return known[key]!;
  } catch { /* not probed yet */ }
  const accel: Accel = (await probeKvm(qemu, image)) ? 'kvm' : 'tcg';
  mkdirSync(cacheDir(), { recursive: true });
  let known: Record<string, Accel> = {};
  try { known = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Accel>; } catch { /* first */ }
  known[key] = accel;
  writeFileSync(file, JSON.stringify(known, null, 1));
  return accel;
}
