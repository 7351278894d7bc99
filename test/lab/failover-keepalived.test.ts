// A short failover on the real VMs with keepalived's TCP_CHECK (tuned: delay_loop 1 s,
// connect_timeout 1 s, retry 1, delay_before_retry 0.5 s): web1's nginx is stopped at 6 s and
// started again at 11 s under 50 requests/s for 18 s. keepalived removes the real server from
// the IPVS service (ipvsadm -d) and adds it back once it answers. One boot.

import assert from 'node:assert/strict';
import { runFailover, type FailoverRun } from '../../lab/failover.ts';
import type { Farm } from '../../lab/providers/qemu/farm.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { bootFarm, countBy, failoverText, sweep, web1AnsweredAfter } from './fixture.ts';

const RATE = 50;
const DURATION = 18;
const RECOVER_AT = 11;
const [DELAY_LOOP, CONNECT_TIMEOUT, RETRY, DELAY_BEFORE_RETRY] = [1, 1, 1, 0.5];
/** keepalived notices a dead server at most this long after it dies. */
const BOUND = DELAY_LOOP + CONNECT_TIMEOUT + RETRY * (DELAY_BEFORE_RETRY + CONNECT_TIMEOUT);

const text = failoverText({
  name: 'labkeepalived', duration: DURATION, rate: RATE, cycle: 1, timeout: 1, action: 'deck', stopAt: 6, recoverAt: RECOVER_AT,
  healthcheck: `{ kind: keepalived, delay_loop: ${DELAY_LOOP}s, connect_timeout: ${CONNECT_TIMEOUT}s, retry: ${RETRY}, delay_before_retry: ${DELAY_BEFORE_RETRY}s }`,
});

describe('lab: failover under load with keepalived (TCP_CHECK, web1 stopped and back)', function () {
  this.timeout(180_000);
  let farm: Farm;
  let run: FailoverRun;

  before(async function () {
    farm = await bootFarm(text);
    run = await runFailover(farm, parseScenario(text, 'labkeepalived.yaml'), { rate: RATE });
    const f = run.figures[0]!;
    console.log(`      web1 stopped at ${f.at.toFixed(2)} s, detected ${f.detection?.toFixed(2)} s later (bound ${BOUND} s); failed: ${JSON.stringify(f.failed)}`);
  });
  after(async () => farm?.destroy());

  it('accounts for every request and takes web1 out within the check bound', () => {
    const r = run.result.requests;
    assert.equal(r.sent, RATE * DURATION);
    assert.equal(r.ok + Object.values(r.failed).reduce((a, b) => a + b, 0), r.sent);
    const f = run.figures[0]!;
    assert.ok(f.detection !== undefined && f.detection >= 0 && f.detection <= BOUND, `detection ${f.detection}`);
    // keepalived removed the real server: a rule change without web1's address in the service.
    const out = run.changes.find((c) => c.t >= f.at && c.t < RECOVER_AT);
    assert.ok(out && !/10\.0\.1\.11/.test(out.rules), `rules after the stop: ${out?.rules}`);
    assert.ok((run.result.checks ?? []).some((l) => /Removing service|TCP connection to .* failed/i.test(l.text)), 'keepalived logged the failure');
  });

  it('puts web1 back, and both servers serve the load and new connections again', async () => {
    const last = run.changes.at(-1)!;
    assert.ok(last.t >= RECOVER_AT && /10\.0\.1\.11/.test(last.rules), `last rules at ${last.t}: ${last.rules}`);
    assert.ok(web1AnsweredAfter(run, RECOVER_AT + BOUND) > 0, 'web1 answered none of the load after it came back');
    const servers = countBy([...(await sweep(farm, 1, 64)).values()].map((s) => s[0]!));
    assert.ok((servers.get('web1') ?? 0) > 0 && (servers.get('web2') ?? 0) > 0, `new connections went to ${[...servers].join(' ')}`);
  });
});
