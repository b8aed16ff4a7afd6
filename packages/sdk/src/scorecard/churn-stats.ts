/**
 * Tail probabilities the churn detector tests counts with (DESIGN §3 "Churn stage": test counts,
 * not ratios). Plain double arithmetic, deterministic on every platform that follows IEEE 754.
 */

/**
 * P(X ≤ k) for X ~ Poisson(mu), k an integer ≥ 0 (k < 0 gives 0). Terms are summed in log space
 * from i = 0, so a large mu underflows only terms that are negligible anyway.
 */
export function poissonCdf(k: number, mu: number): number {
  if (k < 0) return 0;
  if (mu <= 0) return 1;
  const lnMu = Math.log(mu);
  let lt = -mu;
  let sum = Math.exp(lt);
  for (let i = 1; i <= k; i++) {
    lt += lnMu - Math.log(i);
    sum += Math.exp(lt);
  }
  return Math.min(1, sum);
}

/**
 * P(X ≥ k) for X ~ Poisson(mu), k an integer (k ≤ 0 gives 1). Summed upward from k directly (not
 * 1 − cdf), so small tail probabilities keep their precision.
 */
export function poissonUpper(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu <= 0) return 0;
  const lnMu = Math.log(mu);
  // log of the k-th term: −mu + k ln mu − ln k!
  let lt = -mu;
  for (let i = 1; i <= k; i++) lt += lnMu - Math.log(i);
  let term = Math.exp(lt);
  let sum = term;
  for (let i = k + 1; i < k + 10_000; i++) {
    term *= mu / i;
    sum += term;
    if (i > mu && term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/**
 * Survival of a gamma-renewal gap: P(G > d) for G ~ Gamma(shape k, mean g), k a positive integer
 * (the Erlang distribution): P(Poisson(k·d/g) ≤ k − 1). k = 1 is the memoryless Poisson process;
 * larger k a more regular cadence (Cox, *Renewal Theory*, 1962, §1.3).
 */
export const gapSurvival = (d: number, g: number, k: number): number => (d <= 0 ? 1 : poissonCdf(k - 1, (k * d) / g));

/**
 * Standard normal lower tail Φ(z), via erfc with fractional error below 1.2e−7 everywhere
 * (Press et al., *Numerical Recipes*, 2nd ed., §6.2, erfcc).
 */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const r =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return 0.5 * (x >= 0 ? r : 2 - r);
}
