import { describe, expect, it } from 'vitest';
import { applyEntry, computeScorecard, disputesOf, foldLedger, initialState, type ScoreState, scorecardFromState } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

/** DESIGN §2a in the engine: claims, disputes and notice, as pure functions of (entries, asOf). */
describe('claims, disputes and notice', () => {
  it('a break said by the beneficiary before the due date is no notice from the promisor; admitted by the promisor it is', () => {
    const run = (by: 'SUPPLIER' | 'CLIENT') => {
      const b = new LedgerBuilder();
      const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 10);
      b.advance(3).break(p, by);
      return computeScorecard(b.entries, { asOf: b.inDays(20) }).supplier;
    };
    const said = run('CLIENT');
    const admitted = run('SUPPLIER');
    expect(said.transparency.positive).toBe(0);
    expect(said.transparency.negative).toBeGreaterThan(0);
    expect(admitted.transparency.positive).toBeGreaterThan(0);
    expect(said.reliability.negative).toBeGreaterThan(admitted.reliability.negative);
  });

  it('a keep recorded by its promisor weighs half its credit until confirmed or until the attestation window passes', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 10);
    const kept = b.advance(5).keep(p, 'SUPPLIER');
    const during = computeScorecard(b.entries, { asOf: b.inDays(1) }).supplier.reliability;
    const after = computeScorecard(b.entries, { asOf: b.inDays(8) }).supplier.reliability;
    expect(during.drivers[0]).toMatchObject({ entrySeq: kept, standing: 'CLAIMED' });
    expect(after.drivers[0].standing).toBeNull();
    // Half the credit, decayed over one day rather than eight.
    expect(during.positive / 2 ** (-1 / 180)).toBeCloseTo((after.positive / 2 ** (-8 / 180)) * 0.5, 9);
    b.advance(1).add('ENTRY_CONFIRMED', { entrySeq: kept }, { by: 'CLIENT' });
    expect(computeScorecard(b.entries, { asOf: b.time }).supplier.reliability.drivers[0].standing).toBeNull();
    // Recorded by the beneficiary, the same keep counts at once.
    const c = new LedgerBuilder();
    const q = c.promise('SUPPLIER', 'DELIVERY', 'sofa', 10);
    c.advance(5).keep(q, 'CLIENT');
    expect(computeScorecard(c.entries, { asOf: c.inDays(1) }).supplier.reliability.positive).toBeCloseTo(during.positive * 2, 9);
  });

  it('time alone lapses a dispute and ends a claim: the incremental state answers later asOfs as the full recomputation does, and forgets what it held back', () => {
    const b = new LedgerBuilder();
    const p = b.promise('SUPPLIER', 'DELIVERY', 'sofa', 5);
    const broken = b.advance(10).break(p, 'CLIENT');
    b.advance(1).add('ENTRY_DISPUTED', { entrySeq: broken, reason: 'delivered' }, { by: 'SUPPLIER' });
    const q = b.promise('SUPPLIER', 'DELIVERY', 'table', 2);
    b.advance(1).keep(q, 'SUPPLIER');
    let state: ScoreState = initialState();
    for (const e of b.entries) {
      const next = applyEntry(state, e);
      state = next.rebuild ? foldLedger(b.entries.filter((x) => x.seq <= e.seq)) : next.state;
    }
    expect(Object.keys(state.pending ?? {}).length).toBeGreaterThan(0);
    for (const days of [0, 3, 7, 29, 31, 400]) {
      const asOf = b.inDays(days);
      expect(JSON.stringify(scorecardFromState(state, asOf))).toBe(JSON.stringify(computeScorecard(b.entries, { asOf })));
    }
    expect(computeScorecard(b.entries, { asOf: b.inDays(31) }).supplier.reliability.drivers.find((d) => d.entrySeq === broken)?.standing).toBe('CONTESTED');
    expect(disputesOf(b.entries, { asOf: b.inDays(31) }).map((d) => d.state)).toEqual(['LAPSED']);
    // A later entry past both windows lays the held-back evidence in for good.
    b.advance(40).interaction('POSITIVE_CONTACT', 'CLIENT');
    const last = b.entries[b.entries.length - 1];
    const moved = applyEntry(state, last);
    expect(moved.rebuild).toBe(false);
    expect(Object.keys(moved.state.pending ?? {}).length).toBe(0);
    expect(JSON.stringify(scorecardFromState(moved.state, b.time))).toBe(JSON.stringify(computeScorecard(b.entries, { asOf: b.time })));
  });
});
