import {
  ENTRY_STATUSES,
  ENTRY_TYPES,
  type EntryStatus,
  HASHED_FIELDS,
  type LedgerEntry,
} from '@trustledger/schema';
import { builder } from '../graphql/builder.ts';
import type { EntryRow } from '../graphql/loaders.ts';
import { loadVisible } from '../graphql/node.ts';
import { FirmRef } from '../firms/types.ts';

export const EntryTypeEnum = builder.enumType('EntryType', { values: ENTRY_TYPES });
export const EntryStatusEnum = builder.enumType('EntryStatus', {
  values: ENTRY_STATUSES,
  description: 'VOIDED by its recorder, DISPUTED by the other side (until withdrawn), CONFIRMED by the other side, else STANDING.',
});

/** The loader key of an entry. */
export const entryLoadKey = (e: Pick<LedgerEntry, 'relationshipId' | 'seq'>): string => `${e.relationshipId}:${e.seq}`;

export const statusOf = (e: EntryRow): EntryStatus =>
  e.voidedBySeq !== null ? 'VOIDED' : e.disputedBySeq !== null ? 'DISPUTED' : e.confirmedBySeq !== null ? 'CONFIRMED' : 'STANDING';

export const EntryRef = builder.objectRef<EntryRow>('LedgerEntry');

builder.node(EntryRef, {
  description:
    `One fact in a relationship's append-only, hash-chained ledger. hash = SHA-256 of the RFC 8785 canonical JSON of ` +
    `{${HASHED_FIELDS.join(', ')}} exactly as returned here (relationshipId and actorId are the raw ids, payload is JSON, times are UTC).`,
  id: { resolve: (e) => entryLoadKey(e) },
  loadMany: loadVisible((ctx) => ctx.loaders.entry),
  fields: (t) => ({
    relationshipId: t.exposeString('relationshipId', { description: 'The relationship as hashed (raw id).' }),
    seq: t.exposeInt('seq'),
    type: t.field({ type: EntryTypeEnum, resolve: (e) => e.type as (typeof ENTRY_TYPES)[number] }),
    payload: t.field({ type: 'JSON', resolve: (e) => JSON.parse(e.payload) }),
    actorId: t.exposeString('actorFirmId', { description: 'The recording firm as hashed (raw id).' }),
    actor: t.field({ type: FirmRef, resolve: (e, _a, ctx) => ctx.loaders.firm.load(e.actorFirmId) as never }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
    recordedAt: t.field({ type: 'DateTime', resolve: (e) => e.recordedAt }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
    status: t.field({ type: EntryStatusEnum, resolve: statusOf }),
  }),
});

export const EntryConnection = builder.connectionObject({ type: EntryRef, name: 'LedgerEntryConnection' });

export const LedgerHeadRef = builder.objectRef<{ seq: number; hash: string }>('LedgerHead').implement({
  description: 'The last entry of a ledger. Keep it: a later read must extend it.',
  fields: (t) => ({ seq: t.exposeInt('seq'), hash: t.exposeString('hash') }),
});
