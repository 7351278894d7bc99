// Closed forms of queueing theory, used to validate the model and (later) to prune plans
// before simulating. λ: arrival rate, μ: service rate of one server, c: servers.

/** Erlang C: the probability that an arrival waits in M/M/c with offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/** M/M/c mean wait in queue Wq = C(c, a) / (cμ − λ). */
export function mmcWait(c: number, lambda: number, mu: number): number {
  if (lambda >= c * mu) return Infinity;
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** Pollaczek–Khinchine: M/G/1 mean wait Wq = λ E[S²] / (2 (1 − ρ)). */
export function mg1Wait(lambda: number, meanService: number, secondMoment: number): number {
  const rho = lambda * meanService;
  if (rho >= 1) return Infinity;
  return (lambda * secondMoment) / (2 * (1 - rho));
}

/** M/G/1 processor sharing: a job of size x spends x / (1 − ρ), whatever the distribution. */
export function psSojourn(x: number, rho: number): number {
  return rho >= 1 ? Infinity : x / (1 - rho);
}
