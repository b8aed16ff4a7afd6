import { DEFAULT_POLICY, type Side } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { computeScorecard, type PartyScore } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

/** Issue 10's cases, as a procurement lead reads them: orderings and bands, not magic numbers. */

const RANK = ['CRITICAL', 'AT_RISK', 'WATCH', 'SOLID', 'TRUSTED'];
const rank = (p: PartyScore) => RANK.indexOf(p.band);
const side = (card: ReturnType<typeof computeScorecard>, s: Side) => (s === 'SUPPLIER' ? card.supplier : card.client);

/** A client paying 50 invoices of EUR 20 on time, then one more, of `amount`, sixty days late without notice. */
function invoices(last: { amount: number; currency: string }) {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  for (let i = 0; i < 50; i++) {
    const p = b.add('PROMISE_MADE', { promisor: 'CLIENT', kind: 'PAYMENT', description: `invoice ${i + 1}`, dueAt: b.inDays(14), amount: { amount: 20, currency: 'EUR' } }, { by: 'CLIENT' });
    b.advance(7).keep(p, 'CLIENT');
  }
  const big = b.add('PROMISE_MADE', { promisor: 'CLIENT', kind: 'PAYMENT', description: 'invoice 51', dueAt: b.inDays(14), amount: last }, { by: 'CLIENT' });
  b.advance(74).keep(big, 'CLIENT');
  return { card: computeScorecard(b.entries, { asOf: b.inDays(1) }), big };
}

