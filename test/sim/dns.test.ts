// DNS and mixed balancing, the bottleneck in words, comparisons — checked on the example
// scenarios' headlines and on the published measurement the stale-answer default reproduces.

import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { loadScenarioSet, parseScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/run.ts';
import { Resolvers } from '../../sim/model/resolver.ts';
import { sampler } from '../../sim/engine/distributions.ts';
import { Rng } from '../../sim/engine/rng.ts';
import type { Result } from '../../reports/result.ts';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));

function runSet(file: string): Map<string, Result> {
  const { base, variants } = loadScenarioSet(`${dir}${file}`);
  const out = new Map<string, Result>([['base', simulate(base)]]);
  for (const v of variants) out.set(v.label, simulate(v.scenario));
  return out;
}

describe('DNS balancing', function () {
  this.timeout(120_000);

  it('the default stale-answer model reproduces Flavel et al.: 20 s TTL, 90% moved in 60 s, 2% still old after 15 min', () => {
    const defaults = parseScenario('name: d\nduration: 1s\nworkload: { arrivals: poisson 1/s, cpu: 1ms }\nsites: [ { name: a, servers: [ {} ] } ]\n', 'd.yaml');
    const stale = defaults.dns.stale;
    let record = 0; // the authoritative answer: 0 before the change at t = 1000 s, 1 after
    const count = 20_000;
    const resolvers = new Resolvers(count, 20, stale.share, sampler(stale.extra, new Rng(1, 'extra')), new Rng(1, 'sticky'), () => record);
    // Clients ask every resolver often, so each refreshes as soon as it may.
    const rng = new Rng(1, 'clients');
    for (let t = 0; t < 1000; t += 1) for (let i = 0; i < count; i += 1) if (rng.random() < 0.2) resolvers.resolve(i, t + rng.random());
    record = 1;
    const oldShareAt = (t: number): number => {
      let old = 0;
      for (let i = 0; i < count; i++) if (resolvers.resolve(i, t) === 0) old++;
      return old / count;
    };
    // Sample moving forward in time, as clients would.
    const at60 = oldShareAt(1060);
    const at900 = oldShareAt(1900);
    assert.ok(at60 <= 0.105 && at60 >= 0.085, `share still on the old answer after 60 s: ${at60}`);
    assert.ok(Math.abs(at900 - 0.02) < 0.005, `share still on the old answer after 15 min: ${at900}`);
  });

  it('big resolvers make hot spots: the same load through 2 resolvers is far more uneven than through 500', () => {
    const text = `name: hot
seed: 4
duration: 300s
clients: { addresses: 1000 }
workload: { arrivals: poisson 200/s, cpu: exponential 5ms }
balancing: dns
dns: { ttl: 60s }
sites:
  - { name: a, servers: [ { name: w1 }, { name: w2 } ] }
  - { name: b, servers: [ { name: w3 }, { name: w4 } ] }
`;
    const skew = (r: Result) => Math.max(...r.servers.map((s) => s.share)) / Math.min(...r.servers.map((s) => s.share));
    const few = simulate(parseScenario(text, 'hot.yaml', { set: ['populations=[{name: isp, share: 100%, resolvers: 2}]'] }));
    const many = simulate(parseScenario(text, 'hot.yaml', { set: ['populations=[{name: isp, share: 100%, resolvers: 500}]'] }));
    assert.ok(skew(many) < 1.15, `500 resolvers: max/min share ${skew(many)}`);
    assert.ok(skew(few) > 1.5, `2 resolvers: max/min share ${skew(few)}`);
  });

  it('clients try the next address when a site does not answer', () => {
    const text = `name: two-sites
duration: 60s
clients: { addresses: 500, connect_timeout: 2s, timeout: 10s }
workload: { arrivals: poisson 50/s, cpu: exponential 5ms }
balancing: mixed
sites:
  - { name: a, director: { scheduler: rr }, servers: { count: 2 } }
  - { name: b, director: { scheduler: rr }, servers: { count: 2 } }
faults: [ { at: 20s, host: a/director, kind: crash } ]
`;
    const r = simulate(parseScenario(text, 'two.yaml'));
    const failed = Object.values(r.requests.failed).reduce((a, b) => a + b, 0);
    assert.equal(r.requests.ok + failed, r.requests.sent);
    // Site a's clients wait one connect timeout and then reach site b: slower, not failed.
    assert.ok(failed < 0.01 * r.requests.sent, `failed ${failed} of ${r.requests.sent}`);
    assert.ok(r.latency.p99 >= 2, `p99 ${r.latency.p99} includes the connect timeout`);
    assert.ok(r.retries! > 500);
  });
});

