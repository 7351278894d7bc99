// Distributions of durations (cpu demand, think time) and sizes (responses), written
// as one short phrase: `exponential 5ms`, `lognormal 5ms cv 2`, `pareto 1ms..10s alpha 1.2`.
// The engine samples them; this file only says what they are.

import { UnitError } from './units.ts';

export type Distribution =
  | { kind: 'exponential'; mean: number }
  | { kind: 'deterministic'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Given by mean and coefficient of variation, as measured service times usually are. */
  | { kind: 'lognormal'; mean: number; cv: number }
  /** Bounded Pareto on [min, max] with shape alpha: heavy-tailed file sizes and CPU times. */
  | { kind: 'pareto'; min: number; max: number; alpha: number }
  /** Each listed value equally likely (e.g. measured service times). */
  | { kind: 'empirical'; values: number[] };

export const DISTRIBUTION_SYNTAX =
  'exponential 5ms | deterministic 5ms | uniform 1ms..9ms | lognormal 5ms cv 2 | pareto 1ms..10s alpha 1.2 | { empirical: [1ms, 2ms, 8ms] }';

/** Parses one phrase; `unit` parses a quantity such as `5ms` (or `20KB` for sizes). */
export function parseDistribution(text: string, unit: (q: string) => number): Distribution {
  const words = text.trim().split(/\s+/);
  const kind = words[0];
  const fail = (why: string): never => {
    throw new UnitError(`${why}; a distribution is written as ${DISTRIBUTION_SYNTAX}; found "${text}"`);
  };
  const range = (w: string | undefined): [number, number] => {
    const parts = (w ?? '').split('..');
    if (parts.length !== 2) fail(`expected a range such as 1ms..9ms after "${kind}"`);
    const lo = unit(parts[0]!);
    const hi = unit(parts[1]!);
    if (!(lo < hi)) fail(`expected the range's low end below its high end`);
    return [lo, hi];
  };
  const positive = (v: number, what: string): number => {
    if (!(v > 0)) fail(`expected ${what} above zero`);
    return v;
  };
  switch (kind) {
    case 'exponential':
      if (words.length !== 2) fail('expected "exponential <mean>"');
      return { kind, mean: positive(unit(words[1]!), 'the mean') };
    case 'deterministic':
      if (words.length !== 2) fail('expected "deterministic <value>"');
      return { kind, value: unit(words[1]!) };
    case 'uniform': {
      if (words.length !== 2) fail('expected "uniform <min>..<max>"');
      const [min, max] = range(words[1]);
      return { kind, min, max };
    }
    case 'lognormal': {
      if (words.length !== 4 || words[2] !== 'cv') fail('expected "lognormal <mean> cv <number>"');
      const cv = Number(words[3]);
      if (!Number.isFinite(cv)) fail('expected a number after "cv"');
      return { kind, mean: positive(unit(words[1]!), 'the mean'), cv: positive(cv, 'the cv') };
    }
    case 'pareto': {
      if (words.length !== 4 || words[2] !== 'alpha') fail('expected "pareto <min>..<max> alpha <number>"');
      const [min, max] = range(words[1]);
      const alpha = Number(words[3]);
      if (!Number.isFinite(alpha)) fail('expected a number after "alpha"');
      return { kind, min: positive(min, 'the minimum'), max, alpha: positive(alpha, 'alpha') };
    }
    default:
      // A bare quantity (`5ms`) is a constant: the way people write "always 5ms".
      if (words.length === 1) {
        try {
          return { kind: 'deterministic', value: unit(words[0]!) };
        } catch {
          /* fall through to the general message */
        }
      }
      return fail(`expected a distribution name`);
  }
}

export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case 'exponential':
    case 'lognormal':
      return d.mean;
    case 'deterministic':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'empirical':
      return d.values.reduce((a, b) => a + b, 0) / d.values.length;
    case 'pareto': {
      const { min: L, max: H, alpha: a } = d;
      if (a === 1) return (H * L / (H - L)) * Math.log(H / L);
      return (L ** a / (1 - (L / H) ** a)) * (a / (a - 1)) * (1 / L ** (a - 1) - 1 / H ** (a - 1));
    }
  }
}

/** Second moment E[X²], for Pollaczek–Khinchine and planners. */
export function distributionSecondMoment(d: Distribution): number {
  switch (d.kind) {
    case 'exponential':
      return 2 * d.mean * d.mean;
    case 'deterministic':
      return d.value * d.value;
    case 'uniform':
      return (d.min * d.min + d.min * d.max + d.max * d.max) / 3;
    case 'lognormal':
      return d.mean * d.mean * (1 + d.cv * d.cv);
    case 'empirical':
      return d.values.reduce((a, b) => a + b * b, 0) / d.values.length;
    case 'pareto': {
      const { min: L, max: H, alpha: a } = d;
      const c = L ** a / (1 - (L / H) ** a);
      if (a === 2) return c * a * Math.log(H / L);
      return (c * a / (2 - a)) * (H ** (2 - a) - L ** (2 - a));
    }
  }
}
