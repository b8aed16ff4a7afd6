import { LIMITS } from '@trustledger/schema';
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
  ['confirmEntry', 'ENTRY_CONFIRMED', "Confirms the other side's entry.", false],
  ['disputeEntry', 'ENTRY_DISPUTED', "Disputes the other side's entry; while disputed it does not count.", true],
  ['withdrawDispute', 'DISPUTE_WITHDRAWN', 'Withdraws your dispute of an entry; it counts again.', false],
  ['voidEntry', 'ENTRY_VOIDED', 'Voids your own entry. It stays in the chain; its effect on scores ends.', true],
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
        const out = appendEntry(tx, rel, viewer.firmId, { type: e.type, payload: e.payload, occurredAt: e.occurredAt, path: [i] }, now);
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
