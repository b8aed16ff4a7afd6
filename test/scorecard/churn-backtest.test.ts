import { describe, expect, it } from 'vitest';
import { backtest, CLASSES, meets, TARGETS } from '../../scripts/churn/simulate.ts';

/**
 * Rows of the issue's targets that the full backtest (`pnpm bench:churn`, README "Churn stage")
 * does not meet with the default policy, and why (README gives the figures). Every other row is
 * asserted; a row listed here that starts to pass fails the test, so the list cannot go stale.
 */
const OPEN: Record<string, string> = {
  'repairedThaw/detectedWithin21Pct':
    'in their first 21 days many thaws bring only one or two negative contacts or complaints (on the full run one in six at most one), as little as a steady client shows by chance; flagging on that costs the steady clients their false-alarm budget',
};

/**
 * A small fixed-seed run of the churn backtest: simulated relationships per class, read every day
 * through the engine with the default policy, must meet every target of the class (issue 9), so a
 * change to the detector that breaks one fails CI. Not timed.
 */
describe('churn backtest (small, fixed seed): each class meets its targets with the default policy', () => {
  for (const cls of CLASSES) {
    it(cls, () => {
      const { detector } = backtest(cls, 24, 7);
      for (const t of TARGETS[cls]) {
        const ok = meets(t, detector[t.figure]);
        const open = OPEN[`${cls}/${t.figure}`];
        expect(ok, `${t.label}: ${detector[t.figure]} ${t.op} ${t.bound}${open ? ` (listed as open: ${open})` : ''}`).toBe(!open);
      }
      // Two years of daily readings for 24 relationships: minutes of CPU on a loaded shared machine
      // (not a timing target; `pnpm bench:churn` reports the time).
    }, 600_000);
  }
});
