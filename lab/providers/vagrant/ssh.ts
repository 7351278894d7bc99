// Commands in the Vagrant VMs, as root, over the ssh settings `vagrant ssh-config` gives. This is
// what `vagrant ssh <host> -c 'sudo …'` does, without starting Vagrant's Ruby for every command
// (about two seconds each): one ssh master connection per VM, started here and ended here by
// PID, makes each command a round trip of a few milliseconds, which the failover replay needs
// to line the VMs' clocks up with ours.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { LabError } from '../../errors.ts';
import type { HostName } from '../../topology.ts';
import type { ExecResult } from '../provider.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** `vagrant ssh-config`'s output split into its "Host <name>" blocks. */
export function splitSshConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = () => { if (name) out.set(name, lines.join('\n').trimEnd() + '\n'); };
  for (const line of text.split('\n')) {
    const m = /^Host\s+(\S+)\s*$/.exec(line);
    if (m) {
      flush();
      name = m[1]!;
      lines = [line];
    } else if (name) lines.push(line);
  }
  flush();
  return out;
}

/** A string as one word for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What ssh runs in the VM for `command`: sh as root, from /root as on the micro-VMs. */
export function remoteCommand(command: string): string {
  return `sudo -n sh -c ${shellQuote(`cd /root 2>/dev/null; ${command}`)}`;
}

/** Processes this module started, ended on exit (they would outlive us otherwise). */
const masters = new Set<ChildProcess>();
process.on('exit', () => {
  for (const m of masters) try { m.kill(); } catch { /* gone */ }
});

export class SshHosts {
  /** Per host: its ssh_config file and control socket live here (a short path: sockets are limited to about 100 bytes). */
  private readonly dir = mkdtempSync(join(tmpdir(), 'webfarm-ssh-'));
  private readonly master = new Map<HostName, ChildProcess>();

  private config(host: HostName): string {
    return join(this.dir, `${host}.ssh_config`);
  }

  private socket(host: HostName): string {
    return join(this.dir, `${host}.sock`);
  }

  private options(host: HostName): string[] {
    return ['-F', this.config(host), '-o', `ControlPath=${this.socket(host)}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3'];
  }

  /** Takes `host`'s settings (a block of vagrant ssh-config) and opens its master connection. */
  async connect(host: HostName, configBlock: string): Promise<void> {
    this.disconnect(host);
    writeFileSync(this.config(host), configBlock);
    const child = spawn('ssh', [...this.options(host), '-M', '-N', '-o', 'ControlPersist=no', host], { stdio: 'ignore' });
    child.on('exit', () => { masters.delete(child); if (this.master.get(host) === child) this.master.delete(host); });
    masters.add(child);
    this.master.set(host, child);
    // Commands go straight to the VM until the socket is there, so this is only a wait for speed.
    for (let i = 0; i < 100 && !existsSync(this.socket(host)) && child.exitCode === null; i++) await sleep(100);
  }

  /** Ends `host`'s master connection (before its VM goes away, so no command waits on a dead link). */
  disconnect(host: HostName): void {
    const m = this.master.get(host);
    if (m) {
      m.kill();
      masters.delete(m);
      this.master.delete(host);
    }
    rmSync(this.socket(host), { force: true });
  }

  /** Ends `host`'s connection and drops its settings: its VM is off. */
  forget(host: HostName): void {
    this.disconnect(host);
    rmSync(this.config(host), { force: true });
  }

  async exec(host: HostName, command: string, timeoutMs = 60_000): Promise<ExecResult> {
    if (!existsSync(this.config(host))) throw new LabError(`The ${host} VM is not running.`);
    const r = await $({ nothrow: true, quiet: true, timeout: timeoutMs })`ssh ${[...this.options(host), '-o', 'ControlMaster=no', '-n', host, remoteCommand(command)]}`;
    if (r.signal) throw new LabError(`The command on ${host} did not finish within ${timeoutMs / 1000} s: ${command.slice(0, 80)}`);
    // 255 is ssh's own failure (no connection), not the command's.
    if (r.exitCode === 255 && !r.stdout) throw new LabError(`ssh to the ${host} VM failed${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').pop()}` : ''} (is it running?).`);
    return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode ?? -1 };
  }

  /** Ends every master connection and removes the folder. */
  close(): void {
    for (const h of [...this.master.keys()]) this.disconnect(h);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
