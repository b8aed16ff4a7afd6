import { LedgerBuilder } from '../../src/scorecard/testing.ts';

/** Start of the drift story: a Monday. */
export const DRIFT_START = '2025-01-06T09:00:00.000Z';
/**
 * The week at which each phase of the drift story is checked. Thawing is read in week 34, when the
 * first complaints join the silence: the silence alone (no positive call for six weeks where about
 * six were expected, p ≈ 0.0025) is the same evidence a steady client shows by chance about once in
 * 400 gaps, which the churn backtest's handled-complaint class counts as a false alarm (issue 9).
 */
export const DRIFT_CHECKPOINTS = { stable: 24, thawing: 34, anti: 40, switching: 50, lost: 66 } as const;

/**
 * A client drifting away over about fifteen months, one week at a time (DESIGN §1, the boiling frog):
 * weeks 0–25 weekly orders of 100, a weekly positive call, an on-time delivery and a monthly
 * satisfaction pulse of 4; from week 26 the positive calls stop; from week 34 complaints and
 * negative calls rise and satisfaction falls to 2; from week 42 the client mentions another
 * supplier and orders halve; from week 52 it stops ordering.
 */
export function driftStory(): LedgerBuilder {
  const b = new LedgerBuilder({ start: DRIFT_START });
  for (let week = 0; week < 70; week++) {
    const monday = Date.parse(DRIFT_START) + week * 7 * 86_400_000;
    b.at(monday);
    const volume = week < 42 ? 100 : week < 52 ? 50 : 0;
    if (volume > 0) {
      b.interaction('ACTIVITY', 'CLIENT', { volume, note: `order week ${week}` });
      const delivery = b.promise('SUPPLIER', 'DELIVERY', `deliver order of week ${week}`, 4);
      b.at(monday + 3 * 86_400_000);
      b.keep(delivery, 'SUPPLIER');
    }
    if (week < 26) {
      b.at(monday + 2 * 86_400_000);
      b.interaction('POSITIVE_CONTACT', 'CLIENT', { note: 'thanks for the quick delivery' });
    }
    if (week >= 34 && week < 52) {
      b.at(monday + 1 * 86_400_000);
      const complaint = b.interaction('COMPLAINT', 'CLIENT', { note: 'wrong items in the shipment' });
      b.at(monday + 3 * 86_400_000);
      b.add('COMPLAINT_RESPONDED', { interactionSeq: complaint, note: 'looking into it' }, { by: 'SUPPLIER' });
      b.at(monday + 4 * 86_400_000);
      b.interaction('NEGATIVE_CONTACT', 'CLIENT', { note: 'angry call about the shipment' });
      b.add('COMPLAINT_RESOLVED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
    }
    if (week === 42) {
      b.at(monday + 1 * 86_400_000);
      b.interaction('ALTERNATIVE_SUPPLIER', 'CLIENT', { note: 'trialling a second supplier' });
    }
    if (week % 4 === 0 && week < 52) {
      b.at(monday + 4 * 86_400_000);
      b.interaction('SATISFACTION', 'CLIENT', { score: week < 34 ? 4 : 2 });
    }
  }
  return b;
}

/** The time at a week of the drift story (Saturday noon). */
export const driftWeek = (week: number): string =>
  new Date(Date.parse(DRIFT_START) + (week * 7 + 5) * 86_400_000 + 3 * 3_600_000).toISOString();
