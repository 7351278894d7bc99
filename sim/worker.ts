// One simulation worker: a scenario in, a Result out, for sim/parallel.ts.

import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenarios/schema.ts';
import { simulate } from './run.ts';

parentPort!.on('message', ({ id, scenario }: { id: number; scenario: Scenario }) => {
  try {
    parentPort!.postMessage({ id, result: simulate(scenario) });
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
