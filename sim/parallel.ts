// Many simulations at once (variants, sweeps, replications, plans) on every core, through
// worker_threads. Each run is the same pure function of its scenario, so results are the
// same as a sequential run's, only sooner; they come back in the order asked.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenarios/schema.ts';
import type { Result } from '../reports/result.ts';
import { simulate } from './run.ts';

export interface ParallelOptions {
  /** Worker threads to use; 1 runs in this thread. Default: one per core. */
  workers?: number;
  /** Called as runs progress, with how many are done (fractions within a run on one thread). */
  progress?: (done: number, total: number) => void;
}

export async function simulateAll(scenarios: Scenario[], options: ParallelOptions = {}): Promise<Result[]> {
  const n = Math.max(1, Math.min(options.workers ?? availableParallelism(), scenarios.length));
  if (n === 1) {
    return scenarios.map((s, i) => {
      const progress = options.progress;
      // Within a run, its share of simulated time done counts as a fraction of a run.
      const r = simulate(s, progress ? { progress: (d) => progress(i + d, scenarios.length) } : {});
      progress?.(i + 1, scenarios.length);
      return r;
    });
  }
  const results = new Array<Result>(scenarios.length);
  let next = 0;
  let done = 0;
  // Workers run the TypeScript sources too: register tsx in each before loading the worker.
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); });`;
  const pool = Array.from({ length: n }, () => new Worker(boot, { eval: true }));
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= scenarios.length) return resolve();
        const id = next++;
        worker.once('message', (msg: { id: number; result?: Result; error?: string }) => {
          if (msg.error !== undefined) return reject(new Error(msg.error));
          results[msg.id] = msg.result!;
          options.progress?.(++done, scenarios.length);
          feed();
        });
        worker.postMessage({ id, scenario: scenarios[id] });
      };
      worker.once('error', reject);
      feed();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
