// The report's tables and the title page's scenario facts, as text.

import { strict as assert } from 'node:assert';
import { scenarioFacts } from '../../reports/scenario-facts.ts';
import { comparisonTable, faultsTable, predictionTable, latencyTable, planTable, requestsTable, resourcesTable, sweepCompactTable, sweepTable } from '../../reports/tables.ts';
import { crafted, failures, FARM, plan, resource, scenario, sweep } from './fixtures.ts';

describe('reports: tables and scenario facts', () => {
  it('writes requests and latency as a person reads them', () => {
    const r = crafted({ requests: { sent: 20845, ok: 20800, failed: failures({ timeout: 45 }) } });
    assert.deepEqual(requestsTable(r).rows[0], ['20,845', '20,800', '0', '0', '45', '0', '0', '100/s']);
    assert.deepEqual(latencyTable(r).rows[0], ['5,000', '8ms', '6ms', '18ms', '36ms', '57ms', '73ms']);
    const lab = crafted({ source: 'lab', requests: { sent: 1000, ok: 900, failed: failures({ timeout: 60, unreachable: 40 }) } });
    assert.deepEqual(requestsTable(lab).columns.map((c) => c.title), ['sent', 'answered', 'refused', 'reset', 'timeout', 'unreachable', 'no server', 'error', 'throughput'], 'a lab run\'s unreachable hosts get their column');
  });

  it('sorts resources from the busiest and names their state', () => {
    const r = crafted({ resources: [resource('bcn uplink out', 'uplink-out', 0.75), resource('bcn/web1 cpu', 'server-cpu', 0.95), resource('bcn director cpu', 'director-cpu', 0.1)] });
    assert.deepEqual(resourcesTable(r).rows, [
      ['bcn/web1 cpu', 'server CPU', '95.0%', 'bottleneck'],
      ['bcn uplink out', 'uplink, outbound', '75.0%', 'high'],
      ['bcn director cpu', 'director CPU', '10.0%', 'headroom'],
    ]);
  });

  it('sets measurement beside prediction fault by fault, with clients moved and capacity', () => {
    const crash = (detection: number, timeout: number, moved: number) => ({ at: 20, host: 'web1', kind: 'crash', detectedAt: 20 + detection, detection, movedClients: moved, failed: failures({ timeout }) });
    const back = { at: 40, host: 'web1', kind: 'recover', failed: failures({}) };
    const lab = crafted({ source: 'lab', faults: [crash(5.65, 288, 32), back], capacity: { throughput: 187, limit: '64 keep-alive connections', how: 'autocannon' } });
    const sim = crafted({ faults: [crash(5.36, 249, 32), back], capacity: { throughput: 402, limit: 'bcn/web2 cpu', how: '' } });
    assert.deepEqual(predictionTable([{ name: 'lab', result: lab }, { name: 'simulator', result: sim }]).rows, [
      ['lab', 'web1 crash at 20s', '5.65s', '288', '32', '187/s'],
      ['simulator', 'web1 crash at 20s', '5.36s', '249', '32', '402/s'],
    ]);
  });

  it('lists faults with their detection, or "never"', () => {
    const r = crafted({
      faults: [
        { at: 20, host: 'web1', kind: 'crash', detectedAt: 25.4, detection: 5.4, movedAt: 25.41, failed: failures({ timeout: 200 }) },
        { at: 30, host: 'web2', kind: 'stop', failed: failures({ refused: 7 }) },
      ],
    });
    assert.deepEqual(faultsTable(r).rows, [['20s', 'web1', 'crash', '5.4s', '25.4s', '200'], ['30s', 'web2', 'stop', 'never', 'never', '7']]);
  });

  it('compares variants with their SLO verdict and cost', () => {
    const base = crafted({ slo: { met: false, checks: [] }, cost: { total: 1250, servers: 400, directors: 150, sites: 500, uplink: 200 } });
    const t = comparisonTable([{ name: 'base', result: base }, { name: 'bigger', result: { ...base, slo: { met: true, checks: [] } } }]);
    assert.deepEqual(t.columns.map((c) => c.title), ['variant', 'throughput', 'p50', 'p99', 'failed', 'busiest resource', 'SLO', 'cost/month']);
    assert.deepEqual(t.rows.map((row) => [row[0], row[6], row[7]]), [['base', 'missed', '1,250'], ['bigger', 'met', '1,250']]);
  });

  it('sums up the scenario: load, work, farm shape, health check, SLO', () => {
    const facts = Object.fromEntries(scenarioFacts(crafted(), scenario(`${FARM}healthcheck: { kind: keepalived }\n`)));
    assert.equal(facts.load, 'Poisson arrivals, 100/s');
    assert.equal(facts['each request'], 'CPU exponential, mean 5ms; request 300B, response 20KB');
    assert.equal(facts['site bcn'], 'uplink 100Mbps · director: sh, NAT (masquerading), service by fwmark, NIC 1Gbps · 2 real servers (web1, web2), 1 core each');
    assert.equal(facts['health check'], 'keepalived TCP_CHECK every 60s, connect_timeout 5s, retry 1');
    assert.equal(facts.SLO, 'p99 ≤ 200ms, errors ≤ 0.1%');
    // A lab Result may come without its scenario: the run is still described.
    assert.deepEqual(scenarioFacts(crafted()).map(([label]) => label), ['run']);
  });

  it('lists each run of a sweep with its knee marked, or all curves in one compact table', () => {
    const s = sweep();
    const t = sweepTable(s, s.curves[0]!);
    assert.deepEqual(t.columns.map((c) => c.title), ['load', 'throughput', 'p50', 'p99', 'failed', '']);
    assert.deepEqual(t.rows[2], ['600/s', '600/s', '9ms', '55ms', '0%', 'knee']);
    assert.deepEqual(t.rows[4], ['1000/s', '820/s', '1.2s', '4.5s', '20.0%', '']);
    const compact = sweepCompactTable(s);
    assert.equal(compact.rows.length, 10);
    assert.deepEqual(compact.rows.map((r) => r[0]).filter(Boolean), ['base', 'bigger']);
  });

  it('lists the plans ruled out below the chosen one, the chosen one and the runners-up', () => {
    const t = planTable(plan());
    assert.deepEqual(t.columns.map((c) => c.title), ['plan', 'cost/month', 'verdict', 'p99', 'why']);
    assert.deepEqual(t.rows.map((r) => [r[1], r[2], r[3]]), [['600', 'pruned', '–'], ['700', 'pruned', '–'], ['800', 'missed', '1.2s'], ['900', 'chosen', '110ms'], ['1,000', 'met', '70ms']]);
    // Many cheaper plans: the closest are listed, the rest summed up in one row.
    const short = planTable(plan(), 1);
    assert.deepEqual(short.rows[0], ['… 2 cheaper plans', '600–700', 'pruned or missed', '', 'listed in results.json']);
    assert.deepEqual(short.rows.slice(1).map((r) => r[1]), ['800', '900', '1,000']);
  });
});
