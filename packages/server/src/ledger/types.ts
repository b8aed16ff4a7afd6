import {
  ENTRY_STATUSES,
  ENTRY_TYPES,
  type EntryStatus,
  HASHED_FIELDS,
  isBackdated,
  type LedgerEntry,
  type Side,
} from '@trustledger/schema';
import type { Context } from '../graphql/context.ts';
import { builder } from '../graphql/builder.ts';
import type { EntryRow } from '../graphql/loaders.ts';
import { loadVisible } from '../graphql/node.ts';
import { FirmRef } from '../firms/types.ts';

export const EntryTypeEnum = builder.enumType('EntryType', { values: ENTRY_TYPES });
export const EntryStatusEnum = builder.enumType('EntryStatus', {
  values: ENTRY_STATUSES,
  description:
    'VOIDED (by its recorder, with consent where needed), DISPUTED by the other side (while the dispute is open), CONFIRMED (or accepted) by the other side, ' +
    'PROPOSED (a proposal not yet accepted: a promise written by its beneficiary, a cancellation, a void that needs consent, a resolution), else STANDING.',
});

/** The loader key of an entry. */
export const entryLoadKey = (e: Pick<LedgerEntry, 'relationshipId' | 'seq'>): string => `${e.relationshipId}:${e.seq}`;

/** An entry's status (see EntryStatus); proposals need their relationship or target to tell. */
export async function statusOf(e: EntryRow, ctx: Pick<Context, 'loaders'>): Promise<EntryStatus> {
  if (e.voidedBySeq !== null) return 'VOIDED';
  if (e.disputedBySeq !== null) return 'DISPUTED';
  if (e.confirmedBySeq !== null) return 'CONFIRMED';
  if (e.type === 'PROMISE_CANCELLED' || e.type === 'DISPUTE_RESOLVED') return 'PROPOSED';
  if (e.type === 'PROMISE_MADE') {
    const rel = await ctx.loaders.relationship.load(e.relationshipId);
    const side: Side = rel && rel.supplierId === e.actorFirmId ? 'SUPPLIER' : 'CLIENT';
    return (JSON.parse(e.payload) as { promisor: Side }).promisor === side ? 'STANDING' : 'PROPOSED';
  }
  if (e.type === 'ENTRY_VOIDED') {
    const target = await ctx.loaders.entry.load(`${e.relationshipId}:${(JSON.parse(e.payload) as { entrySeq: number }).entrySeq}`);
    return target && target.voidedBySeq === e.seq ? 'STANDING' : 'PROPOSED';
  }
  return 'STANDING';
}

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
    status: t.field({ type: EntryStatusEnum, resolve: (e, _a, ctx) => statusOf(e, ctx) }),
    backdated: t.boolean({
      description: 'Recorded more than an hour after its occurredAt (late bookkeeping, an import): it buys no notice or speed unless the other side confirms it.',
      resolve: (e) => isBackdated(e),
    }),
  }),
});

export const EntryConnection = builder.connectionObject({ type: EntryRef, name: 'LedgerEntryConnection' });

export const LedgerHeadRef = builder.objectRef<{ seq: number; hash: string }>('LedgerHead').implement({
  description: 'The last entry of a ledger. Keep it: a later read must extend it.',
  fields: (t) => ({ seq: t.exposeInt('seq'), hash: t.exposeString('hash') }),
});
