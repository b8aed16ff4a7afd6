import fc from 'fast-check';
import type { LedgerEntry, Side } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { computeScorecard } from '../../src/scorecard/index.ts';
import { buildWith, latest, opsArb } from './random-ledger.ts';

/**
 * DESIGN §2a "no firm can move the other side's figures, or its own, by what it alone records":
 * after a random two-sided history, the supplier alone appends entries. What it records about
 * itself (its promises, keeps, reschedules, voids, cancellation proposals), what it may not record
 * (promises written for the client, reschedules of the client's promises, confirmations of its own
 * entries, voids of the client's entries) never moves the client's figures.
 */
type Step =
  | { k: 'own'; what: 'promise' | 'keep' | 'break' | 'reschedule' | 'cancel' | 'void'; pick: number; dt: number }
  | { k: 'forbidden'; what: 'promiseForClient' | 'rescheduleClient' | 'keepClientProposal' | 'confirmOwn' | 'voidClient' | 'withdrawClient'; pick: number; dt: number }
  | { k: 'against'; what: 'breakClient' | 'disputeClaim' | 'complaint'; pick: number; dt: number };

const dt = fc.double({ min: 0, max: 6, noNaN: true });
const pick = fc.nat({ max: 1_000 });
const own = fc.record({ k: fc.constant('own' as const), what: fc.constantFrom('promise' as const, 'keep' as const, 'break' as const, 'reschedule' as const, 'cancel' as const, 'void' as const), pick, dt });
const forbidden = fc.record({
  k: fc.constant('forbidden' as const),
  what: fc.constantFrom('promiseForClient' as const, 'rescheduleClient' as const, 'keepClientProposal' as const, 'confirmOwn' as const, 'voidClient' as const, 'withdrawClient' as const),
  pick,
  dt,
});

const against = fc.record({ k: fc.constant('against' as const), what: fc.constantFrom('breakClient' as const, 'disputeClaim' as const, 'complaint' as const), pick, dt });

const at = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);
const sideOf = (e: LedgerEntry): Side => (e.actorFirmId === 'supplier-firm' ? 'SUPPLIER' : 'CLIENT');

/** Appends the supplier's steps to a builder; every entry is recorded by the supplier. */
function appendSupplierSteps(ops: Parameters<typeof buildWith>[0], steps: readonly Step[]) {
  const b = buildWith(ops);
  const base = [...b.entries];
  const promises = (promisor: Side) => b.entries.filter((e) => e.type === 'PROMISE_MADE' && (e.payload as { promisor: Side }).promisor === promisor).map((e) => e.seq);
  const mine = () => b.entries.filter((e) => sideOf(e) === 'SUPPLIER' && e.seq > 2).map((e) => e.seq);
  const theirs = () => b.entries.filter((e) => sideOf(e) === 'CLIENT' && e.seq > 2).map((e) => e.seq);
  const clientClaims = () =>
    b.entries
      .filter((e) => e.type === 'PROMISE_KEPT' && sideOf(e) === 'CLIENT' && b.entries[(e.payload as { promiseSeq: number }).promiseSeq - 1]?.payload && (b.entries[(e.payload as { promiseSeq: number }).promiseSeq - 1].payload as { promisor?: Side }).promisor === 'CLIENT')
      .map((e) => e.seq);
  for (const s of steps) {
    b.advance(s.dt);
    const S = { by: 'SUPPLIER' as const };
    switch (s.what) {
      case 'promise':
        b.promise('SUPPLIER', 'DELIVERY', 'own', 3);
        break;
      case 'keep':
      case 'break':
      case 'reschedule':
      case 'cancel': {
        const p = at(promises('SUPPLIER'), s.pick);
        if (p === undefined) break;
        if (s.what === 'keep') b.keep(p, 'SUPPLIER');
        else if (s.what === 'break') b.break(p, 'SUPPLIER');
        else if (s.what === 'reschedule') b.reschedule(p, 'SUPPLIER', 5);
        else b.add('PROMISE_CANCELLED', { promiseSeq: p, reason: 'please' }, S);
        break;
      }
      case 'void': {
        // Its own record about its own promises (a void of what it recorded about the client is a
        // correction §2a allows while nothing depends on it, so it is not "about itself").
        const ownPromises = new Set(promises('SUPPLIER'));
        const aboutItself = mine().filter((seq) => {
          const e = b.entries[seq - 1];
          const ref = (e.payload as { promiseSeq?: number }).promiseSeq;
          return (e.type === 'PROMISE_MADE' && ownPromises.has(seq)) || (ref !== undefined && ownPromises.has(ref));
        });
        const e = at(aboutItself, s.pick);
        if (e !== undefined) b.add('ENTRY_VOIDED', { entrySeq: e, reason: 'mistake' }, S);
        break;
      }
      case 'promiseForClient':
        b.add('PROMISE_MADE', { promisor: 'CLIENT', kind: 'PAYMENT', description: 'you promised', dueAt: b.inDays(-1) }, S);
        break;
      case 'rescheduleClient':
      case 'keepClientProposal': {
        const p = at(promises('CLIENT'), s.pick);
        if (p === undefined) break;
        if (s.what === 'rescheduleClient') b.add('PROMISE_RESCHEDULED', { promiseSeq: p, newDueAt: b.inDays(30), reason: 'moved' }, S);
        else {
          // The supplier's own proposal for the client, then "kept" by it: nothing to keep.
          const proposal = b.add('PROMISE_MADE', { promisor: 'CLIENT', kind: 'PAYMENT', description: 'proposal', dueAt: b.inDays(2) }, S);
          b.add('PROMISE_BROKEN', { promiseSeq: proposal, reason: 'never paid' }, S);
        }
        break;
      }
      case 'confirmOwn': {
        const e = at(mine(), s.pick);
        if (e !== undefined) b.add('ENTRY_CONFIRMED', { entrySeq: e }, S);
        break;
      }
      case 'voidClient': {
        const e = at(theirs(), s.pick);
        if (e !== undefined) b.add('ENTRY_VOIDED', { entrySeq: e, reason: 'not true' }, S);
        break;
      }
      case 'withdrawClient': {
        const e = at(theirs(), s.pick);
        if (e !== undefined) b.add('DISPUTE_WITHDRAWN', { entrySeq: e }, S);
        break;
      }
      case 'breakClient': {
        const p = at(promises('CLIENT'), s.pick);
        if (p !== undefined) b.add('PROMISE_BROKEN', { promiseSeq: p, reason: 'not paid' }, S);
        break;
      }
      case 'disputeClaim': {
        const e = at(clientClaims(), s.pick);
        if (e !== undefined) b.add('ENTRY_DISPUTED', { entrySeq: e, reason: 'did not happen' }, S);
        break;
      }
      case 'complaint':
        b.interaction('COMPLAINT', 'SUPPLIER', { note: 'late payment' });
        break;
    }
  }
  return { base, all: b.entries };
}

