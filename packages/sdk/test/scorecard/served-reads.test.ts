import { describe, expect, it } from 'vitest';
import { absorbEntry, computeScorecard, foldLedger, needsRebuild, scorecardFromState } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

const HOUR = 3_600_000;
const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * A server reads one state many times (asOf = now moves by milliseconds) and advances the same
 * state in place as entries arrive: every read must be what recomputing the ledger gives.
 */
describe('repeated reads of one state', () => {
  it('reads back and forth across the end of an attestation window equal the recomputation, and the last claim weighs in full from the hour its window ends', () => {
    const b = new LedgerBuilder();
    for (let i = 0; i < 30; i++) {
      const p = b.promise('SUPPLIER', 'DELIVERY', `order ${i}`, 3);
      b.advance(0.3).keep(p, 'SUPPLIER');
      b.advance(0.2).interaction('ACTIVITY', 'CLIENT', { volume: 10 });
    }
    const state = foldLedger(b.entries);
    expect(Object.keys(state.pending ?? {}).length).toBeGreaterThan(1);
    // The last claim's window ends on the first whole hour after its recording + 7 days.
    const last = b.entries[b.entries.length - 2];
    const end = Math.ceil((Date.parse(last.recordedAt) + 7 * 24 * HOUR) / HOUR) * HOUR;
    const endIso = new Date(end).toISOString();
    const times = [at(endIso, -HOUR), at(endIso, -1), at(endIso, -HOUR + 1), endIso, at(endIso, 1), at(endIso, -2), at(endIso, HOUR / 2), b.time, at(endIso, 30 * 24 * HOUR)];
    const read = (asOf: string) => scorecardFromState(state, asOf);
    for (const asOf of times) expect(JSON.stringify(read(asOf))).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
    const before = read(at(endIso, -1))?.supplier.reliability;
    const after = read(endIso)?.supplier.reliability;
    expect(after?.positive).toBeGreaterThan(before?.positive ?? Number.POSITIVE_INFINITY);
  });

  it('a state read, then advanced in place by new entries, then read at the same asOf, equals the recomputation of the longer ledger', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 3);
    b.advance(1).keep(p, 'SUPPLIER');
    const state = foldLedger(b.entries);
    const asOf = b.inDays(2);
    expect(JSON.stringify(scorecardFromState(state, asOf))).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
    const q = b.advance(0.1).promise('SUPPLIER', 'DELIVERY', 'table', 2);
    b.advance(0.1).keep(q, 'SUPPLIER');
    const c = b.advance(0.1).interaction('COMPLAINT', 'CLIENT', { note: 'scratched' });
    b.advance(0.05).add('COMPLAINT_RESPONDED', { interactionSeq: c }, { by: 'SUPPLIER' });
    for (const e of b.entries.filter((x) => x.seq > (state.head?.seq ?? 0))) {
      expect(needsRebuild(state, e)).toBe(false);
      absorbEntry(state, e);
    }
    const served = scorecardFromState(state, asOf);
    expect(JSON.stringify(served)).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
    expect(served?.supplier.reliability.drivers.map((d) => d.standing)).toContain('CLAIMED');
  });

  it('the median first response read from a state advanced in place follows the new responses (the median is kept per head)', () => {
    const b = new LedgerBuilder();
    const complaintAnswered = (hours: number) => {
      const c = b.advance(1).interaction('COMPLAINT', 'CLIENT', { note: 'late' });
      b.advance(hours / 24).add('COMPLAINT_RESPONDED', { interactionSeq: c }, { by: 'SUPPLIER' });
    };
    for (let i = 0; i < 3; i++) complaintAnswered(1);
    const state = foldLedger(b.entries);
    const first = scorecardFromState(state, b.inDays(1));
    expect(first?.supplier.medianFirstResponseHours).toBe(1);
    expect(scorecardFromState(state, b.inDays(1.5))?.supplier.medianFirstResponseHours).toBe(1);
    for (let i = 0; i < 4; i++) complaintAnswered(10);
    for (const e of b.entries.filter((x) => x.seq > (state.head?.seq ?? 0))) absorbEntry(state, e);
    const asOf = b.inDays(1);
    const served = scorecardFromState(state, asOf);
    expect(served?.supplier.medianFirstResponseHours).toBe(10);
    expect(JSON.stringify(served)).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
  });

  it('the churn assessment read from a state advanced in place the same day follows the new orders and contacts (its day view is kept per head)', () => {
    const b = new LedgerBuilder();
    for (let i = 0; i < 120; i++) {
      b.advance(1).interaction('ACTIVITY', 'CLIENT', { volume: 10 + (i % 5) });
      if (i % 3 === 0) b.interaction('POSITIVE_CONTACT', 'CLIENT');
    }
    const state = foldLedger(b.entries);
    const asOf = b.inDays(0.5);
    const before = scorecardFromState(state, asOf);
    expect(JSON.stringify(scorecardFromState(state, b.inDays(0.25)))).toBe(JSON.stringify(computeScorecard(b.entries, { asOf: b.inDays(0.25) })));
    // The same day: a large order and two complaints, absorbed in place.
    b.advance(0.1).interaction('ACTIVITY', 'CLIENT', { volume: 400 });
    b.interaction('COMPLAINT', 'CLIENT', { note: 'late' });
    b.interaction('NEGATIVE_CONTACT', 'CLIENT');
    for (const e of b.entries.filter((x) => x.seq > (state.head?.seq ?? 0))) absorbEntry(state, e);
    const after = scorecardFromState(state, asOf);
    expect(JSON.stringify(after?.churn)).not.toBe(JSON.stringify(before?.churn));
    expect(JSON.stringify(after)).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
  });
});
