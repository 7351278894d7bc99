import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario, parseScenarioSet, ScenarioError } from '../../scenarios/load.ts';
import { scenarioJsonSchema } from '../../scenarios/json-schema.ts';
import { parseBandwidth, parseDuration, parsePercent, parseRate, parseSize } from '../../scenarios/units.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const BASE = `name: t
duration: 10s
workload:
  arrivals: poisson 100/s
  cpu: exponential 5ms
sites:
  - name: bcn
    uplink: 100Mbps
    director: { scheduler: sh, forwarding: nat }
    servers:
      - { name: web1 }
      - { name: web2, weight: 2 }
`;

function errorOf(text: string, set: string[] = []): string {
  try {
    parseScenario(text, 'x.yaml', { set });
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `expected a ScenarioError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the scenario to be rejected');
}

describe('units', () => {
  it('reads quantities as people write them', () => {
    assert.equal(parseDuration('5ms'), 0.005);
    assert.equal(parseDuration('250us'), 0.00025);
    assert.equal(parseDuration('1.5min'), 90);
    assert.equal(parseBandwidth('100Mbps'), 1e8);
    assert.equal(parseBandwidth('12.5MB/s'), 1e8);
    assert.equal(parseSize('20KB'), 20_000);
    assert.equal(parseSize('64KiB'), 65_536);
    assert.equal(parseRate('300/s'), 300);
    assert.equal(parseRate('18000/min'), 300);
    assert.equal(parsePercent('0.1%'), 0.001);
  });

  it('rejects a missing or unknown unit with what was expected', () => {
    assert.throws(() => parseDuration(5), /expected a duration with a unit/);
    assert.throws(() => parseBandwidth('100Mbs'), /found "Mbs"/);
    assert.throws(() => parseSize('20 kilos'), /expected a size/);
  });
});

