import { strict as assert } from 'node:assert';
import { timelineResult, type RequestRecord } from '../../lab/timeline.ts';
import { noFailures } from '../../reports/result.ts';

const servers = [{ site: 'bcn', name: 'web1' }, { site: 'bcn', name: 'web2' }];

/** 10 s at 10 requests/s; web1 "dies" at 5 s: its requests then time out after 2 s. */
function records(): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let seq = 0; seq < 100; seq++) {
    const sched = seq / 10;
    const server = seq % 2 === 0 ? 'web1' : 'web2';
    if (server === 'web1' && sched >= 5) out.push({ src: '10.1.0.1', seq, sched, start: sched, end: sched + 2, error: 'timeout' });
    else out.push({ src: '10.1.0.2', seq, sched, start: sched, end: sched + 0.01 * (1 + (seq % 5)), status: 200, server });
  }
  return out;
}

describe('lab timeline → Result', () => {
  it('accounts for every request: ok + failed by cause = sent, overall and per step', () => {
    const r = timelineResult(records(), { name: 't', seed: 1, duration: 10, warmup: 0, step: 1, servers, faults: [{ at: 5, host: 'web1', kind: 'crash', failed: noFailures() }] });
    assert.equal(r.source, 'lab');
    assert.equal(r.requests.sent, 100);
    const failed = Object.values(r.requests.failed).reduce((a, b) => a + b, 0);
    assert.equal(r.requests.ok + failed, 100);
    assert.equal(r.requests.failed.timeout, 25);
    assert.equal(r.faults![0]!.failed.timeout, 25);
    assert.equal(r.servers.find((s) => s.name === 'web1')!.ok, 25);
    assert.equal(r.servers.find((s) => s.name === 'web2')!.ok, 50);
    assert.deepEqual(r.series.columns.sent, new Array(10).fill(10));
    // Timeouts land in the step where the client gave up (2 s after sending).
    assert.equal(r.series.columns.timeout![6], 0);
    assert.equal(r.series.columns.timeout![7], 5);
    assert.equal(r.series.columns['ok bcn/web1']![6], 0);
    assert.ok(Math.abs(r.latency.max - 0.05) < 1e-4);
  });

  it('names non-2xx answers and unknown errors as the application\'s errors, and a host unreachable as such', () => {
    const r = timelineResult([
      { src: 'a', seq: 0, sched: 0, start: 0, end: 0.1, status: 503, server: 'web1' },
      { src: 'a', seq: 1, sched: 0.1, start: 0.1, end: 0.2, error: 'other' },
      { src: 'a', seq: 2, sched: 0.2, start: 0.2, end: 0.3, error: 'refused' },
      { src: 'a', seq: 3, sched: 0.3, start: 0.3, end: 0.4, error: 'unreachable' },
    ], { name: 't', seed: 1, duration: 1, warmup: 0, step: 1, servers });
    assert.deepEqual(r.requests.failed, { refused: 1, reset: 0, timeout: 0, unreachable: 1, noServer: 0, error: 2 });
    assert.deepEqual(r.series.columns.unreachable, [1]);
  });
});
