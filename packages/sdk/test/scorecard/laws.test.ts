import fc from 'fast-check';
import type { Side } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { computeScorecard, type Dimension } from '../../src/scorecard/index.ts';
import { DEFAULT_POLICY } from '@trustledger/schema';
import { buildWith, latest, opsArb } from './random-ledger.ts';

const DAY = 86_400_000;
const EPS = 1e-9;
const iso = (ms: number) => new Date(ms).toISOString();
const side = fc.constantFrom<Side>('SUPPLIER', 'CLIENT');
const key = (s: Side) => (s === 'SUPPLIER' ? 'supplier' : 'client');
const runs = { numRuns: 150, seed: 1_234 };

/** Ledger + a promise made at `madeDay` days after the ledger's latest entry minus `back` days, settled `how`. */
function withExtraPromise(
  ops: Parameters<typeof buildWith>[0],
  promisor: Side,
  back: number,
  how: 'keptOnTime' | 'broken' | 'any',
  outcome: number,
) {
  const b = buildWith(ops);
  const before = [...b.entries];
  const end = latest(before);
  b.at(end - back * DAY);
  const p = b.promise(promisor, 'DELIVERY', 'extra', 10);
  const choice = how === 'any' ? (['kept', 'late', 'broken', 'part', 'cancelled'] as const)[outcome % 5] : how;
  if (choice === 'keptOnTime' || choice === 'kept') b.advance(5).keep(p, promisor);
  else if (choice === 'late') b.advance(15).keep(p, promisor);
  else if (choice === 'part') b.advance(5).keep(p, promisor, false);
  else if (choice === 'cancelled') b.advance(2).add('PROMISE_CANCELLED', { promiseSeq: p, reason: 'agreed' }, { by: promisor });
  else b.advance(outcome % 20).break(p, promisor);
  const asOf = iso(Math.max(end, latest(b.entries)) + 60 * DAY);
  return { before, after: b.entries, asOf };
}

/** Ledger + a promise with `amount` made `back` days before the ledger's latest entry and broken `late` days later. */
function withBrokenAmount(ops: Parameters<typeof buildWith>[0], promisor: Side, back: number, late: number, amount: { amount: number; currency: string }) {
  const b = buildWith(ops);
  const end = latest(b.entries);
  b.at(end - back * DAY);
  const p = b.promise(promisor, 'PAYMENT', 'extra invoice', 10, amount);
  b.advance(late).break(p, promisor);
  return { entries: b.entries, asOf: iso(Math.max(end, latest(b.entries)) + 60 * DAY) };
}

const reliability = (entries: Parameters<typeof computeScorecard>[0], asOf: string, s: Side): Dimension =>
  computeScorecard(entries, { asOf })[key(s)].reliability;