describe('scenario loader', () => {
  it('normalises a scenario: base units, defaults, named servers', () => {
    const s = parseScenario(BASE, 'x.yaml');
    assert.equal(s.duration, 10);
    assert.equal(s.sites[0]!.uplink, 1e8);
    assert.equal(s.sites[0]!.director!.scheduler, 'sh');
    assert.equal(s.sites[0]!.director!.packet, 2e-6);
    assert.deepEqual(s.sites[0]!.servers.map((x) => [x.name, x.weight, x.cores]), [['web1', 1, 1], ['web2', 2, 1]]);
    assert.deepEqual(s.workload.cpu, { kind: 'exponential', mean: 0.005 });
    assert.deepEqual(s.workload.arrivals, { kind: 'open', steps: [{ at: 0, rate: 100 }] });
    assert.equal(s.clients.addresses, 256);
  });

  it('expands a server template into named servers', () => {
    const s = parseScenario(BASE.replace(/servers:[\s\S]*$/, 'servers: { count: 3, cores: 2 }\n'), 'x.yaml');
    assert.deepEqual(s.sites[0]!.servers.map((x) => `${x.name}:${x.cores}`), ['web1:2', 'web2:2', 'web3:2']);
  });

  it('names file:line:col, the path, what was expected and what was found', () => {
    const msg = errorOf(BASE.replace('uplink: 100Mbps', 'uplink: 100Mbs'));
    assert.match(msg, /^x\.yaml:8:13: sites\[0\]\.uplink: expected a bandwidth unit .* found "Mbs" in "100Mbs"\.$/);
  });

  it('points at an unknown field by its key', () => {
    const msg = errorOf(BASE.replace('{ scheduler: sh', '{ schedular: sh'));
    assert.match(msg, /^x\.yaml:9:17: sites\[0\]\.director\.schedular: found unknown field "schedular"/);
  });

  it('says which value a closed choice expected', () => {
    const msg = errorOf(BASE.replace('scheduler: sh', 'scheduler: lblc'));
    assert.match(msg, /x\.yaml:9:28: sites\[0\]\.director\.scheduler: expected one of rr, wrr, lc, wlc, sed, nq, dh, sh, mh, twos, found "lblc"/);
  });

  it('reports a missing required field at its parent', () => {
    const msg = errorOf(BASE.replace('  cpu: exponential 5ms\n', ''));
    assert.match(msg, /^x\.yaml:4:3: workload\.cpu: expected .*found nothing \(this field is required\)/);
  });

  it('rejects configurations that cannot run, at their position', () => {
    assert.match(errorOf(BASE.replace('{ name: web1 }', '{ name: web1, weight: 0 }').replace('weight: 2', 'weight: 0')),
      /x\.yaml:11:7: sites\[0\]\.servers: expected at least one server with a weight above 0/);
    assert.match(errorOf(BASE.replace('duration: 10s', 'duration: 10s\nwarmup: 20s')), /x\.yaml:3:9: warmup: expected a warm-up shorter/);
    assert.match(errorOf(BASE.replace('{ name: web2', '{ name: web1')), /sites\[0\]\.servers\[1\]\.name: expected a unique server name/);
    assert.match(errorOf(BASE.replace('    director: { scheduler: sh, forwarding: nat }\n', '')), /expected a director in site "bcn" to balance 2 servers/);
  });

  it('says when the file is not YAML at all', () => {
    assert.match(errorOf('name: [t\nduration: 1s\n'), /^x\.yaml:\d+:\d+: this is not valid YAML/);
  });

  it('merges a compare variant into the scenario, and replaces a mapping of another kind whole', () => {
    const text = `name: hc
duration: 10s
workload: { arrivals: poisson 1/s, cpu: 1ms }
sites: [ { name: a, director: { scheduler: sh }, servers: [ {}, {} ] } ]
healthcheck: { kind: monit, cycle: 2s, timeout: 3s, action: deck }
compare:
  - { variant: corrected, healthcheck: { action: corrected } }
  - { variant: keepalived, healthcheck: { kind: keepalived, delay_loop: 2s } }
`;
    const set = parseScenarioSet(text, 'hc.yaml');
    assert.deepEqual(set.base.healthcheck, { ...set.base.healthcheck, kind: 'monit', cycle: 2, action: 'deck' });
    const [corrected, keepalived] = set.variants.map((v) => v.scenario.healthcheck);
    assert.equal(corrected!.kind, 'monit');
    assert.equal((corrected as { cycle: number }).cycle, 2, 'the same kind merges key by key');
    assert.equal((corrected as { action: string }).action, 'corrected');
    assert.equal(keepalived!.kind, 'keepalived');
    assert.equal((keepalived as { delay_loop: number }).delay_loop, 2);
    assert.ok(!('cycle' in keepalived!), 'monit\'s fields do not follow into keepalived');
  });

  it('applies --set overrides and blames them when they are wrong', () => {
    const s = parseScenario(BASE, 'x.yaml', { set: ['sites[0].uplink=1Gbps', 'sites[0].servers[1].cores=4', 'seed=9'] });
    assert.equal(s.sites[0]!.uplink, 1e9);
    assert.equal(s.sites[0]!.servers[1]!.cores, 4);
    assert.equal(s.seed, 9);
    assert.match(errorOf(BASE, ['sites[0].director.scheduler=fast']), /^--set sites\[0\]\.director\.scheduler=fast: .*expected one of rr/);
    assert.match(errorOf(BASE, ['nonsense']), /expected path=value/);
  });

  it('every example scenario loads', () => {
    for (const f of ['scenarios/failover.yaml', 'bench/mm4.yaml']) {
      parseScenario(readFileSync(`${root}${f}`, 'utf8'), f);
    }
  });

  it('the committed JSON Schema is what npm run schema writes', () => {
    const committed = JSON.parse(readFileSync(`${root}scenarios/scenario.schema.json`, 'utf8'));
    assert.deepEqual(committed, scenarioJsonSchema());
  });
});

describe('npm run sim on bad input', () => {
  it('prints one paragraph and exits 2, never a stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'sim/cli.ts', 'scenarios/failover.yaml', '--set', 'workload.cpu=fast'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--set workload\.cpu=fast: workload\.cpu: expected a distribution name/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('exits 2 for a missing file', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'sim/cli.ts', 'scenarios/nope.yaml'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'scenarios/nope.yaml: no such scenario file.\n');
  });

  it('prints results.json with --json and nothing else on stdout when piped', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'sim/cli.ts', 'scenarios/failover.yaml', '--json', '--set', 'duration=10s', '--set', 'faults=[]'], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out);
    assert.equal(r.scenario.name, 'failover');
    assert.ok(r.requests.sent > 0);
  });
});
