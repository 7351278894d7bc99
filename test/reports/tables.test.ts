// The report's tables and the title page's scenario facts, as text.

import { strict as assert } from 'node:assert';
import { scenarioFacts } from '../../reports/scenario-facts.ts';
import { comparisonTable, faultsTable, latencyTable, requestsTable, resourcesTable } from '../../reports/tables.ts';
import { crafted, failures, FARM, resource, scenario } from './fixtures.ts';

describe('reports: tables and scenario facts', () => {
  it('writes requests and latency as a person reads them', () => {
    const r = crafted({ requests: { sent: 20845, ok: 20800, failed: failures({ timeout: 45 }) } });
    assert.deepEqual(requestsTable(r).rows[0], ['20,845', '20,800', '0', '0', '45', '0', '0', '100/s']);
    assert.deepEqual(latencyTable(r).rows[0], ['5,000', '8ms', '6ms', '18ms', '36ms', '57ms', '73ms']);
  });

  it('sorts resources from the busiest and names their state', () => {
    const r = crafted({ resources: [resource('bcn uplink out', 'uplink-out', 0.75), resource('bcn/web1 cpu', 'server-cpu', 0.95), resource('bcn director cpu', 'director-cpu', 0.1)] });
    assert.deepEqual(resourcesTable(r).rows, [
      ['bcn/web1 cpu', 'server CPU', '95.0%', 'bottleneck'],
      ['bcn uplink out', 'uplink, outbound', '75.0%', 'high'],
      ['bcn director cpu', 'director CPU', '10.0%', 'headroom'],
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
});
