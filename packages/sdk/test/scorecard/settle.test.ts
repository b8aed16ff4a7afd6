import type { LedgerEntry } from '@trustledger/schema';
import { expect, it } from 'vitest';
import { applyEntry, computeScorecard, foldLedger, initialState, type ScoreState, scorecardFromState } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

/** The server's path: the stored JSON state, one entry at a time, folding when asked. */
function served(entries: readonly LedgerEntry[], asOf: string) {
  let state: ScoreState = initialState();
  let rebuilds = 0;
  entries.forEach((e, i) => {
    const out = applyEntry(state, e);
    if (out.rebuild) rebuilds++;
    state = JSON.parse(JSON.stringify(out.rebuild ? foldLedger(entries.slice(0, i + 1)) : out.state));
  });
  return { card: scorecardFromState(state, asOf), state, rebuilds };
}

it('complaints past their deadlines leave the state: it stays small however many go unresolved', () => {
  const small = new LedgerBuilder();
  const big = new LedgerBuilder();
  // Daily complaints, answered and never resolved; `small` stops after 500 days (well past every
  // window the state keeps), `big` after 2000.
  for (let i = 0; i < 2000; i++) {
    for (const b of i < 500 ? [small, big] : [big]) {
      b.advance(1);
      const c = b.interaction('COMPLAINT', 'CLIENT', { note: `complaint ${i}` });
      b.add('COMPLAINT_RESPONDED', { interactionSeq: c }, { by: 'SUPPLIER' });
    }
  }
  const bigState = foldLedger(big.entries);
  expect(Object.keys(bigState.complaints).length).toBeLessThanOrEqual(6); // the last five days' worth
  expect(JSON.stringify(bigState).length).toBeLessThan(1.1 * JSON.stringify(foldLedger(small.entries)).length);
  // Each settled complaint still counts against the supplier, and is still open for the churn actions.
  const asOf = big.inDays(1);
  const card = computeScorecard(big.entries, { asOf });
  expect(card.supplier.responsiveness.evidence).toBe(2000);
  expect(card.supplier.responsiveness.score).toBeLessThan(50);
  expect(served(big.entries, asOf).card).toEqual(card);
});

it('a late or backdated follow-up to a settled complaint rebuilds the state and counts as the ledger says', () => {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  const complaint = b.interaction('COMPLAINT', 'CLIENT', { note: 'wrong invoice' });
  b.advance(30);
  b.interaction('POSITIVE_CONTACT', 'CLIENT'); // the state settles the complaint as unanswered and unresolved
  // Recorded now by the complainant itself, but it happened two hours after the complaint: answered and resolved in time.
  b.at(Date.parse('2025-01-01T11:00:00.000Z'));
  b.add('COMPLAINT_RESPONDED', { interactionSeq: complaint }, { by: 'CLIENT' });
  b.add('COMPLAINT_RESOLVED', { interactionSeq: complaint }, { by: 'CLIENT' });
  const asOf = '2025-03-01T00:00:00.000Z';
  const full = computeScorecard(b.entries, { asOf });
  const { card, rebuilds } = served(b.entries, asOf);
  expect(rebuilds).toBeGreaterThan(0);
  expect(card).toEqual(full);
  expect(full.supplier.responsiveness.negative).toBe(0);
  expect(full.supplier.responsiveness.score).toBeGreaterThan(50);
});

it('a follow-up back-dated by the side complained against cannot buy speed: it counts when recorded, unless the complainant confirms it', () => {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  const complaint = b.interaction('COMPLAINT', 'CLIENT', { note: 'wrong invoice' });
  b.advance(30);
  b.interaction('POSITIVE_CONTACT', 'CLIENT');
  b.at(Date.parse('2025-01-01T11:00:00.000Z'));
  const answer = b.add('COMPLAINT_RESPONDED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
  const resolved = b.add('COMPLAINT_RESOLVED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
  const asOf = '2025-03-01T00:00:00.000Z';
  const full = computeScorecard(b.entries, { asOf });
  expect(served(b.entries, asOf).card).toEqual(full);
  // Recorded a month after the complaint: late on both counts, and a month in the median.
  expect(full.supplier.responsiveness.positive).toBe(0);
  expect(full.supplier.responsiveness.negative).toBeGreaterThan(0);
  expect(full.supplier.medianFirstResponseHours as number).toBeGreaterThan(24 * 29);
  b.at(Date.parse('2025-02-01T09:00:00.000Z'));
  b.add('ENTRY_CONFIRMED', { entrySeq: answer }, { by: 'CLIENT' });
  b.add('ENTRY_CONFIRMED', { entrySeq: resolved }, { by: 'CLIENT' });
  const confirmed = computeScorecard(b.entries, { asOf });
  expect(served(b.entries, asOf).card).toEqual(confirmed);
  expect(confirmed.supplier.responsiveness.negative).toBe(0);
  expect(confirmed.supplier.medianFirstResponseHours).toBe(2);
});

it('a follow-up dated past the limits, to a settled complaint, updates the state without a rebuild and counts as the ledger says', () => {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  const complaints = [b.interaction('COMPLAINT', 'CLIENT', { note: 'wrong invoice' }), b.interaction('COMPLAINT', 'CLIENT', { note: 'late truck' })];
  b.advance(30);
  b.interaction('POSITIVE_CONTACT', 'CLIENT'); // both settled as unanswered and unresolved
  b.advance(1);
  b.add('COMPLAINT_RESPONDED', { interactionSeq: complaints[0] }, { by: 'SUPPLIER' }); // a month late
  b.advance(1);
  b.add('COMPLAINT_RESOLVED', { interactionSeq: complaints[0] }, { by: 'SUPPLIER' });
  b.add('COMPLAINT_RESOLVED', { interactionSeq: complaints[1] }, { by: 'SUPPLIER' }); // resolved without an answer
  const asOf = b.inDays(1);
  const full = computeScorecard(b.entries, { asOf });
  const { card, state, rebuilds } = served(b.entries, asOf);
  expect(rebuilds).toBe(0);
  expect(card).toEqual(full);
  // Late is as bad as never for the score; the answers still count in the median response time, and nothing is open.
  expect(full.supplier.responsiveness.negative).toBeGreaterThan(0);
  expect(full.supplier.responsiveness.positive).toBe(0);
  expect(full.supplier.medianFirstResponseHours).toBeGreaterThan(24 * 30);
  expect(state.settledOpen).toEqual({ SUPPLIER: 0, CLIENT: 0 });
  expect(Object.keys(state.settled ?? {})).toEqual([]);
});
