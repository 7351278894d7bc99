// A Result under a name. Charts that can compare take a list of them, so a comparison
// (`compare:` variants) or a sweep draws its runs side by side; a single run is a list of one.

import type { Result } from './result.ts';

export interface Variant {
  /** The legend's label: "local", "dns", "200/s". */
  name: string;
  result: Result;
}

export function single(result: Result): Variant[] {
  return [{ name: result.scenario.name, result }];
}

/** A Result with `compare:` variants as the list to draw side by side: the base run first. */
export function variantsOf(result: Result): Variant[] {
  // A lab run's variants are the simulator's prediction of it: the base is the measurement.
  return [{ name: result.label ?? (result.source === 'lab' ? 'lab measurement' : 'base'), result }, ...(result.variants ?? []).map((v) => ({ name: v.label, result: v.result }))];
}