describe('bottlenecks and the example farms', function () {
  this.timeout(180_000);

  it('bandwidth-bound: more servers leave throughput at uplink ÷ response size; a second site doubles it', () => {
    const runs = runSet('bandwidth-bound.yaml');
    const cap = 100e6 / 8 / 20_000;
    for (const label of ['base', '8 servers']) {
      const r = runs.get(label)!;
      assert.ok(Math.abs(r.throughput - cap) < 0.02 * cap, `${label}: ${r.throughput}/s vs ${cap}/s`);
      assert.equal(r.bottleneck!.kind, 'bandwidth');
      assert.match(r.bottleneck!.advice, /uplink/);
    }
    const two = runs.get('second site by DNS')!;
    assert.ok(two.throughput > 1.9 * runs.get('base')!.throughput, `two sites: ${two.throughput}/s`);
  });

  it('CPU-bound: throughput grows with servers until the director saturates, earlier under nat than dr', () => {
    const runs = runSet('cpu-bound.yaml');
    const t = (l: string) => runs.get(l)!.throughput;
    assert.ok(t('nat 16 servers') > 1.9 * t('base'), 'doubling servers doubles throughput while servers are the bottleneck');
    assert.equal(runs.get('base')!.bottleneck!.kind, 'application');
    const nat32 = runs.get('nat 32 servers')!;
    assert.equal(nat32.bottleneck!.kind, 'director');
    assert.match(nat32.bottleneck!.advice, /dr|tun/);
    assert.ok(t('nat 32 servers') < 1.2 * t('nat 16 servers'), 'nat: the director caps it');
    assert.ok(t('dr 32 servers') > 1.08 * t('nat 32 servers'), 'dr carries more through the same director');
    assert.notEqual(runs.get('dr 32 servers')!.bottleneck!.kind, 'director');
  });

  it('budget: when the application is the bottleneck, local balancing is the cheaper fix', () => {
    const runs = runSet('budget.yaml');
    assert.equal(runs.get('base')!.slo!.met, false);
    assert.equal(runs.get('base')!.bottleneck!.kind, 'application');
    const local = runs.get('local 8 servers')!;
    const dns = runs.get('second site by DNS')!;
    assert.ok(local.slo!.met && dns.slo!.met, 'both fixes meet the SLO');
    assert.ok(local.cost!.total < dns.cost!.total, `local ${local.cost!.total} vs dns ${dns.cost!.total}`);
  });

  it('compares variants with the same seed and random streams', () => {
    const { base, variants } = loadScenarioSet(`${dir}budget.yaml`);
    assert.equal(variants.length, 2);
    assert.equal(variants[0]!.scenario.seed, base.seed);
    assert.equal(variants[0]!.scenario.sites[0]!.servers.length, 8);
    assert.equal(variants[1]!.scenario.balancing, 'mixed');
    assert.equal(variants[1]!.scenario.sites[1]!.name, 'mad');
    assert.equal(variants[1]!.scenario.sites[0]!.servers.length, 4, 'an empty mapping in a list leaves that item as it was');
  });

  it('names the variant\'s own line when an override is wrong', () => {
    const text = `name: v
duration: 10s
workload: { arrivals: poisson 1/s, cpu: 1ms }
sites: [ { name: a, servers: [ {} ] } ]
compare:
  - variant: bad
    balancing: dnss
`;
    assert.throws(() => loadScenarioSetText(text), /v\.yaml:7:16: balancing: expected one of local, dns, mixed, found "dnss"/);
  });
});

import { parseScenarioSet } from '../../scenarios/load.ts';
function loadScenarioSetText(text: string) {
  return parseScenarioSet(text, 'v.yaml');
}

describe('DNS scenarios that cannot run', () => {
  const BASE = `name: bad
duration: 10s
workload: { arrivals: poisson 10/s, cpu: 1ms }
balancing: dns
dns: { ttl: 20s }
populations: [ { name: isp, share: 100%, resolvers: 10 } ]
sites:
  - { name: a, servers: [ { name: w1 }, { name: w2 } ] }
`;
  const error = (text: string): string => {
    try {
      parseScenario(text, 'bad.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('a site with no servers', () => {
    assert.match(error(BASE.replace('servers: [ { name: w1 }, { name: w2 } ]', 'servers: []')), /^bad\.yaml:8:25: sites\[0\]\.servers: expected at least one server/);
  });
  it('a weight of 0 everywhere', () => {
    assert.match(error(BASE.replace('{ name: w1 }, { name: w2 }', '{ name: w1, weight: 0 }, { name: w2, weight: 0 }')), /^bad\.yaml:8:3: sites: expected at least one real server with a weight above 0/);
  });
  it('a population with no resolvers', () => {
    assert.match(error(BASE.replace('resolvers: 10', 'resolvers: 0')), /^bad\.yaml:6:53: populations\[0\]\.resolvers: expected at least 1, found number 0/);
  });
  it('a negative TTL', () => {
    assert.match(error(BASE.replace('ttl: 20s', 'ttl: -20s')), /^bad\.yaml:5:13: dns\.ttl: expected a duration such as 5ms or 2s, found "-20s"/);
  });
  it('weighted answers follow the weights', () => {
    const r = simulate(parseScenario(BASE.replace('ttl: 20s', 'ttl: 1s, order: weighted').replace('resolvers: 10', 'resolvers: 1000')
      .replace('{ name: w1 }', '{ name: w1, weight: 3 }').replace('duration: 10s', 'duration: 100s').replace('poisson 10/s', 'poisson 200/s'), 'w.yaml', { set: ['clients.addresses=2000'] }));
    const share = r.servers.find((s) => s.name === 'w1')!.share;
    assert.ok(Math.abs(share - 0.75) < 0.03, `w1 share ${share}`);
  });
});
