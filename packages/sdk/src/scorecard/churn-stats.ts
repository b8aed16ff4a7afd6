/**
 * Tail probabilities the churn detector tests counts with (DESIGN §3 "Churn stage": test counts,
 * not ratios). Plain double arithmetic, deterministic on every platform that follows IEEE 754.
 */

/**
 * P(X ≤ k) for X ~ Poisson(mu), k an integer ≥ 0 (k < 0 gives 0). Terms are summed in log space
 * from i = 0, so a large mu underflows only terms that are negligible anyway. O(k); a result for
 * k ≥ MEMO_MIN_K is remembered by (k, mu) (the detector asks the same window counts again on every
 * read of a relationship), and ln i comes from a table: the same doubles in the same order, so the
 * result is identical to the last bit to summing afresh (poissonCdfSummed).
 */
export function poissonCdf(k: number, mu: number): number {
  if (k < 0) return 0;
  if (mu <= 0) return 1;
  if (k < MEMO_MIN_K) return poissonCdfSummed(k, mu);
  let byMu = cdfMemo.get(k);
  const known = byMu?.get(mu);
  if (known !== undefined) return known;
  const p = poissonCdfSummed(k, mu);
  if (cdfMemoSize >= CDF_MEMO_MAX) {
    cdfMemo.clear();
    cdfMemoSize = 0;
    byMu = undefined;
  }
  if (!byMu) cdfMemo.set(k, (byMu = new Map()));
  byMu.set(mu, p);
  cdfMemoSize++;
  return p;
}

/** poissonCdf summed term by term, nothing remembered (k ≥ 0, mu > 0). */
export function poissonCdfSummed(k: number, mu: number): number {
  const lnMu = Math.log(mu);
  const ln = k < LN_TABLE_MAX ? lnTable(k) : null;
  let lt = -mu;
  let sum = Math.exp(lt);
  for (let i = 1; i <= k; i++) {
    lt += lnMu - (ln ? ln[i] : Math.log(i));
    sum += Math.exp(lt);
  }
  return Math.min(1, sum);
}

/** Below this k, summing costs less than looking the result up. */
const MEMO_MIN_K = 16;
/** Results remembered at most (then forgotten all at once): about 100 bytes each. */
const CDF_MEMO_MAX = 16_384;
const cdfMemo = new Map<number, Map<number, number>>();
let cdfMemoSize = 0;
/** ln i for i < LN_TABLE_MAX is read from a table (8 bytes each, grown as needed). */
const LN_TABLE_MAX = 1 << 16;
let lnOf = new Float64Array(0);

/** Math.log(i) for i = 0 … at least k, computed once per i. */
function lnTable(k: number): Float64Array {
  if (lnOf.length > k) return lnOf;
  const next = new Float64Array(Math.min(LN_TABLE_MAX, Math.max(k + 1, 2 * lnOf.length, 1024)));
  next.set(lnOf);
  for (let i = lnOf.length; i < next.length; i++) next[i] = Math.log(i);
  lnOf = next;
  return next;
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
