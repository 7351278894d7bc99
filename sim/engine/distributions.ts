// Sampling the scenario's distributions. A Sampler is built once per stream; sample() is on
// the hot path, so each kind is its own small class with its constants precomputed.

import { distributionMean, type Distribution } from '../../scenarios/distribution.ts';
import type { Rng } from './rng.ts';

export interface Sampler {
  sample(): number;
  readonly mean: number;
}

class Exponential implements Sampler {
  constructor(private rng: Rng, readonly mean: number) {}
  sample(): number {
    return -Math.log(this.rng.randomOpen()) * this.mean;
  }
}

class Deterministic implements Sampler {
  constructor(readonly mean: number) {}
  sample(): number {
    return this.mean;
  }
}

class Uniform implements Sampler {
  readonly mean: number;
  constructor(private rng: Rng, private min: number, private width: number) {
    this.mean = min + width / 2;
  }
  sample(): number {
    return this.min + this.rng.random() * this.width;
  }
}

/** Lognormal given by mean m and cv: σ² = ln(1 + cv²), μ = ln m − σ²/2; normals by Box–Muller. */
class Lognormal implements Sampler {
  private mu: number;
  private sigma: number;
  private spare = NaN;
  constructor(private rng: Rng, readonly mean: number, cv: number) {
    const s2 = Math.log(1 + cv * cv);
    this.sigma = Math.sqrt(s2);
    this.mu = Math.log(mean) - s2 / 2;
  }
  sample(): number {
    let z = this.spare;
    if (Number.isNaN(z)) {
      const r = Math.sqrt(-2 * Math.log(this.rng.randomOpen()));
      const th = 2 * Math.PI * this.rng.random();
      z = r * Math.cos(th);
      this.spare = r * Math.sin(th);
    } else this.spare = NaN;
    return Math.exp(this.mu + this.sigma * z);
  }
}

/** Bounded Pareto on [L, H] by inversion: x = L / (1 − u(1 − (L/H)^α))^(1/α). */
class BoundedPareto implements Sampler {
  private k: number;
  private inv: number;
  constructor(private rng: Rng, private low: number, high: number, alpha: number, readonly mean: number) {
    this.k = 1 - (low / high) ** alpha;
    this.inv = 1 / alpha;
  }
  sample(): number {
    return this.low / (1 - this.rng.random() * this.k) ** this.inv;
  }
}

class Empirical implements Sampler {
  readonly mean: number;
  private values: Float64Array;
  constructor(private rng: Rng, values: number[]) {
    this.values = Float64Array.from(values);
    this.mean = values.reduce((a, b) => a + b, 0) / values.length;
  }
  sample(): number {
    return this.values[this.rng.below(this.values.length)]!;
  }
}

/** A sampler of `d` scaled by `scale` (e.g. cpu demand ÷ server speed). */
export function sampler(d: Distribution, rng: Rng, scale = 1): Sampler {
  switch (d.kind) {
    case 'exponential':
      return new Exponential(rng, d.mean * scale);
    case 'deterministic':
      return new Deterministic(d.value * scale);
    case 'uniform':
      return new Uniform(rng, d.min * scale, (d.max - d.min) * scale);
    case 'lognormal':
      return new Lognormal(rng, d.mean * scale, d.cv);
    case 'pareto':
      return new BoundedPareto(rng, d.min * scale, d.max * scale, d.alpha, distributionMean(d) * scale);
    case 'empirical':
      return new Empirical(rng, d.values.map((v) => v * scale));
  }
}
