import { DEFAULT_POLICY, GENESIS_HASH } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { applyEntry, attainment, computeScorecard, foldLedger, initialState, scorecardFromState } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

describe('no evidence is not good evidence', () => {
  it('a relationship with no record is Unrated on both sides, every dimension null with uncertainty 1', () => {
    const b = new LedgerBuilder();
    const card = computeScorecard(b.entries, { asOf: b.inDays(30) });
    for (const party of [card.supplier, card.client]) {
      expect(party.trustScore).toBeNull();
      expect(party.band).toBe('UNRATED');
      expect(party.confidence).toBe(0);
      expect(party.medianFirstResponseHours).toBeNull();
      for (const d of [party.reliability, party.transparency, party.responsiveness, party.goalAttainment])
        expect(d).toMatchObject({ score: null, uncertainty: 1, positive: 0, negative: 0, evidence: 0, drivers: [] });
      // No promise settled: reliability is unknown; no slip, complaint or agreed goal: nothing to measure.
      expect(party.reliability.status).toBe('UNKNOWN');
      for (const d of [party.transparency, party.responsiveness, party.goalAttainment]) expect(d.status).toBe('NOT_APPLICABLE');
    }
    expect(card.churn.stage).toBe('STABLE');
    expect(card.head).toEqual({ seq: 2, hash: b.entries[1].hash });
  });

  it('an empty ledger gives the genesis head', () => {
    const card = computeScorecard([], { asOf: '2026-01-01T00:00:00Z' });
    expect(card.head).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(card.asOf).toBe('2026-01-01T00:00:00.000Z');
    expect(card.supplier.band).toBe('UNRATED');
  });

  it('one promise kept scores the side, provisionally and with low confidence', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'chairs', 5);
    b.advance(4).keep(p, 'SUPPLIER');
    const card = computeScorecard(b.entries, { asOf: b.time });
    expect(card.supplier.trustScore).toBe(card.supplier.reliability.score);
    expect(card.supplier.band).toBe('PROVISIONAL');
    expect(card.supplier.evidence).toBeLessThan(DEFAULT_POLICY.evidence.minimum);
    expect(card.supplier.confidence).toBeGreaterThan(0);
    expect(card.supplier.confidence).toBeLessThan(0.5);
    expect(card.client.band).toBe('UNRATED');
  });
});

