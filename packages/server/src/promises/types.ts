import { toMillis } from '@trustledger/schema';
import { conflict } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { PromiseKindEnum, PromiseOutcomeEnum, PromiseStateEnum, SideEnum } from '../graphql/enums.ts';
import type { PromiseRow } from '../graphql/loaders.ts';
import { loadVisible } from '../graphql/node.ts';
import { pageSize, decodeIntCursor, toConnection } from '../graphql/pagination.ts';
import { entityId } from '../ids.ts';
import { defineEntryMutation, madeByEntry } from '../ledger/entry-mutation.ts';
import { EntryRef } from '../ledger/types.ts';
import { RelationshipRef } from '../relationships/types.ts';

export const MoneyRef = builder.objectRef<{ amount: number; currency: string }>('Money').implement({
  fields: (t) => ({ amount: t.exposeFloat('amount'), currency: t.exposeString('currency') }),
});

export const MoneyInput = builder.inputType('MoneyInput', {
  fields: (t) => ({ amount: t.float({ required: true }), currency: t.string({ required: true, description: 'ISO 4217, e.g. EUR.' }) }),
});

export const PromiseRef = builder.objectRef<PromiseRow>('Promise');
builder.node(PromiseRef, {
  description: 'A promise one side made: a delivery, a payment, an installation… and what became of it.',
  id: { resolve: (p) => entityId(p.relationshipId, p.seq) },
  loadMany: loadVisible((ctx) => ctx.loaders.promise),
  fields: (t) => ({
    promisor: t.field({ type: SideEnum, resolve: (p) => p.promisor }),
    kind: t.field({ type: PromiseKindEnum, resolve: (p) => p.kind as never }),
    description: t.exposeString('description'),
    amount: t.field({
      type: MoneyRef,
      nullable: true,
      resolve: (p) => (p.amount === null || p.currency === null ? null : { amount: p.amount, currency: p.currency }),
    }),
    madeAt: t.field({ type: 'DateTime', resolve: (p) => p.madeAt }),
    originalDueAt: t.field({ type: 'DateTime', description: 'Never changes: "on time" is judged against it.', resolve: (p) => p.originalDueAt }),
    dueAt: t.field({ type: 'DateTime', description: 'Follows reschedules.', resolve: (p) => p.dueAt }),
    state: t.field({ type: PromiseStateEnum, resolve: (p) => p.state }),
    outcome: t.field({
      type: PromiseOutcomeEnum,
      nullable: true,
      description: 'How it was settled; null while open. A missed renewed date is BROKEN_AFTER_RESCHEDULE even if kept later.',
      resolve: (p) => p.outcome as never,
    }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.resolvedAt }),
    deliveredShare: t.float({
      nullable: true,
      description:
        'Share of the promise delivered so far (0–1): keeps with a share add up, the promise stays OPEN until the rest comes. 1 once kept; null when kept "in part" in the older form, whose share was not recorded.',
      resolve: async (p, _a, ctx) => {
        const history = (await ctx.loaders.history.load(entityId(p.relationshipId, p.seq))) as { type: string; payload: string; voidedBySeq: number | null }[];
        const keeps = history
          .filter((e) => e.type === 'PROMISE_KEPT' && e.voidedBySeq === null)
          .map((e) => JSON.parse(e.payload) as { inFull?: boolean; share?: number });
        if (p.state === 'KEPT') return keeps.at(-1)?.inFull === false ? null : 1;
        return Math.min(1, keeps.reduce((sum, k) => sum + (k.share ?? 0), 0));
      },
    }),
    overdue: t.boolean({ description: 'Open and past its due time now.', resolve: (p, _a, ctx) => p.state === 'OPEN' && toMillis(p.dueAt) < toMillis(ctx.now()) }),
    voided: t.exposeBoolean('voided'),
    history: t.field({
      type: [EntryRef],
      description: 'The entries that made and changed it, in ledger order.',
      resolve: (p, _a, ctx) => ctx.loaders.history.load(entityId(p.relationshipId, p.seq)),
    }),
  }),
});

export const PromiseConnection = builder.connectionObject({ type: PromiseRef, name: 'PromiseConnection' });

builder.objectFields(RelationshipRef, (t) => ({
  promises: t.field({
    type: PromiseConnection,
    args: {
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      promisor: t.arg({ type: SideEnum }),
      state: t.arg({ type: PromiseStateEnum }),
      outcome: t.arg({ type: PromiseOutcomeEnum }),
      overdue: t.arg.boolean({ description: 'true: open and past due now; false: the others.' }),
    },
    resolve: async (r, args, ctx) => {
      const { first, limit } = pageSize(args.first);
      const after = decodeIntCursor(args.after, 0) ?? 0;
      const filters = { promisor: args.promisor, state: args.state, outcome: args.outcome, overdue: args.overdue, now: args.overdue == null ? undefined : ctx.now() };
      const rows = await ctx.loaders.promisesPage.load({ parent: r.id, args: filters, limit, after });
      return toConnection(rows, first, (p) => p.seq, after > 0);
    },
  }),
}));

const promiseTarget = { field: 'promiseId', typename: 'Promise' };
const promiseResult = { field: 'promise', type: PromiseRef as never, key: (_e: unknown, key: { relationshipId: string; seq: number }) => entityId(key.relationshipId, key.seq) };

