// exec's `check: true` for providers whose commands come back as a whole (ssh, docker exec):
// a non-zero exit becomes one LabError that quotes the command's last words, as the qemu
// console's check does.

import { LabError } from '../errors.ts';
import type { HostName } from '../topology.ts';
import type { ExecResult } from './provider.ts';

export function checked(host: HostName, command: string, r: ExecResult): ExecResult {
  if (r.code === 0) return { stdout: r.stdout, stderr: '', code: 0 };
  const words = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' ');
  throw new LabError(`On ${host}, "${command.slice(0, 100)}" failed with exit code ${r.code}${words ? `: ${words}` : ''}.`);
}
