// The IPVS schedulers of Linux 6.1 (plus twos from 6.2) as pure TypeScript: createScheduler builds one by its ipvsadm -s name with its ipvsadm -b flags, the way the kernel binds a scheduler module to a virtual service.

import type { SchedulerName } from '../../../scenarios/schema.ts';
import type { Scheduler } from './scheduler.ts';
import { RoundRobinScheduler } from './rr.ts';
import { WeightedRoundRobinScheduler } from './wrr.ts';
import { LeastConnectionScheduler } from './lc.ts';
import { WeightedLeastConnectionScheduler } from './wlc.ts';
import { ShortestExpectedDelayScheduler } from './sed.ts';
import { NeverQueueScheduler } from './nq.ts';
import { DestinationHashingScheduler } from './dh.ts';
import { SourceHashingScheduler } from './sh.ts';
import { MaglevHashingScheduler } from './mh.ts';
import { TwosScheduler } from './twos.ts';

export type { Dest, Scheduler } from './scheduler.ts';
export { shBucket, shBucketTable } from './sh.ts';
export { dhBucket, dhBucketTable } from './dh.ts';
export { mhLookupTable, MH_DEFAULT_TABLE_SIZE } from './mh.ts';
export { hash32, connOverhead } from './hash.ts';
export {
  RoundRobinScheduler,
  WeightedRoundRobinScheduler,
  LeastConnectionScheduler,
  WeightedLeastConnectionScheduler,
  ShortestExpectedDelayScheduler,
  NeverQueueScheduler,
  DestinationHashingScheduler,
  SourceHashingScheduler,
  MaglevHashingScheduler,
  TwosScheduler,
};

/** The ipvsadm -b flags each scheduler understands (ipvsadm refuses the others). */
const FLAGS: Partial<Record<SchedulerName, readonly string[]>> = {
  sh: ['sh-fallback', 'sh-port'],
  mh: ['mh-fallback', 'mh-port'],
};

/**
 * A scheduler by name. `flags` are ipvsadm -b flags; `random` returns a float in [0, 1) from the
 * simulator's seeded RNG (only twos draws from it). Throws on a flag the scheduler has no use for.
 */
export function createScheduler(name: SchedulerName, flags: readonly string[], random: () => number): Scheduler {
  const allowed = FLAGS[name] ?? [];
  for (const f of flags) {
    if (!allowed.includes(f)) {
      throw new Error(
        `scheduler flag "${f}" does not apply to the ${name} scheduler` +
          (allowed.length ? ` (expected ${allowed.join(' or ')})` : ' (it takes no flags)'),
      );
    }
  }
  switch (name) {
    case 'rr':
      return new RoundRobinScheduler();
    case 'wrr':
      return new WeightedRoundRobinScheduler();
    case 'lc':
      return new LeastConnectionScheduler();
    case 'wlc':
      return new WeightedLeastConnectionScheduler();
    case 'sed':
      return new ShortestExpectedDelayScheduler();
    case 'nq':
      return new NeverQueueScheduler();
    case 'dh':
      return new DestinationHashingScheduler();
    case 'sh':
      return new SourceHashingScheduler(flags.includes('sh-fallback'), flags.includes('sh-port'));
    case 'mh':
      return new MaglevHashingScheduler(flags.includes('mh-fallback'), flags.includes('mh-port'));
    case 'twos':
      return new TwosScheduler(random);
    default: {
      const never: never = name;
      throw new Error(`unknown scheduler "${String(never)}"`);
    }
  }
}
