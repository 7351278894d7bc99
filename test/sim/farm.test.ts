// The local-balancing model end to end: scenarios in, Results out, checked against what can
// be computed by hand (byte counts, laws of queueing) rather than against earlier outputs.

import { strict as assert } from 'node:assert';
import { parseScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/run.ts';
import { resultJson } from '../../reports/data.ts';
import { failedTotal, type Result } from '../../reports/result.ts';

const FARM = `name: farm
seed: 3
duration: 60s
warmup: 5s
workload:
  arrivals: poisson 200/s
  cpu: exponential 5ms
  request: 500B
  response: 20KB
sites:
  - name: bcn
    uplink: 100Mbps
    director: { scheduler: rr, forwarding: nat, nic: 100Mbps }
    servers: { count: 2, cores: 1 }
`;

function run(text: string, set: string[] = []): Result {
  return simulate(parseScenario(text, 'farm.yaml', { set }));
}

function util(r: Result, name: string): number {
  const x = r.resources.find((u) => u.name === name);
  assert.ok(x, `no resource ${name}`);
  return x.utilisation;
}

function accounted(r: Result): void {
  assert.equal(r.requests.ok + failedTotal(r.requests.failed), r.requests.sent, 'every request ends ok or failed');
}

describe('local balancing model', function () {
  this.timeout(60_000);

  it('gives byte-identical results.json for the same scenario and seed', () => {
    const a = resultJson(run(FARM));
    assert.equal(resultJson(run(FARM)), a);
    assert.notEqual(resultJson(run(FARM, ['seed=4'])), a);
  });

  it('sends request and response bytes through the director under nat, only requests under dr', () => {
    const nat = run(FARM);
    const dr = run(FARM, ['sites[0].director.forwarding=dr']);
    const tun = run(FARM, ['sites[0].director.forwarding=tun']);
    accounted(nat);
    const rate = nat.requests.sent / 55;
    // Under nat the card carries each request and each answer once per direction.
    const natExpected = (rate * (500 + 20_000) * 8) / 100e6;
    assert.ok(Math.abs(util(nat, 'bcn director nic') - natExpected) < 0.02 * natExpected, `nat nic ${util(nat, 'bcn director nic')} vs ${natExpected}`);
    const drExpected = (rate * 500 * 8) / 100e6;
    assert.ok(Math.abs(util(dr, 'bcn director nic') - drExpected) < 0.03 * drExpected, `dr nic ${util(dr, 'bcn director nic')} vs ${drExpected}`);
    // tun adds a 20-byte outer header to every client packet: SYN, ACK, FIN, request, 7 ACKs.
    const tunExpected = (rate * (500 + 20 * (3 + 1 + 7)) * 8) / 100e6;
    assert.ok(Math.abs(util(tun, 'bcn director nic') - tunExpected) < 0.03 * tunExpected, `tun nic ${util(tun, 'bcn director nic')} vs ${tunExpected}`);
    // The answers leave by the uplink whatever the forwarding.
    assert.ok(Math.abs(util(nat, 'bcn uplink out') - util(dr, 'bcn uplink out')) < 0.01);
    // And nat costs the director's CPU more packets: 7 + 16 per request against 11.
    const ratio = util(nat, 'bcn director cpu') / util(dr, 'bcn director cpu');
    assert.ok(Math.abs(ratio - (11 + 16) / 11) < 0.05, `cpu ratio ${ratio}`);
  });

  it('caps throughput at uplink ÷ response size when the uplink is the bottleneck', () => {
    const r = run(FARM, ['workload.arrivals=poisson 800/s', 'sites[0].servers.count=8', 'clients.timeout=2s', 'sites[0].director.nic=1Gbps']);
    accounted(r);
    const cap = 100e6 / 8 / 20_000; // 625 answers/s
    assert.ok(util(r, 'bcn uplink out') > 0.98, `uplink out ${util(r, 'bcn uplink out')}`);
    assert.ok(r.throughput <= cap * 1.01 && r.throughput > cap * 0.9, `throughput ${r.throughput} vs cap ${cap}`);
    assert.ok(r.requests.failed.timeout > 0, 'the excess waits past the timeout');
  });

  it('spreads rr evenly and wrr by weight', () => {
    const rr = run(FARM);
    assert.ok(Math.abs(rr.servers[0]!.share - 0.5) < 0.005, `rr share ${rr.servers[0]!.share}`);
    const wrr = run(FARM.replace('servers: { count: 2, cores: 1 }', 'servers: [ { name: a, weight: 3 }, { name: b, weight: 1 } ]'), ['sites[0].director.scheduler=wrr']);
    assert.ok(Math.abs(wrr.servers[0]!.share - 0.75) < 0.005, `wrr share ${wrr.servers[0]!.share}`);
  });

  it('refuses connections beyond a server\'s own limit and counts them', () => {
    const r = run(FARM, ['workload.arrivals=poisson 380/s', 'sites[0].servers.connections=2']);
    accounted(r);
    assert.ok(r.requests.failed.refused > 0.05 * r.requests.sent, `refused ${r.requests.failed.refused}`);
    assert.equal(r.requests.failed.noServer, 0);
  });

  it('answers "no server available" when every real server is above its threshold', () => {
    const r = run(FARM, ['workload.arrivals=poisson 380/s', 'sites[0].servers.threshold=2']);
    accounted(r);
    assert.ok(r.requests.failed.noServer > 0, 'some connections find every server overloaded');
    assert.equal(r.requests.failed.refused, 0);
  });

  it('obeys the response time law in a closed loop: X = N / (R + Z)', () => {
    const r = run(FARM.replace('arrivals: poisson 200/s', 'arrivals: { users: 50, think: exponential 200ms }'));
    accounted(r);
    const law = 50 / (r.latency.mean + 0.2);
    assert.ok(Math.abs(r.throughput - law) < 0.02 * law, `X ${r.throughput} vs N/(R+Z) ${law}`);
  });

  it('follows a rate timeline', () => {
    const r = run(FARM.replace('arrivals: poisson 200/s', 'arrivals: { poisson: [ { at: 0s, rate: 100/s }, { at: 30s, rate: 300/s } ] }'));
    const sent = r.series.columns.sent!;
    const before = sent.slice(5, 30).reduce((a, b) => a + b, 0) / 25;
    const after = sent.slice(30, 60).reduce((a, b) => a + b, 0) / 30;
    assert.ok(Math.abs(before - 100) < 10 && Math.abs(after - 300) < 15, `before ${before}/s after ${after}/s`);
  });

  it('runs a classic single server with no director', () => {
    const r = run(FARM.replace(/    director:.*\n/, '').replace('servers: { count: 2, cores: 1 }', 'servers: [ { name: www, cores: 2 } ]'));
    accounted(r);
    assert.deepEqual(r.resources.map((x) => x.kind).sort(), ['server-cpu', 'uplink-in', 'uplink-out']);
    assert.ok(Math.abs(util(r, 'bcn/www cpu') - 0.5) < 0.03);
  });

  it('keeps per-step series the length of the run and consistent with the totals', () => {
    const r = run(FARM);
    assert.equal(r.series.t.length, 60);
    const okSeries = r.series.columns['ok bcn/web1']!.slice(5).reduce((a, b) => a + b, 0)
      + r.series.columns['ok bcn/web2']!.slice(5).reduce((a, b) => a + b, 0);
    // The totals count by arrival, the series by answer: they differ only at the edges.
    assert.ok(Math.abs(okSeries - r.requests.ok) < 10, `${okSeries} vs ${r.requests.ok}`);
  });
});
