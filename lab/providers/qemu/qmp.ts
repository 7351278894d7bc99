// QMP, qemu's machine protocol, on the VM's unix socket: set_link pulls or plugs a cable,
// quit powers the VM off at once. One short connection per command keeps no state around.

import { connect } from 'node:net';
import { LabError } from '../../errors.ts';

export async function qmp(path: string, execute: string, args?: Record<string, unknown>, timeoutMs = 5000): Promise<unknown> {
  return await new Promise((resolve, reject) => {
    const s = connect(path);
    let buffer = '';
    let step = 0;
    const timer = setTimeout(() => { s.destroy(); reject(new LabError(`qemu did not answer ${execute} on ${path} within ${timeoutMs / 1000} s.`)); }, timeoutMs);
    const done = (f: () => void) => { clearTimeout(timer); s.end(); f(); };
    s.setEncoding('utf8');
    s.on('error', (e) => done(() => reject(new LabError(`Cannot reach qemu's QMP socket ${path} (${(e as NodeJS.ErrnoException).code ?? e.message}); is the VM running?`))));
    s.on('data', (d: string) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buffer.slice(0, nl)) as { QMP?: unknown; return?: unknown; error?: { desc: string }; event?: string };
        buffer = buffer.slice(nl + 1);
        if (msg.event) continue;
        if (msg.QMP && step === 0) {
          step = 1;
          s.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        } else if (step === 1) {
          step = 2;
          s.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
        } else if (step === 2) {
          if (msg.error) done(() => reject(new LabError(`qemu refused ${execute}: ${msg.error!.desc}.`)));
          else done(() => resolve(msg.return));
        }
      }
    });
    // quit closes the socket before (or instead of) answering.
    s.on('close', () => { if (step === 2 && execute === 'quit') done(() => resolve(undefined)); });
  });
}
