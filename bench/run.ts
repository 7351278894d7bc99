// `npm run bench`: the simulator's speed on the M/M/4 benchmark (bench/mm4.yaml) at 1M, 5M
// and 10M requests, each in its own process so that peak RSS is that run's alone; then the
// scale run (bench/mixed.yaml): mixed balancing over 20 sites, 10,000 resolvers, 2M requests.

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/run.ts';
import { simulateAll } from '../sim/parallel.ts';
import { resultJson } from '../reports/data.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const scenarioFile = `${here}mm4.yaml`;
const RATE = 3200;

interface Measure { requests: number; wall: number; events: number; rss: number; p99: number; mean: number }

function one(requests: number): Measure {
  const scenario = loadScenario(scenarioFile, { set: [`duration=${requests / RATE}s`] });
  const t0 = performance.now();
  const r = simulate(scenario);
  const wall = (performance.now() - t0) / 1000;
  return { requests: r.requests.sent, wall, events: r.events ?? 0, rss: process.resourceUsage().maxRSS * 1024, p99: r.latency.p99, mean: r.latency.mean };
}

function mixed(): void {
  const scenario = loadScenario(`${here}mixed.yaml`);
  const t0 = performance.now();
  const r = simulate(scenario);
  const wall = (performance.now() - t0) / 1000;
  const shares = r.servers.map((s) => s.share);
  console.log(
    `mixed, 20 sites × 10 servers, 10,000 resolvers, ${(r.requests.sent / 1e6).toFixed(2)}M requests: ${wall.toFixed(2)} s, ` +
    `${(r.requests.sent / wall / 1e6).toFixed(2)}M requests/s, ${((r.events ?? 0) / wall / 1e6).toFixed(2)}M events/s; ` +
    `busiest/idlest server share ${(Math.max(...shares) / Math.min(...shares)).toFixed(2)} (resolver hot spots)`,
  );
}

/** A sweep of eight M/M/4 runs, on one thread and then on every core: same results, sooner. */
async function parallelSweep(): Promise<void> {
  const list = [1600, 2000, 2400, 2800, 3000, 3200, 3400, 3600].map((rate) =>
    loadScenario(scenarioFile, { set: [`workload.arrivals=poisson ${rate}/s`, 'duration=1000s'] }));
  let t0 = performance.now();
  const seq = await simulateAll(list, { workers: 1 });
  const sequential = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const par = await simulateAll(list, { workers: availableParallelism() });
  const parallel = (performance.now() - t0) / 1000;
  const same = seq.every((r, i) => resultJson(r) === resultJson(par[i]!));
  const requests = seq.reduce((a, r) => a + r.requests.sent, 0);
  console.log(`sweep of 8 runs (${(requests / 1e6).toFixed(1)}M requests): sequential ${sequential.toFixed(2)} s, ` +
    `${availableParallelism()} workers ${parallel.toFixed(2)} s, speed-up ${(sequential / parallel).toFixed(2)}x, identical results: ${same}`);
}

if (process.argv[2] === '--one') {
  process.stdout.write(JSON.stringify(one(Number(process.argv[3]))));
} else if (process.argv[2] === '--mixed') {
  mixed();
} else if (process.argv[2] === '--sweep') {
  await parallelSweep();
} else {
  const rows: Measure[] = [];
  for (const n of [1e6, 5e6, 10e6]) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', String(n)], { encoding: 'utf8' });
    const m = JSON.parse(out) as Measure;
    rows.push(m);
    console.log(
      `M/M/4 ρ=0.8 rr, ${(m.requests / 1e6).toFixed(2)}M requests: ${(m.requests / m.wall / 1e6).toFixed(2)}M requests/s, ` +
      `${(m.events / m.wall / 1e6).toFixed(2)}M events/s, ${m.wall.toFixed(2)} s, peak RSS ${(m.rss / 2 ** 20).toFixed(0)} MiB ` +
      `(mean ${(m.mean * 1e3).toFixed(3)} ms, theory 1.746 ms)`,
    );
  }
  const r1 = rows[0]!.rss, r10 = rows[2]!.rss;
  console.log(`peak RSS 10M / 1M = ${(r10 / r1).toFixed(2)} (target ≤ 1.2)`);
  mixed();
  await parallelSweep();
}
