import fc from 'fast-check';
import type { LedgerEntry, Side } from '@trustledger/schema';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

const side = fc.constantFrom<Side>('SUPPLIER', 'CLIENT');
/** Days the clock moves before an op: mostly forward, sometimes back (backdated entries), now and then a long idle gap. */
const dt = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: 0, max: 12, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -20, max: 0, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: 200, max: 2_000, noNaN: true }) },
);
/** Amounts: mostly alike, some far above or below, in a few currencies, or none. */
const amount = fc.option(
  fc.record({ amount: fc.constantFrom(0, 5, 20, 20, 20, 25, 30, 1_000, 200_000), currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD') }),
  { nil: undefined, freq: 3 },
);
const pick = fc.nat({ max: 1_000 });

/** One step of a random relationship. */
export type Op =
  | { k: 'promise'; dt: number; side: Side; kind: 'DELIVERY' | 'PAYMENT' | 'INSTALLATION' | 'RESPONSE' | 'OTHER'; due: number; amount?: { amount: number; currency: string } }
  | { k: 'settle'; dt: number; pick: number; how: 'kept' | 'part' | 'share' | 'broken' | 'cancelled' | 'reschedule'; due: number; share?: number }
  | { k: 'interaction'; dt: number; side: Side; kind: 'POSITIVE_CONTACT' | 'NEGATIVE_CONTACT' | 'COMPLAINT' | 'ACTIVITY' | 'SATISFACTION' | 'ALTERNATIVE_SUPPLIER'; x: number }
  | { k: 'answer'; dt: number; pick: number; resolve: boolean }
  | { k: 'goal'; dt: number; side: Side; lower: boolean; baseline: boolean; target: number }
  | { k: 'goalStatus'; dt: number; pick: number; status: 'GOAL_ACCEPTED' | 'GOAL_REJECTED' | 'GOAL_RETIRED' }
  | { k: 'measure'; dt: number; pick: number; value: number }
  | { k: 'attest'; dt: number; pick: number; how: 'ENTRY_VOIDED' | 'ENTRY_DISPUTED' | 'DISPUTE_WITHDRAWN' | 'ENTRY_CONFIRMED'; by?: Side }
  /** A dispute of an entry by the side that did not record it, then (or not) ended: withdrawn, resolved (STANDS or STRUCK) after `after` days, or left to lapse. */
  | { k: 'dispute'; dt: number; pick: number; end: 'open' | 'withdraw' | 'STANDS' | 'STRUCK' | 'proposeOnly'; after: number }
  | { k: 'policy'; dt: number; positive: number; negative: number; grace: number; accept: boolean }
  | { k: 'other'; dt: number; what: 'end' | 'handover' | 'unknownRef' }
  /** A run of the client's orders or contacts at a steady cadence (enough for the churn tests to fire when it stops). */
  | { k: 'stream'; dt: number; kind: 'ACTIVITY' | 'POSITIVE_CONTACT' | 'NEGATIVE_CONTACT' | 'COMPLAINT'; n: number; gap: number; x: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { k: fc.constant('promise' as const), dt, side, kind: fc.constantFrom('DELIVERY' as const, 'DELIVERY' as const, 'PAYMENT' as const, 'INSTALLATION' as const, 'RESPONSE' as const, 'OTHER' as const), due: fc.double({ min: -2, max: 30, noNaN: true }), amount },
      { requiredKeys: ['k', 'dt', 'side', 'kind', 'due'] },
    ),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('settle' as const),
      dt,
      pick,
      how: fc.constantFrom('kept' as const, 'part' as const, 'share' as const, 'share' as const, 'broken' as const, 'cancelled' as const, 'reschedule' as const),
      due: fc.double({ min: -2, max: 30, noNaN: true }),
      share: fc.constantFrom(0.1, 0.25, 0.5, 0.6, 1),
    }),
  },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('interaction' as const), dt, side, kind: fc.constantFrom('POSITIVE_CONTACT' as const, 'NEGATIVE_CONTACT' as const, 'COMPLAINT' as const, 'ACTIVITY' as const, 'SATISFACTION' as const, 'ALTERNATIVE_SUPPLIER' as const), x: fc.nat({ max: 200 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('answer' as const), dt, pick, resolve: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('goal' as const), dt, side, lower: fc.boolean(), baseline: fc.boolean(), target: fc.integer({ min: -5, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('goalStatus' as const), dt, pick, status: fc.constantFrom('GOAL_ACCEPTED' as const, 'GOAL_ACCEPTED' as const, 'GOAL_REJECTED' as const, 'GOAL_RETIRED' as const) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('measure' as const), dt, pick, value: fc.integer({ min: -10, max: 150 }) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { k: fc.constant('attest' as const), dt, pick, how: fc.constantFrom('ENTRY_VOIDED' as const, 'ENTRY_DISPUTED' as const, 'DISPUTE_WITHDRAWN' as const, 'ENTRY_CONFIRMED' as const), by: side },
      { requiredKeys: ['k', 'dt', 'pick', 'how'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('dispute' as const),
      dt,
      pick,
      end: fc.constantFrom('open' as const, 'withdraw' as const, 'STANDS' as const, 'STRUCK' as const, 'proposeOnly' as const),
      after: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 25, max: 40, noNaN: true })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('policy' as const), dt, positive: fc.integer({ min: 5, max: 400 }), negative: fc.integer({ min: 5, max: 800 }), grace: fc.integer({ min: 0, max: 5 }), accept: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('other' as const), dt, what: fc.constantFrom('end' as const, 'handover' as const, 'unknownRef' as const) }) },
);

