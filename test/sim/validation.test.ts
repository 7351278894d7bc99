// The model against queueing theory, through the full model (a director with rr in front of
// one real server). Each scenario in scenarios/validation/ runs as 10 independent replications
// (seeds 1..10); the closed form must lie inside the 99.9% confidence interval of their mean,
// and that interval must be narrower than ±3% of the closed form, so a pass says something.

import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/run.ts';
import { erlangC, mg1Wait, mmcWait, psSojourn } from '../../sim/analytic/queueing.ts';

const dir = fileURLToPath(new URL('../../scenarios/validation/', import.meta.url));
const REPLICATIONS = 10;
const T_999_DF9 = 4.781; // Student's t, two-sided 99.9%, 9 degrees of freedom
const S = 0.01; // every validation scenario serves 10ms on average: μ = 100/s

interface Interval { mean: number; half: number }

/** Mean of `measure` over independent replications, with its confidence half-width. */
function replicate(file: string, measure: (r: ReturnType<typeof simulate>) => number): Interval {
  const xs: number[] = [];
  for (let seed = 1; seed <= REPLICATIONS; seed++) {
    xs.push(measure(simulate(loadScenario(`${dir}${file}`, { set: [`seed=${seed}`] }))));
  }
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, half: T_999_DF9 * Math.sqrt(variance / xs.length) };
}

function assertAgrees(name: string, got: Interval, expected: number): void {
  const err = (got.mean - expected) / expected;
  const msg = `${name}: simulated ${got.mean.toPrecision(5)} ± ${got.half.toPrecision(2)}, theory ${expected.toPrecision(5)} (error ${(err * 100).toFixed(2)}%)`;
  if (process.env.WEBFARM_VERBOSE) console.log(`      ${msg}`);
  assert.ok(got.half < 0.03 * expected, `${msg}: the interval is too wide to judge; run longer`);
  assert.ok(Math.abs(got.mean - expected) <= got.half, msg);
}

const wait = (r: ReturnType<typeof simulate>) => r.latency.mean - S;
const sojourn = (r: ReturnType<typeof simulate>) => r.latency.mean;

describe('validation against closed forms', function () {
  this.timeout(300_000);

  it('reproduces the reference Erlang C values of ../shared/design.md', () => {
    assert.ok(Math.abs(erlangC(2, 1.6) - 0.711111) < 1e-6);
    assert.ok(Math.abs(erlangC(4, 3.2) - 0.596432) < 1e-6);
    assert.ok(Math.abs(erlangC(10, 8) - 0.40918) < 1e-6);
    assert.ok(Math.abs(mmcWait(2, 1.6, 1) - 1.777778) < 1e-6);
    assert.ok(Math.abs(mg1Wait(0.8, 1, 2) - 4) < 1e-12);
  });

  it('M/M/1 at ρ = 0.5: W = 2/μ', () => {
    assertAgrees('M/M/1 ρ=0.5 W', replicate('mm1-rho05.yaml', sojourn), 2 * S);
  });

  it('M/M/1 at ρ = 0.9: W = 10/μ and Lq = 8.1', () => {
    const w = replicate('mm1-rho09.yaml', sojourn);
    assertAgrees('M/M/1 ρ=0.9 W', w, 10 * S);
    // Little's law on the queue: Lq = λ Wq.
    assertAgrees('M/M/1 ρ=0.9 Lq', { mean: 90 * (w.mean - S), half: 90 * w.half }, 8.1);
  });

  for (const [file, c, a] of [['mmc-2.yaml', 2, 1.6], ['mmc-4.yaml', 4, 3.2], ['mmc-10.yaml', 10, 8]] as const) {
    it(`M/M/${c} with A = ${a}: Wq by Erlang C`, () => {
      assertAgrees(`M/M/${c} Wq`, replicate(file, wait), mmcWait(c, a / S, 1 / S));
    });
  }

  it('M/D/1 at ρ = 0.8: Wq = 2/μ (Pollaczek–Khinchine)', () => {
    assertAgrees('M/D/1 Wq', replicate('md1.yaml', wait), mg1Wait(80, S, S * S));
  });

  it('M/G/1 at ρ = 0.8, cs² = 4: Wq = 10/μ (Pollaczek–Khinchine)', () => {
    assertAgrees('M/G/1 cs²=4 Wq', replicate('mg1-cs4.yaml', wait), mg1Wait(80, S, 5 * S * S));
  });

  it('processor sharing at ρ = 0.8: mean stay E[x]/(1−ρ) whatever the size mix', () => {
    assertAgrees('M/G/1-PS W', replicate('ps-bimodal.yaml', sojourn), psSojourn(S, 0.8));
  });
});