describe('evidence weighs what is at stake', () => {
  const small = invoices({ amount: 20, currency: 'EUR' }).card.client;
  const mid = invoices({ amount: 60, currency: 'EUR' }).card.client;
  const { card, big: bigSeq } = invoices({ amount: 200_000, currency: 'EUR' });
  const big = card.client;

  it('a late EUR 200,000 invoice costs clearly more than a late EUR 20 one, and a late EUR 60 one (three times the usual) in between', () => {
    expect(big.reliability.score as number).toBeLessThan(mid.reliability.score as number);
    expect(mid.reliability.score as number).toBeLessThan(small.reliability.score as number);
    expect(big.trustScore as number).toBeLessThan(mid.trustScore as number);
    expect(mid.trustScore as number).toBeLessThan(small.trustScore as number);
    expect(rank(big)).toBeLessThan(rank(small));
    expect(big.transparency.negative).toBeGreaterThan(small.transparency.negative);
  });

  it('explains the weight in the driver: the amount against the usual invoice, capped by the policy', () => {
    const driver = big.reliability.drivers.find((d) => d.effect < 0);
    expect(driver?.stake).toMatchObject({ amount: 200_000, currency: 'EUR', weight: DEFAULT_POLICY.stakes.cap });
    expect(driver?.stake?.typical).toBeCloseTo(20, 6);
    expect(driver?.stake?.ratio).toBeCloseTo(10_000, 3);
    expect(driver?.reason).toMatch(/EUR 200,000: 10,000× the usual payment, weighs 10×/);
    expect(card.client.reliability.drivers.some((d) => d.entrySeq > bigSeq)).toBe(true);
  });

  it('never compares amounts in different currencies: a first invoice in JPY weighs as one invoice', () => {
    const yen = invoices({ amount: 200_000, currency: 'JPY' }).card.client;
    expect(yen.reliability.score).toBeCloseTo(small.reliability.score as number, 9);
    const driver = yen.reliability.drivers.find((d) => d.effect < 0);
    expect(driver?.stake).toMatchObject({ amount: 200_000, currency: 'JPY', typical: null, ratio: null, weight: 1 });
  });

  it('a hundred trivial self-kept promises cannot lift a supplier with three deliveries broken without notice to SOLID', () => {
    const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
    for (let i = 0; i < 3; i++) {
      const p = b.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 10);
      b.advance(15).break(p, 'SUPPLIER');
    }
    const broken = computeScorecard(b.entries, { asOf: b.time }).supplier;
    for (let i = 0; i < 100; i++) {
      const p = b.promise('SUPPLIER', 'RESPONSE', `reply to email ${i + 1} within an hour`, 1 / 24);
      b.advance(0.5 / 24).keep(p, 'SUPPLIER');
      b.advance(0.2);
    }
    const padded = computeScorecard(b.entries, { asOf: b.time }).supplier;
    expect(rank(padded)).toBeLessThan(RANK.indexOf('SOLID'));
    expect(padded.reliability.score as number).toBeGreaterThan(broken.reliability.score as number);
    // Ten deliveries kept on time would do more than those hundred replies.
    const c = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
    for (let i = 0; i < 3; i++) {
      const p = c.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 10);
      c.advance(15).break(p, 'SUPPLIER');
    }
    for (let i = 0; i < 10; i++) {
      const p = c.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 4}`, 3);
      c.advance(2).keep(p, 'SUPPLIER');
    }
    expect(computeScorecard(c.entries, { asOf: b.time }).supplier.reliability.score as number).toBeGreaterThan(padded.reliability.score as number);
  });
});

/** `n` deliveries, every `every`-th rescheduled with notice and kept by the new date; `complaints` answered in two days. */
function deliveries(n: number, opts: { every?: number; complaints?: number } = {}) {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  for (let i = 0; i < n; i++) {
    const p = b.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 5);
    if (opts.every && i % opts.every === opts.every - 1) {
      b.advance(3).reschedule(p, 'SUPPLIER', 5, 'truck broke down');
      b.advance(4).keep(p, 'SUPPLIER');
    } else b.advance(4).keep(p, 'SUPPLIER');
    if (opts.complaints && i % Math.floor(n / opts.complaints) === 0) {
      const c = b.interaction('COMPLAINT', 'CLIENT', { note: `complaint ${i}` });
      b.advance(2).add('COMPLAINT_RESOLVED', { interactionSeq: c }, { by: 'SUPPLIER' });
    }
  }
  return b;
}

describe('confidence and bands', () => {
  it('a clean record reads at least as confident as a mediocre one with more kinds of evidence', () => {
    const clean = deliveries(200);
    const mediocre = deliveries(200, { every: 5, complaints: 20 });
    const a = computeScorecard(clean.entries, { asOf: clean.time }).supplier;
    const m = computeScorecard(mediocre.entries, { asOf: mediocre.time }).supplier;
    expect(a.confidence).toBeGreaterThanOrEqual(m.confidence);
    expect(a.trustScore as number).toBeGreaterThan(m.trustScore as number);
    // Transparency without a slip and responsiveness without a complaint are not applicable, not unknown.
    expect(a.transparency.status).toBe('NOT_APPLICABLE');
    expect(a.responsiveness.status).toBe('NOT_APPLICABLE');
    expect(a.confidence).toBeGreaterThan(0.9);
  });

  it('one or four promises kept are provisional: a score, not a verdict; five give a band, with the confidence to match', () => {
    const at = (n: number) => {
      const b = deliveries(n);
      return computeScorecard(b.entries, { asOf: b.time }).supplier;
    };
    const [one, four, five, twenty] = [at(1), at(4), at(5), at(20)];
    expect(one.band).toBe('PROVISIONAL');
    expect(one.trustScore as number).toBeGreaterThan(50);
    expect(four.band).toBe('PROVISIONAL');
    expect(four.evidence).toBeLessThan(DEFAULT_POLICY.evidence.minimum);
    expect(five.band).not.toBe('PROVISIONAL');
    expect(five.confidence).toBeGreaterThan(0.5);
    expect(five.confidence).toBeGreaterThan(four.confidence);
    expect(twenty.band).toBe('TRUSTED');
    expect(twenty.confidence).toBeGreaterThan(five.confidence);
  });

  it('a quarterly supplier with two years of deliveries kept is banded, not provisional for ever', () => {
    const b = new LedgerBuilder({ start: '2023-01-01T09:00:00.000Z' });
    for (let i = 0; i < 8; i++) {
      const p = b.promise('SUPPLIER', 'DELIVERY', `quarter ${i + 1}`, 10);
      b.advance(9).keep(p, 'SUPPLIER');
      b.advance(81);
    }
    expect(['TRUSTED', 'SOLID']).toContain(computeScorecard(b.entries, { asOf: b.time }).supplier.band);
  });

  it('evidence decayed to nothing reads UNRATED: one promise broken ten years ago is no verdict today', () => {
    const b = new LedgerBuilder({ start: '2015-01-01T09:00:00.000Z' });
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 5);
    b.advance(10).break(p, 'SUPPLIER');
    const then = computeScorecard(b.entries, { asOf: b.time }).supplier;
    const now = computeScorecard(b.entries, { asOf: '2025-01-01T09:00:00.000Z' }).supplier;
    expect(then.band).toBe('PROVISIONAL');
    expect(now.band).toBe('UNRATED');
    expect(now.trustScore).toBeNull();
    expect(now.reliability.status).toBe('FADED');
    expect(now.reliability.evidence).toBe(1);
  });
});

describe('first evidence and fading', () => {
  const base = () => deliveries(100);
  const score = (b: LedgerBuilder) => computeScorecard(b.entries, { asOf: b.time }).supplier;

  it('one delivery rescheduled with notice and kept by the new date costs little, and less than one late without notice', () => {
    const before = score(base());
    const notice = base();
    const p = notice.promise('SUPPLIER', 'DELIVERY', 'delivery 101', 5);
    notice.advance(3).reschedule(p, 'SUPPLIER', 5, 'truck broke down');
    notice.advance(4).keep(p, 'SUPPLIER');
    const late = base();
    const q = late.promise('SUPPLIER', 'DELIVERY', 'delivery 101', 5);
    late.advance(7).keep(q, 'SUPPLIER');
    const [n, l] = [score(notice), score(late)];
    expect(n.band).toBe(before.band);
    expect(n.trustScore as number).toBeGreaterThan(l.trustScore as number);
    // It moves the trust score no further than reliability's own change, not by transparency's first item.
    expect((before.trustScore as number) - (n.trustScore as number)).toBeLessThanOrEqual((before.reliability.score as number) - (n.reliability.score as number) + 0.5);
  });

  it('one complaint answered within the hour does not pull a strong record down; one left unanswered does', () => {
    const before = score(base());
    const fast = base();
    const c = fast.interaction('COMPLAINT', 'CLIENT', { note: 'wrong colour' });
    fast.advance(0.5 / 24).add('COMPLAINT_RESOLVED', { interactionSeq: c }, { by: 'SUPPLIER' });
    const slow = base();
    slow.interaction('COMPLAINT', 'CLIENT', { note: 'wrong colour' });
    slow.advance(10);
    const [f, s] = [score(fast), computeScorecard(slow.entries, { asOf: slow.time }).supplier];
    expect(f.band).toBe(before.band);
    expect(f.trustScore as number).toBeGreaterThanOrEqual((before.trustScore as number) - 0.5);
    expect(s.trustScore as number).toBeLessThan(f.trustScore as number);
  });

  it('a stale uptime measurement of 100% does not lift a supplier whose reliability has faded', () => {
    const build = (withGoal: boolean) => {
      const b = new LedgerBuilder({ start: '2022-01-01T09:00:00.000Z' });
      if (withGoal) {
        const goal = b.add('GOAL_PROPOSED', {
          title: 'Uptime',
          metrics: [{ name: 'uptime', unit: '%', direction: 'HIGHER_IS_BETTER', target: 99.9, baseline: 95, accountable: 'SUPPLIER' }],
        });
        b.add('GOAL_ACCEPTED', { goalSeq: goal }, { by: 'CLIENT' });
        b.add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 0, value: 100 });
      }
      for (let i = 0; i < 3; i++) {
        const p = b.promise('SUPPLIER', 'DELIVERY', `delivery ${i + 1}`, 5);
        b.advance(10).break(p, 'SUPPLIER');
      }
      return computeScorecard(b.entries, { asOf: '2025-01-15T09:00:00.000Z' }).supplier;
    };
    const [goal, none] = [build(true), build(false)];
    expect(goal.goalAttainment.score === null || (goal.goalAttainment.score as number) < 60).toBe(true);
    expect(goal.trustScore as number).toBeLessThanOrEqual((none.trustScore as number) + 1);
    expect(goal.band).toBe(none.band);
  });
});

describe('partial keeps', () => {
  /** A delivery due in 10 days: `share` delivered on day 9, the rest `rest` (days after the due date, or 'broken'). */
  function partial(share: number | null, rest: number | 'broken' | 'open', notice = false) {
    const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
    const p = b.promise('SUPPLIER', 'DELIVERY', 'kitchen cabinets', 10);
    if (share === null) b.advance(9).keep(p, 'SUPPLIER');
    else {
      if (notice) b.advance(5).reschedule(p, 'SUPPLIER', 10, 'worktops come later');
      b.at(Date.parse('2025-01-10T09:00:00.000Z')).add('PROMISE_KEPT', { promiseSeq: p, share }, { by: 'SUPPLIER' });
      if (rest === 'broken') b.advance(3).break(p, 'SUPPLIER');
      else if (rest !== 'open') b.advance(1 + rest).keep(p, 'SUPPLIER');
    }
    return { b, p };
  }
  const at = (b: LedgerBuilder, days = 30) => computeScorecard(b.entries, { asOf: new Date(Date.parse('2025-01-01T09:00:00.000Z') + days * 86_400_000).toISOString() }).supplier;

  it('orders what was delivered: in full on time > most on time, the rest late > half on time, the rest late > half, the rest broken', () => {
    const full = at(partial(null, 0).b).reliability.score as number;
    const most = at(partial(0.9, 5).b).reliability.score as number;
    const half = at(partial(0.5, 5).b).reliability.score as number;
    const halfBroken = at(partial(0.5, 'broken').b).reliability.score as number;
    expect(full).toBeGreaterThan(most);
    expect(most).toBeGreaterThan(half);
    expect(half).toBeGreaterThan(halfBroken);
  });

  it('keeps the rest open under the same promise, judged on its own when it comes', () => {
    const { b } = partial(0.6, 'open');
    // The day after the part came, the promise is still within its grace: only the part counts.
    const early = computeScorecard(b.entries, { asOf: '2025-01-11T08:00:00.000Z' }).supplier;
    expect(early.reliability.evidence).toBe(1);
    expect(early.reliability.negative).toBe(0);
    expect(early.reliability.drivers[0].reason).toMatch(/kept on time \(60% of it\)/);
    // Past due + grace the rest counts as broken without notice, and as a slip nobody announced.
    const lapsed = computeScorecard(b.entries, { asOf: '2025-01-20T09:00:00.000Z' }).supplier;
    expect(lapsed.reliability.negative).toBeGreaterThan(0);
    expect(lapsed.transparency.negative).toBeGreaterThan(0);
    expect(lapsed.reliability.evidence).toBe(1);
  });

  it('a partial delivery on the due date is a slip for transparency unless announced', () => {
    const silent = at(partial(0.5, 3).b);
    const announced = at(partial(0.5, 3, true).b);
    expect(silent.transparency.negative).toBeGreaterThan(0);
    expect(announced.transparency.positive).toBeGreaterThan(0);
    expect(announced.transparency.negative).toBe(0);
    expect(announced.trustScore as number).toBeGreaterThan(silent.trustScore as number);
  });

  it('still reads the older "kept in part" (inFull: false) as before: closed, and worth less than in full', () => {
    const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
    const p = b.promise('SUPPLIER', 'DELIVERY', 'chairs', 10);
    b.advance(9).keep(p, 'SUPPLIER', false);
    const card = at(b);
    expect(card.reliability.drivers[0].reason).toMatch(/\(in part\)/);
    expect(card.reliability.score as number).toBeLessThan(at(partial(null, 0).b).reliability.score as number);
    expect(computeScorecard(b.entries, { asOf: '2025-03-01T09:00:00.000Z' }).supplier.reliability.negative).toBeGreaterThan(0);
  });
});
