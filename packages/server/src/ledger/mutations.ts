import { DISPUTE_OUTCOMES, LIMITS } from '@trustledger/schema';
import { builder } from '../graphql/builder.ts';
import { relationshipForWrite } from '../graphql/ids.ts';
import { defineMutation } from '../graphql/mutation.ts';
import { AppError, validation } from '../errors.ts';
import { entityId } from '../ids.ts';
import { RelationshipRef } from '../relationships/types.ts';
import { appendEntry } from './append.ts';
import { defineEntryMutation } from './entry-mutation.ts';
import { EntryRef, EntryTypeEnum, entryLoadKey } from './types.ts';

const targetEntry = { field: 'target', type: EntryRef as never, key: (_e: unknown, k: { relationshipId: string; seq: number }) => entityId(k.relationshipId, k.seq) };

for (const [name, type, description, reasonRequired] of [
  ['confirmEntry', 'ENTRY_CONFIRMED', "Confirms (attests) the other side's entry, or accepts its proposal (a promise it wrote for you, a cancellation, a void, a resolution).", false],
  ['disputeEntry', 'ENTRY_DISPUTED', "Disputes the other side's entry (once): while the dispute is open the entry weighs as the policy says (default half); left open past the policy's window it lapses and counts again, contested. Disputing a proposal declines it.", true],
  ['withdrawDispute', 'DISPUTE_WITHDRAWN', 'Withdraws your dispute of an entry; it counts again.', false],
  ['voidEntry', 'ENTRY_VOIDED', 'Voids your own entry: at once while nothing depends on it, the other side has not confirmed it and (a promise, or its reschedule, keep or break) the promise is not yet due; otherwise it is a proposal the other side accepts (confirmEntry). It stays in the chain.', true],
] as const) {
  defineEntryMutation({
    name,
    description,
    type,
    target: { field: 'entryId', typename: 'LedgerEntry' },
    input: (t) => ({ entryId: t.id({ required: true }), reason: t.string({ required: reasonRequired }) }),
    payload: (i, key) => (type === 'ENTRY_CONFIRMED' ? { entrySeq: key.seq } : { entrySeq: key.seq, reason: i.reason ?? undefined }),
    result: targetEntry,
  });
}

export const DisputeOutcomeEnum = builder.enumType('DisputeOutcome', {
  values: DISPUTE_OUTCOMES,
  description: 'What an agreed resolution does to the disputed entry: STANDS (it counts fully) or STRUCK (it counts for nothing).',
});

defineEntryMutation({
  name: 'proposeResolution',
  description: 'Proposes how to end a dispute (either side): the disputed entry STANDS or is STRUCK. It ends the dispute once the other side accepts it (confirmEntry on the proposal).',
  type: 'DISPUTE_RESOLVED',
  target: { field: 'entryId', typename: 'LedgerEntry' },
  input: (t) => ({
    entryId: t.id({ required: true, description: 'The disputed entry.' }),
    outcome: t.field({ type: DisputeOutcomeEnum, required: true }),
    note: t.string({ required: true }),
  }),
  payload: (i, key) => ({ entrySeq: key.seq, outcome: i.outcome, note: i.note }),
  result: targetEntry,
});

const EntryInput = builder.inputType('EntryInput', {
  fields: (t) => ({
    type: t.field({ type: EntryTypeEnum, required: true }),
    occurredAt: t.field({ type: 'DateTime', required: false }),
    payload: t.field({ type: 'JSON', required: true, description: 'As in the ledger: earlier entries are named by seq (promiseSeq, …).' }),
  }),
});

defineMutation({
  name: 'recordEntries',
  description: `Appends up to ${LIMITS.batch} entries to one ledger, all or nothing: one bad entry and none is written.`,
  input: (t) => ({ relationshipId: t.id({ required: true }), entries: t.field({ type: [EntryInput], required: true }) }),
  payload: (t) => ({
    relationship: t.field({ type: RelationshipRef, nullable: true, resolve: (p, _a, ctx) => (p.result ? ctx.loaders.relationship.load(p.result.relationship) : null) }),
    entries: t.field({
      type: [EntryRef],
      nullable: true,
      resolve: async (p, _a, ctx) =>
        p.result ? ((await ctx.loaders.entry.loadMany(p.result.entries)).filter((e) => e && !(e instanceof Error)) as never) : null,
    }),
  }),
  run: (tx, input, viewer, now) => {
    if (input.entries.length === 0) throw validation('entries must not be empty.', ['input', 'entries']);
    if (input.entries.length > LIMITS.batch)
      throw validation(`A batch holds at most ${LIMITS.batch} entries (got ${input.entries.length}); split it.`, ['input', 'entries']);
    let rel = relationshipForWrite(tx, viewer, String(input.relationshipId), ['input', 'relationshipId']);
    const keys: string[] = [];
    input.entries.forEach((e, i) => {
      try {
        // The mutation checked every string of the input (defineMutation): the payload is not walked again.
        const out = appendEntry(tx, rel, viewer.firmId, { type: e.type, payload: e.payload, occurredAt: e.occurredAt, path: [i], wellFormed: true }, now);
        rel = out.rel;
        keys.push(entryLoadKey(out.entry));
      } catch (error) {
        if (error instanceof AppError) {
          const prefix = (p: (string | number)[]) =>
            p[0] === 'relationshipId' ? ['input', 'relationshipId'] : typeof p[0] === 'number' ? ['input', 'entries', ...p] : ['input', 'entries', i, ...p];
          throw new AppError(error.code, `Entry ${i}: ${error.message}`, prefix(error.path_), error.issues.map((is) => ({ ...is, message: `Entry ${i}: ${is.message}`, path: prefix(is.path) })));
        }
        throw error;
      }
    });
    return { relationship: rel.id, entries: keys };
  },
});