/** Random sequences of ops. */
export const opsArb = (maxLength = 60) => fc.array(op, { minLength: 0, maxLength, size: 'max' });

/** A run of the client's orders or contacts at a steady cadence, that then stops: the churn detector's tests fire on it. */
const stream: fc.Arbitrary<Op> = fc.record({
  k: fc.constant('stream' as const),
  dt,
  kind: fc.constantFrom('ACTIVITY' as const, 'POSITIVE_CONTACT' as const, 'NEGATIVE_CONTACT' as const, 'COMPLAINT' as const),
  n: fc.integer({ min: 5, max: 40 }),
  gap: fc.double({ min: 0.5, max: 8, noNaN: true }),
  x: fc.integer({ min: 1, max: 100 }),
});

/** Random sequences of ops that also hold streams of orders and contacts (for the churn detector). */
export const opsWithStreamsArb = (maxLength = 60) =>
  fc.array(fc.oneof({ weight: 20, arbitrary: op }, { weight: 1, arbitrary: stream }), { minLength: 0, maxLength, size: 'max' });

const at = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);
const other = (s: Side): Side => (s === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER');

/** Builds a real hash-chained ledger from ops; references pick among earlier entries of the right type. */
export const buildLedger = (ops: readonly Op[]): LedgerEntry[] => buildWith(ops).entries;

/** The builder after the ops, to append more. */
export function buildWith(ops: readonly Op[]): LedgerBuilder {
  const b = new LedgerBuilder({ start: '2025-01-01T09:00:00.000Z' });
  const promises: { seq: number; side: Side }[] = [];
  const complaints: { seq: number; side: Side }[] = [];
  const goals: { seq: number; side: Side }[] = [];
  const metrics: { seq: number; index: number; side: Side }[] = [];
  const policies: number[] = [];
  for (const o of ops) {
    b.advance(o.dt);
    switch (o.k) {
      case 'promise':
        promises.push({ seq: b.promise(o.side, o.kind, `${o.kind.toLowerCase()} ${promises.length + 1}`, o.due, o.amount), side: o.side });
        break;
      case 'settle': {
        const p = at(promises, o.pick);
        if (!p) break;
        if (o.how === 'kept') b.keep(p.seq, p.side);
        else if (o.how === 'part') b.keep(p.seq, p.side, false);
        else if (o.how === 'share') b.keepShare(p.seq, p.side, o.share ?? 0.5);
        else if (o.how === 'broken') b.break(p.seq, p.side);
        else if (o.how === 'cancelled') b.add('PROMISE_CANCELLED', { promiseSeq: p.seq, reason: 'agreed' }, { by: p.side });
        else b.reschedule(p.seq, p.side, o.due);
        break;
      }
      case 'interaction': {
        const extra =
          o.kind === 'ACTIVITY' ? { volume: o.x } : o.kind === 'SATISFACTION' ? { score: 1 + (o.x % 5) } : { note: `note ${o.x}` };
        const seq = b.interaction(o.kind, o.side, extra);
        if (o.kind === 'COMPLAINT') complaints.push({ seq, side: o.side });
        break;
      }
      case 'stream':
        for (let j = 0; j < o.n; j++) {
          b.advance(o.gap * (0.7 + ((j * 37 + o.x) % 7) / 10));
          const seq = b.interaction(o.kind, 'CLIENT', o.kind === 'ACTIVITY' ? { volume: o.x + (j % 5) } : { note: `run ${j}` });
          if (o.kind === 'COMPLAINT') complaints.push({ seq, side: 'CLIENT' });
        }
        break;
      case 'answer': {
        const c = at(complaints, o.pick);
        if (c) b.add(o.resolve ? 'COMPLAINT_RESOLVED' : 'COMPLAINT_RESPONDED', { interactionSeq: c.seq }, { by: other(c.side) });
        break;
      }
      case 'goal': {
        const metric = {
          name: 'on-time rate',
          unit: '%',
          direction: o.lower ? ('LOWER_IS_BETTER' as const) : ('HIGHER_IS_BETTER' as const),
          target: o.target,
          baseline: o.baseline ? (o.lower ? o.target + 10 : o.target - 10) : null,
          accountable: o.side,
        };
        const seq = b.add('GOAL_PROPOSED', { title: 'quality', metrics: [metric, { ...metric, accountable: other(o.side) }] }, { by: o.side });
        goals.push({ seq, side: o.side });
        metrics.push({ seq, index: 0, side: o.side }, { seq, index: 1, side: other(o.side) });
        if (o.target % 3 === 0) {
          const added = b.add('METRIC_ADDED', { goalSeq: seq, metric: { ...metric, name: 'defects' } }, { by: o.side });
          metrics.push({ seq: added, index: 0, side: o.side });
        }
        break;
      }
      case 'goalStatus': {
        const g = at(goals, o.pick);
        if (g) b.add(o.status, { goalSeq: g.seq }, { by: other(g.side) });
        break;
      }
      case 'measure': {
        const m = at(metrics, o.pick);
        if (m) b.add('MEASUREMENT_RECORDED', { metricSeq: m.seq, metricIndex: m.index, value: o.value }, { by: m.side });
        break;
      }
      case 'attest': {
        const target = 1 + (o.pick % b.entries.length);
        b.add(o.how, o.how === 'ENTRY_CONFIRMED' ? { entrySeq: target } : { entrySeq: target, reason: 'not what happened' }, { by: o.by ?? 'CLIENT' });
        break;
      }
      case 'dispute': {
        // Evidence entries only (seq 3 on), disputed by the side that did not record them.
        if (b.entries.length < 3) break;
        const target = b.entries[2 + (o.pick % (b.entries.length - 2))];
        if (target.type.startsWith('ENTRY_') || target.type.startsWith('DISPUTE_') || target.type.startsWith('POLICY_')) break;
        const recorder: Side = target.actorFirmId === b.supplierFirmId ? 'SUPPLIER' : 'CLIENT';
        const disputer = other(recorder);
        b.add('ENTRY_DISPUTED', { entrySeq: target.seq, reason: 'did not happen' }, { by: disputer });
        if (o.end === 'open') break;
        b.advance(o.after);
        if (o.end === 'withdraw') b.add('DISPUTE_WITHDRAWN', { entrySeq: target.seq }, { by: disputer });
        else {
          const outcome = o.end === 'STRUCK' ? 'STRUCK' : 'STANDS';
          const proposal = b.add('DISPUTE_RESOLVED', { entrySeq: target.seq, outcome, note: 'agreed' }, { by: disputer });
          if (o.end !== 'proposeOnly') b.add('ENTRY_CONFIRMED', { entrySeq: proposal }, { by: recorder });
        }
        break;
      }
      case 'policy': {
        const seq = b.add('POLICY_PROPOSED', { policy: { halfLifeDays: { positive: o.positive, negative: o.negative }, graceDays: o.grace } }, { by: 'SUPPLIER' });
        policies.push(seq);
        if (o.accept) b.add('POLICY_ACCEPTED', { policySeq: at(policies, o.positive) as number }, { by: 'CLIENT' });
        break;
      }
      case 'other':
        if (o.what === 'end') b.add('RELATIONSHIP_ENDED', {}, { by: 'CLIENT' });
        else if (o.what === 'handover') b.add('REPRESENTATIVE_HANDOVER', { side: 'SUPPLIER', name: 'Dana' });
        else b.add('PROMISE_KEPT', { promiseSeq: 9_999 }, { by: 'SUPPLIER' });
        break;
    }
  }
  return b;
}

/** The latest occurredAt of a ledger. */
export const latest = (entries: readonly LedgerEntry[]): number => Math.max(...entries.map((e) => Date.parse(e.occurredAt)));