describe('entries after asOf, voids and disputes', () => {
  function brokenDelivery() {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 5);
    b.advance(10);
    const broken = b.break(p, 'SUPPLIER');
    return { b, p, broken };
  }

  it('ignores entries that occur after asOf, but reports the highest seq as head', () => {
    const { b } = brokenDelivery();
    // Two days after the promise, before it was due: the break (day 10) has not happened yet.
    const card = computeScorecard(b.entries, { asOf: b.inDays(-8) });
    expect(card.supplier.reliability.evidence).toBe(0);
    // A day later than due + grace, the open promise already counts as broken without notice.
    expect(computeScorecard(b.entries, { asOf: b.inDays(-3) }).supplier.reliability.drivers[0].reason).toMatch(/not kept by the due date/);
    expect(card.head.seq).toBe(b.entries.length);
  });

  it('a voided entry has no effect; a voided settlement reopens the promise', () => {
    const { b, broken, p } = brokenDelivery();
    const before = computeScorecard(b.entries, { asOf: b.inDays(1) });
    // The promise is past due: its promisor alone cannot void the break it admitted (DESIGN §2a)…
    const voidBroken = b.advance(1).add('ENTRY_VOIDED', { entrySeq: broken, reason: 'recorded by mistake' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability).toEqual(before.supplier.reliability);
    // …with the client's consent it takes effect.
    b.add('ENTRY_CONFIRMED', { entrySeq: voidBroken }, { by: 'CLIENT' });
    const card = computeScorecard(b.entries, { asOf: b.time });
    // The promise is open again and past due + grace: broken without notice, judged from the promise itself.
    expect(card.supplier.reliability.drivers).toHaveLength(1);
    expect(card.supplier.reliability.drivers[0].entrySeq).toBe(p);
    expect(card.supplier.reliability.drivers[0].reason).toMatch(/not kept by the due date/);
    // The promise itself is past due and has a follow-up: its recorder alone cannot void it (DESIGN §2a)…
    const voidP = b.add('ENTRY_VOIDED', { entrySeq: p, reason: 'never promised' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability.evidence).toBe(1);
    // …the client's consent makes the void take effect.
    b.add('ENTRY_CONFIRMED', { entrySeq: voidP }, { by: 'CLIENT' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability.evidence).toBe(0);
  });

  it('a void by the side that did not record the entry has no effect', () => {
    const { b, broken } = brokenDelivery();
    const before = computeScorecard(b.entries, { asOf: b.inDays(1) });
    b.advance(1).add('ENTRY_VOIDED', { entrySeq: broken, reason: 'not yours to void' }, { by: 'CLIENT' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability).toEqual(before.supplier.reliability);
  });

  it('a promise under open dispute weighs half, counts again when the dispute lapses, and in full once withdrawn', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 5);
    const broken = b.advance(10).break(p, 'CLIENT');
    const before = computeScorecard(b.entries, { asOf: b.inDays(1) });
    b.advance(1).add('ENTRY_DISPUTED', { entrySeq: broken, reason: 'it was delivered' }, { by: 'SUPPLIER' });
    const disputed = computeScorecard(b.entries, { asOf: b.time });
    // A dispute is a state, not an eraser (DESIGN §2a): the slip still counts, at half weight.
    expect(disputed.supplier.reliability.evidence).toBe(1);
    expect(disputed.supplier.reliability.negative).toBeCloseTo(before.supplier.reliability.negative / 2, 2);
    expect(disputed.supplier.reliability.drivers[0]).toMatchObject({ entrySeq: broken, standing: 'DISPUTED' });
    expect(disputed.supplier.reliability.drivers[0].reason).toMatch(/under open dispute, weighs 50%/);
    expect(disputed.supplier.transparency.evidence).toBe(1);
    expect(disputed.supplier.trustScore as number).toBeGreaterThan(before.supplier.trustScore as number);
    // Nobody resolves it: 30 days later it lapses and the slip counts in full again, marked contested.
    const lapsed = computeScorecard(b.entries, { asOf: b.inDays(31) });
    const plain = computeScorecard(b.entries.filter((e) => e.seq <= broken), { asOf: b.inDays(31) });
    expect(lapsed.supplier.reliability.negative).toBeCloseTo(plain.supplier.reliability.negative, 9);
    expect(lapsed.supplier.reliability.drivers[0]).toMatchObject({ entrySeq: broken, standing: 'CONTESTED' });
    b.add('DISPUTE_WITHDRAWN', { entrySeq: broken }, { by: 'SUPPLIER' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability).toEqual(before.supplier.reliability);
  });

  it('a disputed measurement weighs half while the dispute is open', () => {
    const b = new LedgerBuilder();
    const goal = b.add('GOAL_PROPOSED', {
      title: 'On-time deliveries',
      metrics: [{ name: 'on-time rate', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80, accountable: 'SUPPLIER' }],
    });
    b.add('GOAL_ACCEPTED', { goalSeq: goal }, { by: 'CLIENT' });
    b.advance(30).add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 0, value: 95 }, { by: 'CLIENT' });
    const low = b.advance(30).add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 0, value: 80 }, { by: 'CLIENT' });
    const before = computeScorecard(b.entries, { asOf: b.time }).supplier.goalAttainment;
    expect(before.evidence).toBe(2);
    b.add('ENTRY_DISPUTED', { entrySeq: low, reason: 'wrong period' }, { by: 'SUPPLIER' });
    const card = computeScorecard(b.entries, { asOf: b.time });
    expect(card.supplier.goalAttainment.evidence).toBe(2);
    expect(card.supplier.goalAttainment.negative).toBeCloseTo(before.negative / 2, 9);
    expect(card.supplier.goalAttainment.score).toBeGreaterThan(before.score as number);
    expect(computeScorecard(b.entries, { asOf: b.inDays(31) }).supplier.goalAttainment.drivers.find((d) => d.entrySeq === low)?.standing).toBe('CONTESTED');
  });
});

