import { describe, expect, it } from 'vitest';
import { gapSurvival, poissonCdf } from '../../src/scorecard/churn-stats.ts';
import { mulberry32 as random } from '../../src/scorecard/testing.ts';

/** P(X ≤ k) for X ~ Poisson(mu) as the detector first summed it: ln i and every term computed afresh. */
function reference(k: number, mu: number): number {
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

describe('poissonCdf (remembered results, ln i from a table)', () => {
  it('equals the term-by-term sum to the last bit, first asked and asked again', () => {
    const next = random(13);
    const cases: [number, number][] = [];
    for (let n = 0; n < 3000; n++) {
      const k = Math.floor(next() ** 2 * 2000);
      const mu = next() < 0.1 ? Math.floor(next() * 500) : next() * 1500;
      cases.push([k, mu]);
    }
    cases.push([0, 0], [5, -1], [-1, 3], [16, 16], [15, 15], [304, 304.29469827888954], [2_000, 1e-300], [10, 1e6]);
    for (const round of ['first', 'again']) {
      for (const [k, mu] of cases) {
        const got = poissonCdf(k, mu);
        if (!Object.is(got, reference(k, mu))) expect({ round, k, mu, got }).toEqual({ round, k, mu, got: reference(k, mu) });
      }
    }
  });

  it('a count beyond the table of logarithms (k ≥ 65,536) sums the same', () => {
    for (const [k, mu] of [[70_000, 70_100.5], [65_536, 65_000]] as const) expect(Object.is(poissonCdf(k, mu), reference(k, mu))).toBe(true);
  });

  it('more distinct (k, mu) than it remembers: results stay the same after it forgets', () => {
    const next = random(7);
    const asked: [number, number, number][] = [];
    for (let n = 0; n < 20_000; n++) {
      const k = 16 + Math.floor(next() * 40);
      const mu = next() * 60;
      asked.push([k, mu, poissonCdf(k, mu)]);
    }
    for (const [k, mu, p] of asked.slice(0, 200)) expect(Object.is(poissonCdf(k, mu), p) && Object.is(p, reference(k, mu))).toBe(true);
  });

  it('gapSurvival reads through it: P(Gamma gap > d) is P(Poisson(k·d/g) ≤ k − 1)', () => {
    expect(Object.is(gapSurvival(30, 7, 20), reference(19, (20 * 30) / 7))).toBe(true);
    expect(gapSurvival(0, 7, 20)).toBe(1);
  });
});