describe('laws of the scorecard (fast-check)', () => {
  it('adding a promise kept on time never lowers reliability', () => {
    fc.assert(
      fc.property(opsArb(50), side, fc.double({ min: 0, max: 300, noNaN: true }), (ops, s, back) => {
        const { before, after, asOf } = withExtraPromise(ops, s, back, 'keptOnTime', 0);
        const was = reliability(before, asOf, s).score;
        const now = reliability(after, asOf, s);
        // Evidence decayed below the policy's threshold (e.g. a 5-day half-life, read 60 days on) reads FADED, without a score.
        if (now.score === null) expect(now.status).toBe('FADED');
        else if (was !== null) expect(now.score).toBeGreaterThanOrEqual(was - EPS);
        else expect(now.score).toBeGreaterThan(50);
      }),
      runs,
    );
  });

  it('adding a broken promise never raises reliability', () => {
    fc.assert(
      fc.property(opsArb(50), side, fc.double({ min: 0, max: 300, noNaN: true }), fc.nat(), (ops, s, back, late) => {
        const { before, after, asOf } = withExtraPromise(ops, s, back, 'broken', late);
        const was = reliability(before, asOf, s).score;
        const now = reliability(after, asOf, s);
        // Evidence decayed below the policy's threshold reads FADED, without a score.
        if (now.score === null) expect(now.status).toBe('FADED');
        else if (was !== null) expect(now.score).toBeLessThanOrEqual(was + EPS);
        else expect(now.score).toBeLessThan(50);
      }),
      runs,
    );
  });

  it('more evidence never raises uncertainty', () => {
    fc.assert(
      fc.property(opsArb(50), side, fc.double({ min: 0, max: 300, noNaN: true }), fc.nat(), (ops, s, back, outcome) => {
        const { before, after, asOf } = withExtraPromise(ops, s, back, 'any', outcome);
        expect(reliability(after, asOf, s).uncertainty).toBeLessThanOrEqual(reliability(before, asOf, s).uncertainty + EPS);
      }),
      runs,
    );
  });

  it('with no new entries, evidence decays toward the prior as asOf moves on', () => {
    fc.assert(
      fc.property(opsArb(60), fc.double({ min: 0.01, max: 2_000, noNaN: true }), (ops, later) => {
        const { entries } = buildWith(ops);
        // After every due date, grace and complaint deadline, so nothing new can lapse.
        const t1 = latest(entries) + 60 * DAY;
        const t2 = t1 + later * DAY;
        const equalHalfLives = { halfLifeDays: { positive: 200, negative: 200 } };
        const [a, b] = [t1, t2].map((t) => computeScorecard(entries, { asOf: iso(t), policy: equalHalfLives }));
        for (const party of ['supplier', 'client'] as const)
          for (const dim of ['reliability', 'transparency', 'responsiveness', 'goalAttainment'] as const) {
            const [x, y] = [a[party][dim], b[party][dim]];
            expect(y.uncertainty).toBeGreaterThanOrEqual(x.uncertainty - EPS);
            expect(y.positive).toBeLessThanOrEqual(x.positive + EPS);
            expect(y.negative).toBeLessThanOrEqual(x.negative + EPS);
            expect(y.evidence).toBe(x.evidence);
            // Toward the prior, or faded away altogether (FADED: no score).
            if (y.score === null) expect(x.score === null || y.status === 'FADED').toBe(true);
            else if (x.score !== null && dim !== 'goalAttainment') expect(Math.abs(y.score - 50)).toBeLessThanOrEqual(Math.abs(x.score - 50) + EPS);
          }
      }),
      runs,
    );
  });

  it('with the default policy, negative evidence decays more slowly than positive', () => {
    fc.assert(
      fc.property(opsArb(60), fc.double({ min: 1, max: 2_000, noNaN: true }), (ops, later) => {
        const { entries } = buildWith(ops.filter((o) => o.k !== 'policy'));
        const t1 = latest(entries) + 60 * DAY;
        const [a, b] = [t1, t1 + later * DAY].map((t) => computeScorecard(entries, { asOf: iso(t) }));
        for (const party of ['supplier', 'client'] as const)
          for (const dim of ['reliability', 'transparency', 'responsiveness'] as const) {
            const [x, y] = [a[party][dim], b[party][dim]];
            if (x.positive > 1e-6 && x.negative > 1e-6) expect(y.negative / x.negative).toBeGreaterThan(y.positive / x.positive);
          }
      }),
      runs,
    );
  });
  it('raising a broken promise\'s amount never raises the promisor\'s reliability', () => {
    fc.assert(
      fc.property(
        opsArb(50),
        side,
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.nat({ max: 30 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.constantFrom('EUR', 'USD', 'JPY'),
        (ops, s, back, late, amount, factor, currency) => {
          // Amounts in the currency's minor unit (ISO 4217: yen whole, cents for EUR and USD), as the input requires.
          const minor = (x: number) => (currency === 'JPY' ? Math.round(x) : Math.round(x * 100) / 100);
          const low = withBrokenAmount(ops, s, back, late, { amount: minor(amount), currency });
          const high = withBrokenAmount(ops, s, back, late, { amount: minor(amount * factor), currency });
          const [a, b] = [reliability(low.entries, low.asOf, s), reliability(high.entries, high.asOf, s)];
          if (a.score !== null && b.score !== null) expect(b.score).toBeLessThanOrEqual(a.score + EPS);
          expect(b.negative).toBeGreaterThanOrEqual(a.negative - EPS);
        },
      ),
      runs,
    );
  });

  it('adding a kept promise never lowers confidence', () => {
    fc.assert(
      fc.property(opsArb(50), side, fc.double({ min: 0, max: 300, noNaN: true }), (ops, s, back) => {
        const { before, after, asOf } = withExtraPromise(ops, s, back, 'keptOnTime', 0);
        const [a, b] = [computeScorecard(before, { asOf })[key(s)], computeScorecard(after, { asOf })[key(s)]];
        expect(b.confidence).toBeGreaterThanOrEqual(a.confidence - EPS);
      }),
      runs,
    );
  });

  it('a side with less evidence than the minimum is never banded above PROVISIONAL; with enough, a score is banded', () => {
    fc.assert(
      fc.property(opsArb(60), fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 400, noNaN: true }), (ops, minimum, later) => {
        const { entries } = buildWith(ops);
        const asOf = iso(latest(entries) + later * DAY);
        for (const policy of [null, { evidence: { minimum } }]) {
          const card = computeScorecard(entries, { asOf, policy });
          const min = policy?.evidence.minimum ?? DEFAULT_POLICY.evidence.minimum;
          for (const p of [card.supplier, card.client]) {
            if (p.trustScore === null) expect(p.band).toBe('UNRATED');
            else if (p.evidence < min) expect(p.band).toBe('PROVISIONAL');
            else expect(['TRUSTED', 'SOLID', 'WATCH', 'AT_RISK', 'CRITICAL']).toContain(p.band);
          }
        }
      }),
      runs,
    );
  });
});
