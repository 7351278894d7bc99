// Faults, health checks, retries, sessions and shared data, checked against what can be
// computed: the checkers' timing formulas, the kernel's sh table, the staleness of copies.

import { strict as assert } from 'node:assert';
import { parseScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/run.ts';
import { failedTotal, type Result } from '../../reports/result.ts';
import { Director } from '../../sim/model/director.ts';
import { RealServer } from '../../sim/model/real-server.ts';
import { createScheduler, shBucket, shBucketTable } from '../../sim/model/schedulers/index.ts';
import { clientAddressNumber } from '../../scenarios/addresses.ts';
import { EventQueue } from '../../sim/engine/event-queue.ts';
import { FcfsStation } from '../../sim/engine/station.ts';

const TWO = `name: two
seed: 1
duration: 60s
clients: { addresses: 64, connect_timeout: 3s, timeout: 10s }
workload:
  arrivals: poisson 20/s
  cpu: exponential 5ms
  response: 10KB
sites:
  - name: bcn
    director: { scheduler: sh, forwarding: nat }
    servers: [ { name: web1 }, { name: web2 } ]
faults:
  - { at: 20s, host: web1, kind: crash }
`;

function run(text: string, set: string[] = []): Result {
  return simulate(parseScenario(text, 'two.yaml', { set }));
}

function accounted(r: Result): void {
  assert.equal(r.requests.ok + failedTotal(r.requests.failed), r.requests.sent, 'every request ends ok or failed by one cause');
}

/** Kolmogorov–Smirnov distance between a sample and the uniform law on [lo, hi]. */
function ksUniform(xs: number[], lo: number, hi: number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = (x - lo) / (hi - lo);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  });
  return d;
}

