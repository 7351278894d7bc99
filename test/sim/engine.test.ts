import { strict as assert } from 'node:assert';
import { EventQueue } from '../../sim/engine/event-queue.ts';
import { Rng } from '../../sim/engine/rng.ts';
import { sampler } from '../../sim/engine/distributions.ts';
import { distributionMean, distributionSecondMoment, type Distribution } from '../../scenarios/distribution.ts';

describe('event queue', () => {
  it('pops events in time order, ties in the order they were pushed', () => {
    const q = new EventQueue(4); // small, so it must grow
    const rng = new Rng(3, 'queue');
    const pushed: { t: number; id: number }[] = [];
    for (let id = 0; id < 5000; id++) {
      const t = Math.floor(rng.random() * 200); // many ties on purpose
      pushed.push({ t, id });
      q.push(t, 1, id);
    }
    const expected = [...pushed].sort((x, y) => x.t - y.t || x.id - y.id).map((e) => e.id);
    const got: number[] = [];
    while (q.pop()) got.push(q.a);
    assert.deepEqual(got, expected);
    assert.equal(q.size, 0);
  });

  it('interleaves pushes and pops like a priority queue', () => {
    const q = new EventQueue(2);
    const rng = new Rng(9, 'queue');
    const model: number[] = [];
    let now = 0;
    for (let i = 0; i < 20000; i++) {
      if (model.length === 0 || rng.random() < 0.55) {
        const t = now + rng.random();
        q.push(t, 2, i, -i);
        model.push(t);
      } else {
        model.sort((a, b) => a - b);
        assert.ok(q.pop());
        assert.equal(q.time, model.shift());
        assert.equal(q.b + q.a, 0);
        now = q.time;
      }
    }
    assert.equal(q.size, model.length);
  });
});

describe('random numbers (xoshiro128**)', () => {
  it('matches the reference generator from state {1, 2, 3, 4}', () => {
    // Worked by hand from the published algorithm: result = rotl(s1 * 5, 7) * 9.
    const r = Rng.fromState(1, 2, 3, 4);
    assert.equal(r.nextUint32(), 11520);
    assert.equal(r.nextUint32(), 0);
    assert.equal(r.nextUint32(), 5927040);
  });

  it('gives the same stream for the same seed and name, another for another name', () => {
    const take = (r: Rng) => Array.from({ length: 8 }, () => r.nextUint32());
    assert.deepEqual(take(new Rng(7, 'cpu')), take(new Rng(7, 'cpu')));
    assert.notDeepEqual(take(new Rng(7, 'cpu')), take(new Rng(7, 'arrivals')));
    assert.notDeepEqual(take(new Rng(7, 'cpu')), take(new Rng(8, 'cpu')));
  });

  it('is uniform: 10 bins of 100k draws pass a chi-square test', () => {
    const r = new Rng(1, 'chi');
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(r.random() * 10)]++;
    const chi = bins.reduce((a, b) => a + (b - 10_000) ** 2 / 10_000, 0);
    assert.ok(chi < 27.88, `chi² ${chi} above the 0.1% critical value for 9 df`); // 27.88
  });
});

describe('distributions', () => {
  const cases: Distribution[] = [
    { kind: 'exponential', mean: 5 },
    { kind: 'deterministic', value: 3 },
    { kind: 'uniform', min: 1, max: 9 },
    { kind: 'lognormal', mean: 5, cv: 2 },
    { kind: 'pareto', min: 1, max: 100, alpha: 2.5 },
    { kind: 'empirical', values: [1, 2, 9] },
  ];
  for (const d of cases) {
    it(`${d.kind}: sample mean and second moment match the formulas`, () => {
      const s = sampler(d, new Rng(11, d.kind));
      const n = 400_000;
      let m1 = 0;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const x = s.sample();
        m1 += x;
        m2 += x * x;
      }
      m1 /= n;
      m2 /= n;
      const mean = distributionMean(d);
      const second = distributionSecondMoment(d);
      const sd = Math.sqrt(Math.max(second - mean * mean, 0));
      // 5 standard errors for the mean; the second moment of heavy tails converges slowly.
      assert.ok(Math.abs(m1 - mean) <= 5 * sd / Math.sqrt(n) + 1e-12, `${d.kind} mean ${m1} vs ${mean}`);
      assert.ok(Math.abs(m2 - second) <= 0.05 * second + 1e-12, `${d.kind} E[X²] ${m2} vs ${second}`);
      assert.equal(s.mean, mean);
    });
  }
});
