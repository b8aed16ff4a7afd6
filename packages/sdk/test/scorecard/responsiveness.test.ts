import { describe, expect, it } from 'vitest';
import { computeScorecard } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

/** A supplier that answered one earlier complaint within a day; then a new complaint. */
function withComplaint() {
  const b = new LedgerBuilder();
  const first = b.interaction('COMPLAINT', 'CLIENT', { note: 'scratched table' });
  b.advance(0.5).add('COMPLAINT_RESPONDED', { interactionSeq: first }, { by: 'SUPPLIER' });
  b.advance(2).add('COMPLAINT_RESOLVED', { interactionSeq: first }, { by: 'SUPPLIER' });
  b.advance(20);
  const before = computeScorecard(b.entries, { asOf: b.time }).supplier.responsiveness;
  const complaint = b.interaction('COMPLAINT', 'CLIENT', { note: 'missing chair' });
  return { b, before, complaint };
}

describe('responsiveness to complaints', () => {
  it('an answer within 24 hours raises it, and the median response time shows it', () => {
    const { b, before, complaint } = withComplaint();
    b.advance(3 / 24).add('COMPLAINT_RESPONDED', { interactionSeq: complaint, note: 'sending one today' }, { by: 'SUPPLIER' });
    b.advance(1).add('COMPLAINT_RESOLVED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
    const card = computeScorecard(b.entries, { asOf: b.time });
    expect(card.supplier.responsiveness.score as number).toBeGreaterThan(before.score as number);
    expect(card.supplier.responsiveness.evidence).toBe(2);
    expect(card.supplier.medianFirstResponseHours).toBe((12 + 3) / 2);
    expect(card.supplier.responsiveness.drivers.some((d) => /answered in 3 hours/.test(d.reason))).toBe(true);
    // Complaints raised by the client measure the supplier, not the client.
    expect(card.client.responsiveness.score).toBeNull();
  });

  it('a complaint left unanswered for a week lowers it', () => {
    const { b, before, complaint } = withComplaint();
    const card = computeScorecard(b.entries, { asOf: b.inDays(7) });
    expect(card.supplier.responsiveness.score as number).toBeLessThan(before.score as number);
    expect(card.supplier.responsiveness.score as number).toBeLessThan(50);
    const drivers = card.supplier.responsiveness.drivers.filter((d) => d.entrySeq === complaint);
    expect(drivers.map((d) => d.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/unanswered for more than 24 hours/), expect.stringMatching(/unresolved past the 5-day limit/)]),
    );
    expect(drivers.every((d) => d.effect < 0)).toBe(true);
    // Within the first 24 hours nothing is held against it yet.
    const early = computeScorecard(b.entries, { asOf: b.inDays(0.5) }).supplier.responsiveness;
    expect(early.evidence).toBe(before.evidence);
    expect(early.negative).toBe(0);
  });

  it('a late answer counts against it even once given', () => {
    const { b, before, complaint } = withComplaint();
    b.advance(3).add('COMPLAINT_RESPONDED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
    b.add('COMPLAINT_RESOLVED', { interactionSeq: complaint }, { by: 'SUPPLIER' });
    const card = computeScorecard(b.entries, { asOf: b.time });
    expect(card.supplier.responsiveness.score as number).toBeLessThan(before.score as number);
    expect(card.supplier.medianFirstResponseHours).toBe((12 + 72) / 2);
  });
});
