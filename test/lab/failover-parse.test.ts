// The failover run's bookkeeping, without VMs: the director's probe log and the accounting
// check that turns any missing or doubled request into an error.

import assert from 'node:assert/strict';
import { account, probeBlocks } from '../../lab/figures.ts';
import { sourceRanges } from '../../lab/sources.ts';
import { LabError } from '../../lab/errors.ts';
import type { RequestRecord } from '../../lab/timeline.ts';

const rec = (seq: number, extra: Partial<RequestRecord> = {}): RequestRecord => ({ src: '10.200.0.1', seq, sched: seq / 10, start: seq / 10, end: seq / 10 + 0.01, status: 200, server: 'web1', ...extra });

describe('lab failover bookkeeping', () => {
  it("reads probe.sh's uptime-stamped blocks", () => {
    const log = '@change 12.34\n-P PREROUTING ACCEPT\n-A PREROUTING -d 192.0.2.10/32 -j MARK --set-xmark 0x1/0xffffffff\n@stats 12.50\nIP Virtual Server version 1.2.1\n@change 20.01\n-P PREROUTING ACCEPT\n';
    const blocks = probeBlocks(log);
    assert.deepEqual(blocks.map((b) => [b.kind, b.uptime]), [['change', 12.34], ['stats', 12.5], ['change', 20.01]]);
    assert.match(blocks[0]!.text, /set-xmark 0x1/);
    assert.equal(blocks[2]!.text, '-P PREROUTING ACCEPT');
  });

  it('accepts a log where ok + failed by cause = sent = scheduled', () => {
    const records = [rec(0), rec(1, { status: undefined, server: undefined, error: 'refused' }), rec(2)];
    account(records, { sent: 3, ok: 2, refused: 1, reset: 0, timeout: 0, unreachable: 0, other: 0, http: 0 }, 3);
  });

  it('refuses a missing, doubled or miscounted request', () => {
    const summary = { sent: 3, ok: 3, refused: 0, reset: 0, timeout: 0, unreachable: 0, other: 0, http: 0 };
    assert.throws(() => account([rec(0), rec(1)], summary, 3), (e: unknown) => e instanceof LabError && /2 requests, 3 were scheduled/.test(e.message));
    assert.throws(() => account([rec(0), rec(1), rec(1)], summary, 3), /appear twice/);
    assert.throws(() => account([rec(0), rec(1), rec(2)], { ...summary, ok: 2 }, 3), /ok 2 \+ failed 0 ≠ sent 3/);
  });

  it('writes --sources ranges per /24', () => {
    assert.equal(sourceRanges(['10.200.0.1', '10.200.0.2', '10.200.0.3', '10.200.1.1', '10.200.1.2', '10.200.2.7']), '10.200.0.1-3,10.200.1.1-2,10.200.2.7');
  });
});