describe('failures and health checks', function () {
  this.timeout(120_000);

  it('monit detects a crash one cycle-phase plus the connect timeout later, uniformly over the cycle', () => {
    const detections: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const r = run(TWO, [`seed=${seed}`, 'healthcheck={kind: monit, cycle: 4s, timeout: 5s}', 'workload.arrivals=poisson 2/s', 'duration=40s']);
      accounted(r);
      detections.push(r.faults![0]!.detection!);
    }
    for (const d of detections) assert.ok(d >= 5 && d <= 9 + 1e-9, `detection ${d} outside [timeout, cycle + timeout]`);
    const ks = ksUniform(detections, 5, 9);
    assert.ok(ks < 1.63 / Math.sqrt(detections.length), `KS distance ${ks.toFixed(3)} rejects uniform on [5s, 9s] at 1%`);
  });

  it('keepalived detects within delay_loop + connect_timeout + retry × (delay_before_retry + connect_timeout)', () => {
    const hc = { delay_loop: 6, connect_timeout: 5, retry: 1, delay_before_retry: 1 };
    const worst = hc.delay_loop + hc.connect_timeout + hc.retry * (hc.delay_before_retry + hc.connect_timeout);
    const best = hc.connect_timeout + hc.retry * (hc.delay_before_retry + hc.connect_timeout);
    const ds: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const r = run(TWO, [`seed=${seed}`, 'healthcheck={kind: keepalived, delay_loop: 6s}', 'workload.arrivals=poisson 2/s']);
      ds.push(r.faults![0]!.detection!);
      assert.equal(r.faults![0]!.movedAt, r.faults![0]!.detectedAt, 'the real server leaves the service when detected');
    }
    for (const d of ds) assert.ok(d >= best - 1e-9 && d <= worst + 1e-9, `detection ${d} outside [${best}, ${worst}]`);
    assert.ok(ksUniform(ds, best, worst) < 1.63 / Math.sqrt(ds.length), 'spread uniformly over one delay_loop');
  });

  it('keepalived\'s first check of a server does not retry: a crash before it is found connect_timeout after that check', () => {
    // delay_loop 60 s and a crash at 20 s: in two runs of three the first check comes after the crash.
    const [ct, loop, retry, dbr, crash] = [5, 60, 1, 1, 20];
    const withRetries = ct + retry * (dbr + ct);
    let first = 0;
    let belowRetries = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const d = run(TWO, [`seed=${seed}`, 'healthcheck={kind: keepalived}', 'duration=120s', 'workload.arrivals=poisson 2/s']).faults![0]!.detection!;
      const firstCheck = d >= ct - 1e-9 && d <= loop - crash + ct + 1e-9;
      const later = d >= loop - crash + withRetries - 1e-9 && d <= loop + withRetries + 1e-9;
      assert.ok(firstCheck || later, `detection ${d}: neither a first check after the crash (${ct}–${loop - crash + ct} s) nor a later one with its retry (${loop - crash + withRetries}–${loop + withRetries} s)`);
      if (firstCheck) first++;
      if (d < withRetries) belowRetries++;
    }
    assert.ok(first >= 18 && first <= 36, `${first} of 40 found by a first check (expected about 27)`);
    assert.ok(belowRetries > 0, `no detection under ${withRetries} s: the first check retried`);
  });

  it('fails requests by the fault\'s cause: a crash times out, a stopped service refuses', () => {
    const crash = run(TWO, ['workload.arrivals=poisson 50/s']);
    accounted(crash);
    assert.ok(crash.requests.failed.timeout > 100, `crash timeouts ${crash.requests.failed.timeout}`);
    assert.equal(crash.requests.failed.refused, 0);
    const stop = run(TWO, ['workload.arrivals=poisson 50/s', 'faults[0].kind=stop']);
    accounted(stop);
    assert.ok(stop.requests.failed.refused > 100, `stop refusals ${stop.requests.failed.refused}`);
    assert.equal(stop.requests.failed.timeout, 0);
    // Without a health check the director keeps sending web1's share there: about half fail.
    const share = stop.requests.failed.refused / (stop.requests.sent * 40 / 60);
    assert.ok(share > 0.35 && share < 0.65, `share refused after the stop ${share}`);
  });

  it('moves traffic with monit: the deck leaves it on the survivor, the corrected script brings it back', () => {
    const base = ['healthcheck={kind: monit, cycle: 1s}', 'faults[1]={at: 30s, host: web1, kind: recover}', 'workload.arrivals=poisson 50/s'];
    const deck = run(TWO, base);
    const fixed = run(TWO, [...base, 'healthcheck.action=corrected']);
    accounted(deck);
    accounted(fixed);
    const web1 = (r: Result) => r.series.columns['ok bcn/web1']!.slice(45, 60).reduce((a, b) => a + b, 0);
    assert.equal(web1(deck), 0, 'the deck\'s script has no way back');
    assert.ok(web1(fixed) > 200, `corrected: web1 answers again after recovery (${web1(fixed)})`);
    // The deck's flush-then-re-add gap resets SYNs (connect refused) every cycle while web1 is down; the corrected one never.
    assert.ok(deck.requests.failed.refused > 0, 'the deck refuses some connections');
    assert.equal(fixed.requests.failed.refused, 0);
  });

  it('counts the client addresses a fault moved: web1\'s sh clients, then web2\'s, which add up to all 64', () => {
    // 200/s over 64 addresses: every address sends within any second, so every move is seen.
    const base = ['healthcheck={kind: monit, cycle: 1s}', 'faults[1]={at: 30s, host: web1, kind: recover}', 'workload.arrivals=poisson 200/s'];
    const deck = run(TWO, base);
    const web1Clients = deck.faults![0]!.movedClients!;
    assert.ok(web1Clients > 16 && web1Clients < 48, `about half of 64 addresses hash to web1: ${web1Clients}`);
    assert.equal(deck.faults![1]!.movedClients, undefined, 'a recovery moves nobody by itself');
    // The corrected script puts web1 back and its clients with it; when web2 then stops, its own move.
    const fixed = run(TWO, [...base, 'healthcheck.action=corrected', 'faults[2]={at: 45s, host: web2, kind: stop}']);
    assert.equal(fixed.faults![0]!.movedClients, web1Clients);
    assert.equal(fixed.faults![2]!.movedClients, 64 - web1Clients);
  });

  it('retries a refused connection elsewhere', () => {
    const text = TWO.replace('scheduler: sh', 'scheduler: rr');
    const none = run(text, ['faults[0].kind=stop', 'workload.arrivals=poisson 50/s']);
    const once = run(text, ['faults[0].kind=stop', 'workload.arrivals=poisson 50/s', 'clients.retries=1']);
    accounted(once);
    assert.ok(none.requests.failed.refused > 500);
    // rr alternates, so the retry lands on web2 (almost always: other requests interleave).
    assert.ok(once.requests.failed.refused < 0.1 * none.requests.failed.refused, `refused with a retry ${once.requests.failed.refused}`);
    assert.ok(once.retries! > 500);
  });

  it('a standby director takes over 3 × advert_int + skew after the director dies', () => {
    const r = run(TWO.replace('{ scheduler: sh, forwarding: nat }', '{ scheduler: sh, forwarding: nat, standby: { advert_int: 1s, priority: 100 } }'),
      ['faults[0]={at: 20s, host: director, kind: crash}', 'workload.arrivals=poisson 50/s']);
    accounted(r);
    const expected = 3 * 1 + (256 - 100) / 256;
    assert.ok(Math.abs(r.faults![0]!.movedAt! - 20 - expected) < 1e-9, `takeover after ${r.faults![0]!.movedAt! - 20}s`);
    const ok = r.series.columns.ok!;
    assert.equal(ok[21], 0, 'nothing is answered while no director is up');
    assert.ok(ok[25]! > 30, 'the standby serves again');
  });
});

