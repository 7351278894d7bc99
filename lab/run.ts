// Running host tools (apt-get, dpkg-deb, readelf) with their output captured, turning a missing
// tool or a failure into one LabError sentence.

import { spawn } from 'node:child_process';
import { LabError } from './errors.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function run(cmd: string, args: string[], options: { cwd?: string; allowFail?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new LabError(`${cmd} was not found on this machine.`) : e);
    });
    child.on('close', (code) => {
      const r = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (r.code !== 0 && !options.allowFail) {
        const last = r.stderr.trim().split('\n').slice(-2).join(' ').trim();
        reject(new LabError(`${cmd} ${args.slice(0, 3).join(' ')}${args.length > 3 ? ' …' : ''} failed (exit ${r.code})${last ? `: ${last}` : ''}.`));
      } else resolve(r);
    });
  });
}

/** Whether an executable is on PATH (no shell involved). */
export async function which(cmd: string): Promise<boolean> {
  const { access, constants } = await import('node:fs/promises');
  const { delimiter, join } = await import('node:path');
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, cmd), constants.X_OK);
      return true;
    } catch { /* next */ }
  }
  return false;
}