defineEntryMutation({
  name: 'makePromise',
  description:
    'Records a promise: what, by when, and optionally how much. Made by its promisor it stands; written by its beneficiary it is a proposal (state PROPOSED) until the promisor accepts it (acceptPromise).',
  type: 'PROMISE_MADE',
  target: { field: 'relationshipId', typename: 'Relationship' },
  input: (t) => ({
    relationshipId: t.id({ required: true }),
    promisor: t.field({ type: SideEnum, required: true }),
    kind: t.field({ type: PromiseKindEnum, required: true }),
    description: t.string({ required: true }),
    dueAt: t.field({ type: 'DateTime', required: true }),
    amount: t.field({ type: MoneyInput, required: false }),
  }),
  payload: (i) => ({ promisor: i.promisor, kind: i.kind, description: i.description, dueAt: i.dueAt, amount: i.amount ?? undefined }),
  result: { field: 'promise', type: PromiseRef as never, key: madeByEntry },
});

defineEntryMutation({
  name: 'reschedulePromise',
  description:
    "Announces a new due time with a reason; only the promisor may. It is advance notice only if recorded (by the server's clock) before the due time in force.",
  type: 'PROMISE_RESCHEDULED',
  target: promiseTarget,
  input: (t) => ({ promiseId: t.id({ required: true }), newDueAt: t.field({ type: 'DateTime', required: true }), reason: t.string({ required: true }) }),
  payload: (i, key) => ({ promiseSeq: key.seq, newDueAt: i.newDueAt, reason: i.reason }),
  result: promiseResult,
});

defineEntryMutation({
  name: 'keepPromise',
  description:
    'Records that a promise was kept (at occurredAt): the rest of it, or a share of it (the rest stays open). Recorded by the promisor it is a claim: it weighs less until the beneficiary confirms it or the attestation window passes undisputed.',
  type: 'PROMISE_KEPT',
  target: promiseTarget,
  input: (t) => ({
    promiseId: t.id({ required: true }),
    inFull: t.boolean({ required: false, description: 'Default true when no share is given. false: the older "kept in part", which closes the promise.' }),
    share: t.float({
      required: false,
      description: 'The part of the whole promise this keep delivers, 0 < share ≤ 1; the rest stays open and is judged when it comes. Without it, the keep delivers the rest.',
    }),
  }),
  payload: (i, key) =>
    i.share == null ? { promiseSeq: key.seq, inFull: i.inFull ?? true } : { promiseSeq: key.seq, share: i.share, ...(i.inFull == null ? {} : { inFull: i.inFull }) },
  result: promiseResult,
});

defineEntryMutation({
  name: 'breakPromise',
  description:
    "Records that a promise was or will not be kept: by its beneficiary, or admitted by its promisor. Recorded (by the server's clock) before the due time, it counts as announced.",
  type: 'PROMISE_BROKEN',
  target: promiseTarget,
  input: (t) => ({ promiseId: t.id({ required: true }), reason: t.string({ required: true }) }),
  payload: (i, key) => ({ promiseSeq: key.seq, reason: i.reason }),
  result: promiseResult,
});

for (const name of ['proposeCancellation', 'cancelPromise'] as const)
  defineEntryMutation({
    name,
    description:
      (name === 'cancelPromise' ? 'The same as proposeCancellation. ' : '') +
      'Proposes to cancel a promise by agreement (DESIGN §2a): it stays open until the other side accepts (acceptCancellation); then it counts for neither side. ' +
      'The other side declines with disputeEntry on the proposal; the proposer withdraws it with voidEntry.',
    type: 'PROMISE_CANCELLED',
    target: promiseTarget,
    input: (t) => ({ promiseId: t.id({ required: true }), reason: t.string({ required: true }) }),
    payload: (i, key) => ({ promiseSeq: key.seq, reason: i.reason }),
    result: promiseResult,
  });

defineEntryMutation({
  name: 'acceptCancellation',
  description: "Accepts the other side's proposal to cancel a promise: the promise is CANCELLED and counts for neither side.",
  type: 'ENTRY_CONFIRMED',
  target: promiseTarget,
  input: (t) => ({ promiseId: t.id({ required: true }) }),
  payload: (_i, key, tx) => {
    const pending = tx
      .referrers(key.relationshipId, key.seq)
      .filter((e) => e.type === 'PROMISE_CANCELLED')
      .reverse()
      .find((e) => e.voidedBySeq === null && e.disputedBySeq === null && e.confirmedBySeq === null);
    if (!pending) throw conflict('No cancellation of this promise is waiting to be accepted; propose one with proposeCancellation.', ['input', 'promiseId']);
    return { entrySeq: pending.seq };
  },
  result: promiseResult,
});

defineEntryMutation({
  name: 'acceptPromise',
  description: 'The promisor accepts a promise its beneficiary wrote for it ("you promised to pay by Friday"): until then it is PROPOSED and counts for nothing.',
  type: 'ENTRY_CONFIRMED',
  target: promiseTarget,
  input: (t) => ({ promiseId: t.id({ required: true }) }),
  payload: (_i, key) => ({ entrySeq: key.seq }),
  result: promiseResult,
});

