// A short failover on the real VMs with the corrected script: monit every second runs
// web_balancing_corrected.sh, which replaces the mark rule in place (no flush, so the director
// resets nothing) and sends traffic back when the server answers again. web1's nginx is
// stopped at 6 s and started again at 11 s under 50 requests/s for 18 s. One boot.

import assert from 'node:assert/strict';
import { runFailover, type FailoverRun } from '../../lab/failover.ts';
import type { Farm } from '../../lab/providers/qemu/farm.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { bootFarm, countBy, failoverText, sweep, web1AnsweredAfter } from './fixture.ts';

const RATE = 50;
const DURATION = 18;
const CYCLE = 1;
const TIMEOUT = 5;

const text = failoverText({ name: 'labcorrected', duration: DURATION, rate: RATE, cycle: CYCLE, timeout: TIMEOUT, action: 'corrected', stopAt: 6, recoverAt: 11 });

describe('lab: failover under load with the corrected script (monit 1 s, web1 stopped and back)', function () {
  this.timeout(180_000);
  let farm: Farm;
  let run: FailoverRun;

  before(async function () {
    farm = await bootFarm(text);
    run = await runFailover(farm, parseScenario(text, 'labcorrected.yaml'), { rate: RATE });
    const f = run.figures[0]!;
    console.log(`      web1 stopped at ${f.at.toFixed(2)} s, detected ${f.detection?.toFixed(2)} s later; failed: ${JSON.stringify(f.failed)}; reset by the director: ${f.resetByDirector}`);
  });
  after(async () => farm?.destroy());

  it('accounts for every request and detects the stop within cycle + timeout', () => {
    const r = run.result.requests;
    assert.equal(r.sent, RATE * DURATION);
    assert.equal(r.ok + Object.values(r.failed).reduce((a, b) => a + b, 0), r.sent);
    const f = run.figures[0]!;
    assert.ok(f.detection !== undefined && f.detection >= 0 && f.detection <= CYCLE + TIMEOUT, `detection ${f.detection}`);
  });

  it('replaces the mark in place: the director resets no client of web2', () => {
    assert.equal(run.figures[0]!.resetByDirector, 0);
  });

  it('serves the load from both servers again after the recovery', () => {
    // Each client address keeps a connection for 10 requests: those that reconnect after the
    // rule came back and hash to web1 land there.
    const back = web1AnsweredAfter(run, 11 + CYCLE + 1);
    assert.ok(back > 0, 'web1 answered none of the load after it came back');
  });

  it('marks VIP traffic for both servers again once web1 answers, and new connections reach both', async () => {
    assert.match(run.changes.at(-1)!.rules, /--set-xmark 0x1\//);
    const servers = countBy([...(await sweep(farm, 1, 64)).values()].map((s) => s[0]!));
    assert.ok((servers.get('web1') ?? 0) > 0 && (servers.get('web2') ?? 0) > 0, `new connections went to ${[...servers].join(' ')}`);
  });
});
