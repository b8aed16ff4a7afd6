import { describe, expect, it } from 'vitest';
import { computeScorecard } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

type Variant = 'kept on time' | 'rescheduled with notice, kept on new date' | 'kept late without notice' | 'rescheduled, new date missed';
const VARIANTS: Variant[] = ['kept on time', 'rescheduled with notice, kept on new date', 'kept late without notice', 'rescheduled, new date missed'];
const AS_OF = '2025-03-15T00:00:00.000Z';

/** Custom furniture: the client pays 70% up front, the supplier promises installation in 30 days. */
function furniture(variant: Variant) {
  const b = new LedgerBuilder({ start: '2025-01-06T09:00:00.000Z' });
  const advance = b.promise('CLIENT', 'PAYMENT', '70% advance payment', 3);
  b.advance(2).keep(advance, 'CLIENT');
  const install = b.promise('SUPPLIER', 'INSTALLATION', 'Deliver and install the kitchen', 30);
  switch (variant) {
    case 'kept on time':
      b.advance(29).keep(install, 'SUPPLIER');
      break;
    case 'rescheduled with notice, kept on new date':
      b.advance(20).reschedule(install, 'SUPPLIER', 17, 'worktop supplier is late');
      b.advance(16).keep(install, 'SUPPLIER');
      break;
    case 'kept late without notice':
      b.advance(33).keep(install, 'SUPPLIER');
      break;
    case 'rescheduled, new date missed':
      b.advance(20).reschedule(install, 'SUPPLIER', 17, 'worktop supplier is late');
      b.advance(24).keep(install, 'SUPPLIER');
      break;
  }
  return { entries: b.entries, install };
}

describe('custom furniture: four ways to deliver', () => {
  const cards = VARIANTS.map((v) => computeScorecard(furniture(v).entries, { asOf: AS_OF }));

  it('orders the supplier’s reliability strictly: on time > notice > late without notice > renewed date missed', () => {
    const scores = cards.map((c) => c.supplier.reliability.score as number);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1]);
    expect(scores[0]).toBeGreaterThan(50);
    expect(scores[3]).toBeLessThan(50);
  });

  it('rewards notice with transparency; on time leaves transparency without evidence', () => {
    const [onTime, notice, late, missed] = cards.map((c) => c.supplier.transparency);
    expect(onTime.score).toBeNull();
    expect(notice.score).toBeGreaterThan(50);
    expect(late.score).toBeLessThan(50);
    expect(notice.score as number).toBeGreaterThan(late.score as number);
    // Rescheduled with notice, then the renewed date missed silently: one slip announced, one not.
    expect(notice.score as number).toBeGreaterThan(missed.score as number);
    expect(missed.score as number).toBeGreaterThan(late.score as number);
    expect(missed.positive).toBeGreaterThan(0);
    expect(missed.negative).toBeGreaterThan(0);
  });

  it('gives the client the same reliability for its kept advance payment in all four', () => {
    const client = cards.map((c) => c.client.reliability);
    for (const c of client) expect(c).toEqual(client[0]);
    expect(client[0].score as number).toBeGreaterThan(50);
    expect(client[0].evidence).toBe(1);
  });

  it('explains the score with the entry that moved it and a human reason', () => {
    const { entries, install } = furniture('kept late without notice');
    const card = computeScorecard(entries, { asOf: AS_OF });
    const keptSeq = entries.find((e) => e.type === 'PROMISE_KEPT' && (e.payload as { promiseSeq: number }).promiseSeq === install)?.seq;
    const [top] = [...card.supplier.reliability.drivers].sort((a, b) => a.effect - b.effect);
    expect(top.entrySeq).toBe(keptSeq);
    expect(top.effect).toBeLessThan(0);
    expect(top.reason).toMatch(/installation .*kept 3 days late without advance notice/);
  });

  it('marks the renewed-date miss as a severe breach and flags the relationship', () => {
    const missed = cards[3];
    expect(missed.supplier.reliability.negative).toBeGreaterThan(cards[2].supplier.reliability.negative);
    expect(missed.churn.signals.map((s) => s.name)).toContain('brokenPromises');
  });
});

describe('trust runs both ways', () => {
  it('supplier keeps everything, client pays late: supplier reliability high, client low', () => {
    const b = new LedgerBuilder();
    for (let i = 0; i < 6; i++) {
      const delivery = b.promise('SUPPLIER', 'DELIVERY', `batch ${i + 1}`, 10);
      const payment = b.promise('CLIENT', 'PAYMENT', `invoice for batch ${i + 1}`, 30);
      b.advance(9).keep(delivery, 'SUPPLIER');
      b.advance(21 + 15).keep(payment, 'CLIENT');
    }
    const card = computeScorecard(b.entries, { asOf: b.inDays(1) });
    expect(card.supplier.reliability.score as number).toBeGreaterThan(80);
    expect(card.client.reliability.score as number).toBeLessThan(40);
    expect(['AT_RISK', 'CRITICAL']).toContain(card.client.band);
    expect(card.supplier.trustScore as number).toBeGreaterThan(card.client.trustScore as number);
    expect(card.client.transparency.negative).toBeGreaterThan(0);
    expect(card.supplier.reliability.evidence).toBe(6);
    expect(card.client.reliability.evidence).toBe(6);
  });
});
