// The control channel to one VM: the guest's agent.sh on its second serial port, reached
// through the unix socket qemu serves for that port. Commands go in one per line, answers
// come back between markers with stdout, stderr and the exit code (see lab/guest/agent.sh).

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { LabError } from '../../errors.ts';
import type { ExecResult } from '../provider.ts';
import { setTimeout as sleep } from 'node:timers/promises';

interface Pending {
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  out: string[];
  err: string[];
  section: 'none' | 'out' | 'err';
}

export class Console {
  private socket?: Socket;
  private buffer = '';
  private readonly pending = new Map<string, Pending>();
  private current?: Pending;
  private nextId = 1;
  /** Ids are unique per connection, so a late answer to an earlier client is never taken for ours. */
  private readonly tag = randomBytes(3).toString('hex');
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(readonly host: string, private readonly path: string) {}

  /** Connects (qemu creates the socket as it starts) and waits until the agent answers. */
  async open(timeoutMs: number, alive: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.socket) {
      try {
        this.socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(this.path, () => resolve(s));
          s.once('error', reject);
        });
      } catch {
        if (!alive()) throw new LabError(`The ${this.host} VM stopped before its console came up.`);
        if (Date.now() > deadline) throw new LabError(`The ${this.host} VM's console socket did not appear within ${timeoutMs / 1000} s.`);
        await sleep(50);
      }
    }
    this.socket.setEncoding('latin1');
    this.socket.on('data', (d: string) => this.onData(d));
    this.socket.on('error', () => { /* the close handler reports it */ });
    this.socket.on('close', () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new LabError(`The ${this.host} VM's console closed (the VM stopped).`));
      this.pending.clear();
    });
    // The agent may start before or after we connect: ping until one answer comes back.
    const ready = new Promise<void>((resolve, reject) => {
      let n = 0;
      const fail = (message: string) => { clearInterval(timer); reject(new LabError(message)); };
      const ping = () => {
        if (this.closed || !alive()) return fail(`The ${this.host} VM stopped while booting.`);
        if (Date.now() > deadline) return fail(`The ${this.host} VM did not answer on its console within ${timeoutMs / 1000} s (another lab command may be attached to it, or the VM hangs).`);
        const id = `p${this.tag}.${n++}`;
        this.pending.set(id, { resolve: () => { clearInterval(timer); resolve(); }, reject: (e) => { clearInterval(timer); reject(e); }, out: [], err: [], section: 'none' });
        this.socket!.write(`WF ${id} ${Buffer.from('true').toString('base64')}\n`);
      };
      const timer = setInterval(ping, 400);
      ping();
    });
    await ready;
    for (const id of [...this.pending.keys()]) if (id.startsWith('p')) this.pending.delete(id);
  }

  private onData(d: string): void {
    this.buffer += d;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const m = /^@@WF-(OUT|ERR|END) (\S+)(?: (\d+))?$/.exec(line);
    if (m) {
      const p = this.pending.get(m[2]!);
      if (!p) { this.current = undefined; return; }
      if (m[1] === 'OUT') { p.section = 'out'; this.current = p; }
      else if (m[1] === 'ERR') { p.section = 'err'; this.current = p; }
      else {
        this.pending.delete(m[2]!);
        this.current = undefined;
        const decode = (parts: string[]) => Buffer.from(parts.join(''), 'base64').toString('utf8');
        p.resolve({ stdout: decode(p.out), stderr: decode(p.err), code: Number(m[3]) });
      }
      return;
    }
    const p = this.current;
    if (p && /^[A-Za-z0-9+/=]*$/.test(line)) (p.section === 'out' ? p.out : p.err).push(line);
  }

  /** Runs a shell command in the guest; one at a time per VM, in order. */
  exec(command: string, timeoutMs = 60_000): Promise<ExecResult> {
    const run = async (): Promise<ExecResult> => {
      if (!this.socket || this.closed) throw new LabError(`The ${this.host} VM's console is not open (is the VM running?).`);
      const id = `${this.tag}.${this.nextId++}`;
      return await new Promise<ExecResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new LabError(`The command on ${this.host} did not finish within ${timeoutMs / 1000} s: ${command.slice(0, 80)}`));
        }, timeoutMs);
        this.pending.set(id, {
          resolve: (r) => { clearTimeout(timer); resolve(r); },
          reject: (e) => { clearTimeout(timer); reject(e); },
          out: [], err: [], section: 'none',
        });
        this.socket!.write(`WF ${id} ${Buffer.from(command, 'utf8').toString('base64')}\n`);
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Like exec, but a non-zero exit becomes a LabError quoting the guest's stderr. */
  async check(command: string, timeoutMs?: number): Promise<string> {
    const r = await this.exec(command, timeoutMs);
    if (r.code !== 0) {
      throw new LabError(`On ${this.host}, "${command.slice(0, 100)}" failed with exit code ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}.`);
    }
    return r.stdout;
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }
}
