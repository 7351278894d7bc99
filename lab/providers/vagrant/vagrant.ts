// The vagrant command, run with zx in the repository's top folder (where the Vagrantfile is),
// its failures turned into one LabError sentence, and its "==> host: …" lines passed on as
// progress.

import { spawnSync } from 'node:child_process';
import { $ } from 'zx';
import { LabError } from '../../errors.ts';
import { REPO_ROOT } from './machines.ts';

const env = () => ({ ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' });

export interface VagrantRun {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs `vagrant <args>`; a non-zero exit is a LabError quoting Vagrant's last words unless
 * `allowFail`. `onProgress` gets each "==> host: …" line as it comes (vagrant up takes minutes).
 */
export async function vagrant(args: string[], options: { onProgress?: (line: string) => void; allowFail?: boolean } = {}): Promise<VagrantRun> {
  const p = $({ cwd: REPO_ROOT, env: env(), nothrow: true, quiet: true })`vagrant ${args}`;
  if (options.onProgress) {
    for await (const line of p) if (/^==> /.test(line)) options.onProgress(line.slice(4).trim());
  }
  const r = await p;
  const out = { stdout: r.stdout, stderr: r.stderr, code: r.exitCode ?? -1 };
  if (out.code !== 0 && !options.allowFail) {
    const words = (out.stderr.trim() || out.stdout.trim()).split('\n').filter((l) => l.trim()).slice(-3).join(' ').replace(/\s+/g, ' ');
    throw new LabError(`vagrant ${args.join(' ')} failed (exit ${out.code})${words ? `: ${words.replace(/[.:]?$/, '.')}` : '.'}`);
  }
  return out;
}

/** `vagrant destroy -f`, synchronously: for a process that is exiting and cannot wait. */
export function destroySync(): void {
  spawnSync('vagrant', ['destroy', '-f'], { cwd: REPO_ROOT, env: env(), stdio: 'ignore', timeout: 300_000 });
}
