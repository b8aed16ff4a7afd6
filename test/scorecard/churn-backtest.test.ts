import { describe, expect, it } from 'vitest';
import { backtest, CLASSES, meets, TARGETS } from '../../scripts/churn/simulate.ts';

/**
 * A small fixed-seed run of the churn backtest (`pnpm bench:churn` runs the full one): a few
 * simulated relationships per class, read every day through the engine with the default policy,
 * must meet the class's targets (issue 9), so a change to the detector that breaks one fails CI.
 * Not timed.
 */
describe('churn backtest (small, fixed seed): every class meets its targets with the default policy', () => {
  for (const cls of CLASSES) {
    it(cls, () => {
      const { detector } = backtest(cls, 6, 7);
      for (const t of TARGETS[cls]) expect(meets(t, detector[t.figure]), `${t.label}: ${detector[t.figure]} ${t.op} ${t.bound}`).toBe(true);
    });
  }
});
