import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { loadScenario, loadScenarioSet } from '../../scenarios/load.ts';
import { mmcWait } from '../../sim/analytic/queueing.ts';
import { simulateAll } from '../../sim/parallel.ts';
import { candidates, plan, prune } from '../../sim/plan.ts';
import { resultJson } from '../../reports/data.ts';

const file = fileURLToPath(new URL('../../scenarios/validation/plan-mmc.yaml', import.meta.url));

describe('capacity planner', function () {
  this.timeout(120_000);

  it('finds the fewest M/M/c cores whose Erlang C wait meets the target', async () => {
    const scenario = loadScenario(file);
    const space = loadScenarioSet(file).plan!;
    // The answer from the closed form alone.
    let optimum = 1;
    while (0.01 + mmcWait(optimum, 800, 100) > 0.0125) optimum++;
    const { report, chosen } = await plan(scenario, space, (list) => simulateAll(list, { workers: 1 }), 2);
    assert.equal(chosen?.candidate.cores, optimum, report.verdicts.map((v) => `${v.label}: ${v.status} ${v.reason}`).join('\n'));
    // Everything cheaper was rejected, each with a reason that names what broke.
    for (const v of report.verdicts.filter((x) => x.cost < chosen!.candidate.cost)) {
      assert.ok(v.status === 'pruned' || v.status === 'missed', `${v.label} is cheaper yet ${v.status}`);
      assert.match(v.reason, /busy|M\/M\/|misses/);
    }
    assert.ok(report.frontier.length >= 2, 'the frontier has simulated points');
  });

  it('prunes by utilisation before simulating', () => {
    const scenario = loadScenario(file);
    const all = candidates(scenario, { cores: [4, 8, 12], servers: [1], replications: 1 });
    assert.deepEqual(all.map((c) => c.cores), [4, 8, 12]);
    assert.match(prune(all[0]!)!, /200% busy/);
    assert.match(prune(all[1]!)!, /100% busy/);
    assert.equal(prune(all[2]!), undefined);
  });

  it('parallel runs give the same results as sequential ones', async () => {
    const list = [1, 2, 3, 4].map((seed) => loadScenario(file, { set: [`seed=${seed}`, 'duration=30s', 'sites[0].servers[0].cores=10'] }));
    const seq = await simulateAll(list, { workers: 1 });
    const par = await simulateAll(list, { workers: 2 });
    assert.deepEqual(par.map(resultJson), seq.map(resultJson));
  });
});