describe('goal attainment', () => {
  it('is linear from baseline (or 0) to target, mirrored when lower is better, clamped to [0, 1]', () => {
    const higher = { direction: 'HIGHER_IS_BETTER' as const, target: 95, baseline: 80 };
    expect(attainment(higher, 87.5)).toBe(0.5);
    expect(attainment(higher, 70)).toBe(0);
    expect(attainment(higher, 99)).toBe(1);
    expect(attainment({ ...higher, baseline: null }, 47.5)).toBe(0.5);
    const lower = { direction: 'LOWER_IS_BETTER' as const, target: 2, baseline: 10 };
    expect(attainment(lower, 6)).toBe(0.5);
    expect(attainment(lower, 1)).toBe(1);
    expect(attainment(lower, 12)).toBe(0);
    expect(attainment({ ...lower, baseline: null }, 3)).toBe(0.5);
    expect(attainment({ ...lower, target: 0, baseline: null }, 0)).toBe(1);
  });

  it('counts only agreed goals, per accountable side, and takes no more measurements once retired', () => {
    const b = new LedgerBuilder();
    const goal = b.add('GOAL_PROPOSED', {
      title: 'Service',
      metrics: [
        { name: 'defects', unit: 'per 100', direction: 'LOWER_IS_BETTER', target: 1, baseline: 5, accountable: 'SUPPLIER' },
        { name: 'forecast accuracy', unit: '%', direction: 'HIGHER_IS_BETTER', target: 90, accountable: 'CLIENT' },
      ],
    });
    // Each recorded by the side not accountable for it, so neither is a claim (DESIGN §2a).
    b.advance(1).add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 0, value: 2 }, { by: 'CLIENT' });
    b.add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 1, value: 45 }, { by: 'SUPPLIER' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.goalAttainment.score).toBeNull();
    b.add('GOAL_ACCEPTED', { goalSeq: goal }, { by: 'CLIENT' });
    const agreed = computeScorecard(b.entries, { asOf: b.time });
    // One measurement each, read as Beta evidence (Σa + 1)/(n + 2): 75% and 50% attained.
    expect(agreed.supplier.goalAttainment.score).toBeCloseTo(((0.75 + 1) / 3) * 100, 9);
    expect(agreed.client.goalAttainment.score).toBeCloseTo(((0.5 + 1) / 3) * 100, 9);
    expect(agreed.supplier.goalAttainment.drivers[0].reason).toMatch(/defects: 2 per 100 against a target of 1 per 100 \(75% attained\)/);
    // Retired, it takes no more measurements; those it had keep counting, fading (DESIGN §2a: neither side erases them alone).
    b.advance(10).add('GOAL_RETIRED', { goalSeq: goal }, { by: 'CLIENT' });
    const retired = computeScorecard(b.entries, { asOf: b.time });
    expect(retired.supplier.goalAttainment.score).toBeCloseTo(computeScorecard(b.entries.slice(0, -1), { asOf: b.time }).supplier.goalAttainment.score as number, 9);
    b.advance(1).add('MEASUREMENT_RECORDED', { metricSeq: goal, metricIndex: 0, value: 5 }, { by: 'CLIENT' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.goalAttainment.evidence).toBeCloseTo(retired.supplier.goalAttainment.evidence, 9);
  });
});

describe('policy', () => {
  function withPolicy(accept: boolean) {
    const b = new LedgerBuilder();
    const proposal = b.add('POLICY_PROPOSED', { policy: { halfLifeDays: { positive: 30 }, bands: { trusted: 80 } } });
    if (accept) b.add('POLICY_ACCEPTED', { policySeq: proposal }, { by: 'CLIENT' });
    const p = b.promise('SUPPLIER', 'DELIVERY', 'desk', 5);
    b.advance(4).keep(p, 'SUPPLIER');
    return b;
  }

  it('applies the policy once the other side accepted it, and reports it', () => {
    const asOf = '2025-06-01T00:00:00.000Z';
    const accepted = computeScorecard(withPolicy(true).entries, { asOf });
    const proposed = computeScorecard(withPolicy(false).entries, { asOf });
    expect(accepted.policy.halfLifeDays).toEqual({ positive: 30, negative: 365 });
    expect(proposed.policy).toEqual(DEFAULT_POLICY);
    expect(accepted.supplier.reliability.positive).toBeLessThan(proposed.supplier.reliability.positive);
  });

  it('takes a policy given by the caller instead of the ledger’s', () => {
    const card = computeScorecard(withPolicy(true).entries, { asOf: '2025-06-01T00:00:00.000Z', policy: { graceDays: 3 } });
    expect(card.policy.graceDays).toBe(3);
    expect(card.policy.halfLifeDays.positive).toBe(DEFAULT_POLICY.halfLifeDays.positive);
  });
});

describe('incremental state', () => {
  it('asks for a rebuild on voids, disputes, withdrawals and policy acceptance, and answers only from its latest entry on', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'lamp', 5);
    let state = initialState();
    for (const e of b.entries) {
      const r = applyEntry(state, e);
      expect(r.rebuild).toBe(false);
      state = r.state;
    }
    b.advance(1);
    const voided = b.add('ENTRY_VOIDED', { entrySeq: p, reason: 'duplicate' });
    const r = applyEntry(state, b.entries[voided - 1]);
    expect(r.rebuild).toBe(true);
    expect(scorecardFromState(r.state, b.time)).toBeNull();
    expect(applyEntry(state, b.entries[0]).rebuild).toBe(true);
    const rebuilt = foldLedger(b.entries);
    expect(scorecardFromState(rebuilt, b.inDays(-0.5))).toBeNull();
    expect(scorecardFromState(rebuilt, b.time)).toEqual(computeScorecard(b.entries, { asOf: b.time }));
  });

  it('does not change the state it is given', () => {
    const b = new LedgerBuilder();
    const state = foldLedger(b.entries);
    const before = JSON.stringify(state);
    applyEntry(state, b.entries[0]);
    b.promise('CLIENT', 'PAYMENT', 'invoice 1', 30);
    applyEntry(state, b.entries[2]);
    expect(JSON.stringify(state)).toBe(before);
  });
});