describe('sessions and shared data', function () {
  this.timeout(120_000);

  it('breaks exactly the sessions whose sh bucket changed owner when a real server is removed', () => {
    // The model's director and the kernel's table, side by side: 4 real servers, 5000 clients.
    const q = new EventQueue();
    const reneging = { gaveUp: () => false, drop: () => {}, heapPos: new Int32Array(1) };
    const spec = { name: 'w', cores: 1, speed: 1, weight: 1, discipline: 'fcfs' as const };
    const servers = [0, 1, 2, 3].map((i) => new RealServer(i, i, 0, `web${i + 1}`, new FcfsStation(i, 'cpu', 1, q, reneging), spec));
    const dspec = { scheduler: 'sh' as const, forwarding: 'nat' as const, service: 'fwmark' as const, flags: [], cores: 1, packet: 0, nic: Infinity, tcpfin: 120 };
    const director = new Director(0, dspec, createScheduler('sh', [], () => 0), servers, null, null);
    const clients = Array.from({ length: 5000 }, (_, i) => clientAddressNumber(i));
    const before = clients.map((c) => director.schedule(0, c)!.id);
    const tableBefore = shBucketTable(director.destinations());
    director.remove(servers[2]!);
    const tableAfter = shBucketTable(director.destinations());
    const after = clients.map((c) => director.schedule(0, c)!.id);
    let brokenHealthy = 0;
    let movedHealthy = 0;
    clients.forEach((c, i) => {
      if (before[i] === 2) return;
      if (after[i] !== before[i]) brokenHealthy++;
      const b = shBucket(c, 0);
      if (tableAfter[b] !== tableBefore[b]) movedHealthy++;
    });
    assert.equal(brokenHealthy, movedHealthy);
    // And it is far more than the removed server's own quarter would suggest.
    assert.ok(brokenHealthy / clients.length > 0.3, `sessions of healthy servers broken: ${brokenHealthy / clients.length}`);
  });

  it('sh: removal re-deals and breaks healthy servers\' sessions; weight 0 keeps them, and without sh-fallback drops the dead one\'s clients', () => {
    const text = `name: s
seed: 2
duration: 120s
clients: { addresses: 2000, timeout: 10s }
workload:
  arrivals: poisson 20/s
  cpu: exponential 5ms
  sessions: { requests: 10, think: exponential 2s }
sites:
  - name: bcn
    director: { scheduler: sh, forwarding: dr }
    servers: { count: 4 }
healthcheck: { kind: keepalived, delay_loop: 2s, connect_timeout: 1s }
faults: [ { at: 40s, host: web3, kind: stop } ]
`;
    const removal = run(text);
    const fallback = run(text, ['healthcheck.inhibit_on_failure=true', 'sites[0].director.flags=[sh-fallback]']);
    const weight0 = run(text, ['healthcheck.inhibit_on_failure=true']);
    accounted(removal);
    accounted(weight0);
    assert.ok(removal.sessions!.completed > 1000);
    assert.ok(removal.sessions!.broken > 1.5 * fallback.sessions!.broken,
      `broken: removal ${removal.sessions!.broken}, weight 0 with sh-fallback ${fallback.sessions!.broken}`);
    // Weight 0 without sh-fallback: the kernel finds web3 in the bucket and answers with a reset.
    assert.equal(removal.requests.failed.noServer, 0);
    assert.ok(weight0.requests.failed.noServer > 0.2 * 20 * 70, `no server: ${weight0.requests.failed.noServer}`);
    // Without stickiness (rr), nearly every session breaks at its second request.
    const rr = run(text, ['sites[0].director.scheduler=rr', 'faults=[]', 'healthcheck={kind: none}']);
    assert.ok(rr.sessions!.broken / rr.sessions!.completed > 0.95);
    // With state in a session database, no session breaks when nothing fails.
    const db = run(text, ['sites[0].director.scheduler=rr', 'faults=[]', 'healthcheck={kind: none}', 'workload.sessions.state=database']);
    assert.equal(db.sessions!.broken, 0);
  });

  it('serves stale copies as often as rsync timing predicts: 1 − (1 − e^(−uP)) / (uP)', () => {
    const r = run(`name: c
duration: 3600s
workload:
  arrivals: poisson 20/s
  cpu: exponential 1ms
sites:
  - name: bcn
    director: { scheduler: rr }
    servers: { count: 3 }
storage: { kind: copies, sync: 10s, updates: 6/min }
`);
    const uP = (6 / 60) * 10;
    const expected = 1 - (1 - Math.exp(-uP)) / uP;
    const share = r.staleReads! / r.requests.ok;
    assert.ok(Math.abs(share - expected) < 0.04, `stale share ${share.toFixed(3)} vs ${expected.toFixed(3)}`);
  });

  it('a dead network storage hangs its readers; a stopped session database fails requests at once', () => {
    const text = `name: st
duration: 40s
clients: { timeout: 5s }
workload:
  arrivals: poisson 50/s
  cpu: exponential 2ms
sites:
  - name: bcn
    director: { scheduler: rr }
    servers: { count: 2 }
storage: { kind: shared, share: 30% }
faults: [ { at: 20s, host: storage, kind: crash } ]
`;
    const nfs = run(text);
    accounted(nfs);
    const expectTimeouts = 50 * 20 * 0.3;
    assert.ok(Math.abs(nfs.requests.failed.timeout - expectTimeouts) < 0.15 * expectTimeouts, `timeouts ${nfs.requests.failed.timeout}`);
    const db = run(text.replace('storage: { kind: shared, share: 30% }', '')
      .replace('cpu: exponential 2ms', 'cpu: exponential 2ms\n  sessions: { requests: 2, think: 1s, state: database }')
      .replace('host: storage, kind: crash', 'host: database, kind: stop'));
    accounted(db);
    assert.ok(db.requests.failed.error > 500 && db.requests.failed.timeout === 0, `errors ${db.requests.failed.error}`);
  });
});
