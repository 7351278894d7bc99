// Findings on crafted Results: each sentence is checked word for word where its numbers are
// known, so a wrong threshold, cause or advice shows up as a different sentence.

import { strict as assert } from 'node:assert';
import { comparisonFindings, findings, groupNames, planFindings, sweepFindings, type Finding } from '../../reports/findings.ts';
import type { Result } from '../../reports/result.ts';
import { crafted, failures, FARM, plan, resource, scenario, sweep } from './fixtures.ts';

function topic(all: Finding[], t: Finding['topic']): Finding[] {
  return all.filter((f) => f.topic === t);
}

function one(all: Finding[], t: Finding['topic']): Finding {
  const found = topic(all, t);
  assert.equal(found.length, 1, `expected one ${t} finding, got ${JSON.stringify(found)}`);
  return found[0]!;
}

function advice(all: Finding[]): string {
  return topic(all, 'advice').map((f) => f.text).join('\n');
}

const saturatedCpus = (): Partial<Result> => ({
  resources: [
    resource('bcn/web1 cpu', 'server-cpu', 0.95),
    resource('bcn/web2 cpu', 'server-cpu', 0.93),
    resource('bcn uplink out', 'uplink-out', 0.6),
  ],
});

describe('reports: findings', () => {
  describe('the bottleneck', () => {
    it('names the busiest resource as the bottleneck at 90% or more, and the others saturated', () => {
      const f = one(findings(crafted(saturatedCpus())), 'bottleneck');
      assert.equal(f.tone, 'problem');
      assert.equal(f.text, 'bcn/web1 cpu is the bottleneck: it was busy 95.0% of the measured window (90% or more), so requests queue there. Also saturated: bcn/web2 cpu (93.0%).');
    });

    it('calls the busiest resource below 90% no bottleneck', () => {
      const r = crafted({ resources: [resource('bcn/web1 cpu', 'server-cpu', 0.899), resource('bcn uplink out', 'uplink-out', 0.2)] });
      const f = one(findings(r), 'bottleneck');
      assert.equal(f.text, 'The busiest resource is bcn/web1 cpu at 89.9% busy; it is not a bottleneck (none reaches 90%).');
      assert.equal(f.tone, 'warning');
    });

    it('groups many saturated resources of one kind and site', () => {
      const cpus = [0.996, 1, 1, 0.999].map((u, i) => resource(`bcn/web${i + 2} cpu`, 'server-cpu', u));
      assert.equal(groupNames(cpus), '4 server CPUs in site bcn (99.6%–100.0%)');
      assert.equal(groupNames(cpus.slice(0, 2)), 'bcn/web2 cpu (99.6%), bcn/web3 cpu (100.0%)');
    });
  });

  describe('the SLO', () => {
    it('says which target was missed, missed ones first', () => {
      const r = crafted({
        slo: {
          met: false,
          checks: [
            { target: 'errors ≤ 0.1%', limit: 0.001, value: 0, met: true },
            { target: 'p99 ≤ 200ms', limit: 0.2, value: 0.512, met: false },
          ],
        },
      });
      const f = one(findings(r), 'slo');
      assert.equal(f.tone, 'problem');
      assert.equal(f.text, 'The SLO is missed: p99 was 512ms, above the 200ms limit; and 0% of requests failed, within the 0.1% limit.');
    });

    it('says when it is met', () => {
      const r = crafted({ slo: { met: true, checks: [{ target: 'p99 ≤ 200ms', limit: 0.2, value: 0.036, met: true }] } });
      assert.equal(one(findings(r), 'slo').text, 'The SLO is met: p99 was 36ms, within the 200ms limit.');
    });

    it('says when there is none', () => {
      const f = one(findings(crafted()), 'slo');
      assert.equal(f.tone, 'info');
      assert.match(f.text, /^No SLO was given/);
    });
  });

  describe('errors', () => {
    it('counts failures by cause, largest first', () => {
      const r = crafted({ requests: { sent: 1000, ok: 950, failed: failures({ timeout: 20, refused: 30 }) } });
      const f = one(findings(r), 'errors');
      assert.equal(f.text, '50 of 1,000 requests (5.00%) failed: 30 refused (connection refused: a stopped service, a server at its connection limit, or a SYN the director reset) and 20 timed out (the client gave up waiting).');
    });

    it('says when nothing failed', () => {
      assert.equal(one(findings(crafted()), 'errors').text, 'All 5,000 requests sent in the measured window were answered; none failed.');
    });
  });

  describe('what to change', () => {
    it('sizes the servers of a CPU-bound site', () => {
      // Two CPUs at 94% on average carry 1.88 CPUs of work: 3 CPUs bring it to 63%, under 70%.
      assert.match(advice(findings(crafted(saturatedCpus()))), /Add real servers \(or cores\) in site bcn: its 2 servers average 94\.0% busy; about 3 like them would bring the CPUs to 70%\./);
    });

    it('sizes for the load offered, not the load a saturated farm managed to answer', () => {
      // 200/s offered, 100/s answered: the two CPUs would need 2 × 0.94 × 2 / 0.7 = 5.4 → 6.
      const r = crafted({ ...saturatedCpus(), requests: { sent: 10000, ok: 5000, failed: failures({ timeout: 5000 }) } });
      assert.match(advice(findings(r)), /its 2 servers average 94\.0% busy while 2\.0× what they answered was offered; about 6 like them/);
    });

    it('sizes the uplink of a bandwidth-bound site from the scenario, and points to DNS across sites', () => {
      const r = crafted({ resources: [resource('bcn uplink out', 'uplink-out', 0.95), resource('bcn/web1 cpu', 'server-cpu', 0.3)] });
      // 100 Mbps × 0.95 / 0.7 = 136 Mbps.
      assert.match(advice(findings(r, scenario())), /Raise the uplink of site bcn to at least 136Mbps, or add a site with its own uplink and balance across sites by DNS/);
    });

    it('sends a NAT director whose NIC is saturated to direct routing', () => {
      const r = crafted({ resources: [resource('bcn director nic', 'director-nic', 0.92)] });
      assert.match(advice(findings(r, scenario())), /switch forwarding to direct routing \(dr\)/);
      assert.doesNotMatch(advice(findings(r, scenario(FARM, ['sites[0].director.forwarding=dr']))), /switch forwarding/);
    });

    it('names the connection limit behind refusals', () => {
      const r = crafted({ requests: { sent: 1000, ok: 990, failed: failures({ refused: 10 }) } });
      const s = scenario(FARM, ['sites[0].servers[0].connections=2']);
      assert.match(advice(findings(r, s)), /Raise the connection limit of bcn\/web1 \(connections: 2\) or add servers: 10 requests were refused at the limit\./);
    });

    it('says nothing needs to change when nothing is wrong, and when the busiest resource saturates', () => {
      // 5000 requests in 50 s = 100/s; 90% / 25% = 3.6 times that.
      const text = advice(findings(crafted()));
      assert.equal(text, 'Nothing needs to change at this load. As load grows, bcn/web1 cpu saturates first: it reaches 90% at about 3.6× today\'s load (about 360/s).');
    });

    it('blames the work itself when latency misses the SLO with idle resources', () => {
      const r = crafted({ slo: { met: false, checks: [{ target: 'p99 ≤ 20ms', limit: 0.02, value: 0.036, met: false }] } });
      assert.match(advice(findings(r)), /every resource under 60% busy: the time is in the requests' own work/);
    });
  });

  describe('faults', () => {
    const faulty = () => {
      const r = crafted({
        requests: { sent: 5000, ok: 4797, failed: failures({ timeout: 200, refused: 3 }) },
        faults: [
          { at: 20, host: 'web1', kind: 'crash', detectedAt: 25.4, detection: 5.4, movedAt: 25.41, failed: failures({ timeout: 200, refused: 1 }) },
          { at: 40, host: 'web1', kind: 'recover', failed: failures({ refused: 2 }) },
        ],
      });
      // web1 answers nothing from its crash on, not even after it recovers.
      r.series.columns['ok bcn/web1'] = r.series.t.map((t) => (t < 20 ? 50 : 0));
      return r;
    };
    const monit = `${FARM}healthcheck: { kind: monit, cycle: 1s }\n`;

    it('tells what each fault did: detection, traffic moved, failures', () => {
      const f = topic(findings(faulty()), 'faults');
      assert.equal(f[0]!.text, 'web1 crashed at 20s: detected 5.4s later, traffic moved off it at 25.4s; 201 requests failed after it (200 timed out and 1 refused).');
      assert.equal(f[1]!.text, 'web1 recovered at 40s: 2 requests failed after it (2 refused); it answered no request afterwards: the director never sent it traffic again.');
    });

    it('asks for faster detection and a way back, naming the deck\'s script under monit', () => {
      const text = advice(findings(faulty(), scenario(monit)));
      assert.match(text, /Detect failures sooner: web1 went unnoticed for 5\.4s while requests to it failed; monit's cycle \(1s\) and connect timeout \(5s\) set that time\./);
      assert.match(text, /the deck's web_balancing\.sh has no way back/);
      assert.match(text, /Replace the mark rule in place \(iptables -R/);
    });

    it('asks for a health check when nothing detected the fault', () => {
      const r = faulty();
      r.faults = [{ at: 20, host: 'web1', kind: 'crash', failed: failures({ timeout: 300 }) }];
      assert.match(topic(findings(r), 'faults')[0]!.text, /never detected by a health check, and traffic was never moved off it/);
      assert.match(advice(findings(r, scenario())), /Add a health check \(monit or keepalived\)/);
    });
  });

  it('points out uneven load, and why under source hashing', () => {
    const r = crafted({ servers: [{ site: 'bcn', name: 'web1', ok: 3500, share: 0.7 }, { site: 'bcn', name: 'web2', ok: 1500, share: 0.3 }] });
    const f = one(findings(r, scenario()), 'balance');
    assert.equal(f.text, 'Load is uneven in site bcn: web1 70.0%, web2 30.0% of its answers, where equal weights would give each 50.0%. Source hashing spreads client addresses, not requests (64 client addresses here), so a few busy clients can tip it.');
    assert.equal(topic(findings(crafted(), scenario()), 'balance').length, 0);
  });

  it('counts broken sessions, and moves server-held state to the database', () => {
    const r = crafted({ sessions: { started: 400, completed: 380, broken: 20 } });
    const f = one(findings(r), 'sessions');
    assert.equal(f.text, '20 of 400 sessions (5.00%) lost their state at least once (landed on another server, a restarted server, or a failed request).');
    const s = scenario(FARM.replace('  response: 20KB', '  response: 20KB\n  sessions: { requests: 5, think: 1s }'));
    assert.match(advice(findings(r, s)), /Keep session state off the real servers \(sessions: \{ state: database \}\): 20 sessions broke/);
  });

  describe('comparisons', () => {
    const priced = (p99: number, met: boolean, total: number): Result => crafted({
      latency: { ...crafted().latency, p99 },
      slo: { met, checks: [{ target: 'p99 ≤ 200ms', limit: 0.2, value: p99, met }] },
      cost: { total, servers: 0, directors: 0, sites: 0, uplink: 0 },
    });

    it('names the variants that meet the SLO and the cheapest of them', () => {
      const f = comparisonFindings([
        { name: 'base', result: priced(1.3, false, 1250) },
        { name: 'local 8 servers', result: priced(0.057, true, 1650) },
        { name: 'second site by DNS', result: priced(0.063, true, 2500) },
      ]);
      assert.equal(f[0]!.text, '2 of the 3 variants meet the SLO: local 8 servers, second site by DNS. The cheapest of them is local 8 servers, at 1,650 a month.');
    });

    it('says when none meets it, and the result\'s own variants reach the findings', () => {
      const base = priced(1.3, false, 1250);
      base.variants = [{ label: 'bigger', result: priced(0.5, false, 1650) }];
      assert.equal(one(findings(base), 'compare').text, 'None of the 2 variants meets the SLO; the lowest p99 is bigger\'s, 500ms.');
    });
  });

  describe('a sweep', () => {
    it('names each curve\'s knee in one sentence, or says there is none', () => {
      const f = sweepFindings(crafted({ sweep: sweep() }));
      assert.deepEqual(f.map((x) => [x.tone, x.text]), [
        ['info', 'For base, the knee is at 600/s: beyond it p99 rises from 30ms to 400ms.'],
        ['good', 'For bigger, there is no knee within the sweep: latency and throughput hold up to 1000/s.'],
      ]);
      assert.deepEqual(topic(findings(crafted({ sweep: sweep() })), 'sweep'), f, 'among the report\'s findings');
      assert.deepEqual(sweepFindings(crafted()), []);
    });

    it('warns when the scenario\'s own load is already past the knee', () => {
      // 35,000 requests in the 50 s window: 700/s offered, past the knee at 600/s.
      const r = crafted({ sweep: sweep(), requests: { sent: 35000, ok: 35000, failed: failures({}) } });
      const f = sweepFindings(r)[0]!;
      assert.equal(f.tone, 'warning');
      assert.equal(f.text, 'For base, the knee is at 600/s: beyond it p99 rises from 30ms to 400ms; the scenario\'s 700/s is already past it.');
    });
  });

  describe('a capacity plan', () => {
    it('names the cheapest farm that meets the SLO and why each cheaper one was ruled out', () => {
      const f = planFindings(crafted({ plan: plan() }));
      assert.equal(f[0]!.tone, 'good');
      assert.equal(f[0]!.text, 'The cheapest farm that meets the SLO is 4 servers × 1 core, 100Mbps, dr, at 900 a month (p99 110ms; meets the SLO under 4 seeds); 3 cheaper plans were ruled out: 2 by closed forms before simulating (the closest, 2 servers × 1 core, 100Mbps, dr: the servers would be 150% busy), and 1 in simulation (3 servers × 1 core, 100Mbps, dr: p99 1.2s misses p99 ≤ 200ms (bcn/web1 cpu 100% busy)).');
      assert.equal(f[1]!.text, 'The runner-up meets it too but costs more: 5 servers × 1 core, 100Mbps, dr at 1,000 (p99 70ms).');
      assert.equal(topic(findings(crafted({ plan: plan() })), 'plan').length, 2);
    });

    it('says when no plan meets the SLO, and what came closest', () => {
      const p = plan();
      p.verdicts = p.verdicts.filter((v) => v.cost < 900);
      delete p.chosen;
      const f = planFindings(crafted({ plan: p }));
      assert.equal(f.length, 1);
      assert.equal(f[0]!.tone, 'problem');
      assert.equal(f[0]!.text, 'No farm among the 3 plans searched meets the SLO: 2 by closed forms before simulating (the closest, 2 servers × 1 core, 100Mbps, dr: the servers would be 150% busy); 1 missed it in simulation (3 servers × 1 core, 100Mbps, dr: p99 1.2s misses p99 ≤ 200ms (bcn/web1 cpu 100% busy)). Widen the plan\'s space: more servers, cores, uplink or sites.');
    });
  });
});