const clientFigures = (entries: readonly LedgerEntry[], asOf: string) => {
  const c = computeScorecard(entries, { asOf }).client;
  return { trustScore: c.trustScore, reliability: c.reliability.score, transparency: c.transparency.score, responsiveness: c.responsiveness.score, goals: c.goalAttainment.score };
};

describe('one side alone cannot move the other side', () => {
  it("what the supplier records about itself, or may not record, leaves the client's figures exactly as they were", () => {
    fc.assert(
      fc.property(opsArb(40), fc.array(fc.oneof(own, forbidden), { maxLength: 25 }), fc.double({ min: 0, max: 60, noNaN: true }), (ops, steps, later) => {
        const { base, all } = appendSupplierSteps(ops, steps);
        const asOf = new Date(latest(all) + later * 86_400_000).toISOString();
        expect(clientFigures(all, asOf)).toEqual(clientFigures(base, asOf));
      }),
      { numRuns: 150, seed: 8 },
    );
  });

  it("what the supplier alone records never raises the client's figures, and lowers them only by evidence it may author against the client", () => {
    let lowered = 0;
    fc.assert(
      fc.property(
        opsArb(40),
        fc.array(fc.oneof(own, forbidden, against, against), { maxLength: 25 }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (ops, steps, later) => {
          const { base, all } = appendSupplierSteps(ops, steps);
          const asOf = new Date(latest(all) + later * 86_400_000).toISOString();
          const before = computeScorecard(base, { asOf }).client;
          const after = computeScorecard(all, { asOf }).client;
          const dims = ['reliability', 'transparency', 'responsiveness', 'goalAttainment'] as const;
          for (const dim of dims) {
            // No evidence in the client's favour appears, and none against it goes away ...
            expect(after[dim].positive).toBeLessThanOrEqual(before[dim].positive + 1e-9);
            expect(after[dim].negative).toBeGreaterThanOrEqual(before[dim].negative - 1e-9);
            // ... so no dimension scored before scores higher.
            if (before[dim].score !== null && after[dim].score !== null) expect(after[dim].score).toBeLessThanOrEqual((before[dim].score as number) + 1e-9);
          }
          // The trust score, over the same scored dimensions, never rises. (A dimension scored for the
          // first time enters the mean at its own Beta value: one unanswered complaint reads 33, which
          // can sit above a side whose record is already worse; docs/scorecard.md.)
          const scored = (c: typeof before) => dims.filter((d) => c[d].status === 'SCORED').join();
          if (before.trustScore !== null && after.trustScore !== null && scored(before) === scored(after))
            expect(after.trustScore).toBeLessThanOrEqual(before.trustScore + 1e-9);
          // Without a step against the client, nothing moved at all (the first property).
          if (!steps.some((s) => s.k === 'against')) expect(clientFigures(all, asOf)).toEqual(clientFigures(base, asOf));
          else if (after.trustScore !== before.trustScore) lowered++;
        },
      ),
      { numRuns: 200, seed: 11 },
    );
    // The property is not vacuous: evidence against the client did lower it in some runs.
    expect(lowered).toBeGreaterThan(10);
  });
});
