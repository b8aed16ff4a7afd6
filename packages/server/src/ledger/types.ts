import {
  ATTESTATIONS,
  type Attestation,
  ENTRY_STATUSES,
  ENTRY_TYPES,
  type EntryStatus,
  HASHED_FIELDS,
  isBackdated,
  type LedgerEntry,
  noticeTime,
  type Side,
} from '@trustledger/schema';
import { stateOf } from '../scoring/state.ts';
import { policyAt, windowEnd } from '@trustledger/sdk/scorecard';
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

export const AttestationEnum = builder.enumType('Attestation', {
  values: ATTESTATIONS,
  description:
    'How an entry stands as evidence (DESIGN §2a): NOT_NEEDED (not self-serving: it counts at once); CLAIMED (self-serving — a keep by the promisor, an answer by the side complained against, ' +
    'a measurement by the side accountable — weighs policy.attestation.claimWeight until the other side confirms it or the attestation window passes undisputed); ATTESTED; CONTESTED (its dispute lapsed unresolved: it counts again).',
});

const payloadOf = (e: Pick<EntryRow, 'payload'>) => JSON.parse(e.payload) as Record<string, unknown>;

/** The side a self-serving entry would favour, if the entry is of a kind that can be a claim: the promisor, the side complained against, the side accountable. */
async function favours(e: EntryRow, ctx: Pick<Context, 'loaders'>): Promise<Side | null> {
  const p = payloadOf(e);
  const load = (seq: unknown) => (typeof seq === 'number' ? ctx.loaders.entry.load(`${e.relationshipId}:${seq}`) : Promise.resolve(null));
  if (e.type === 'PROMISE_KEPT') {
    const made = await load(p.promiseSeq);
    return made ? ((payloadOf(made).promisor as Side | undefined) ?? null) : null;
  }
  if (e.type === 'COMPLAINT_RESPONDED' || e.type === 'COMPLAINT_RESOLVED') {
    const c = await load(p.interactionSeq);
    const by = c ? (payloadOf(c).initiatedBy as Side | undefined) : undefined;
    return by === undefined ? null : by === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER';
  }
  if (e.type === 'MEASUREMENT_RECORDED') {
    const g = await load(p.metricSeq);
    if (!g) return null;
    const gp = payloadOf(g);
    const m = g.type === 'METRIC_ADDED' ? (gp.metric as { accountable?: Side }) : (gp.metrics as { accountable?: Side }[] | undefined)?.[p.metricIndex as number];
    return m?.accountable ?? null;
  }
  return null;
}

/** An entry's attestation at the server's now (see Attestation), by the windows of the policy the scorecard uses. */
export async function attestationOf(e: EntryRow, ctx: Pick<Context, 'loaders' | 'store' | 'now'>): Promise<Attestation> {
  const favoured = await favours(e, ctx);
  if (favoured === null) return 'NOT_NEEDED';
  const rel = await ctx.loaders.relationship.load(e.relationshipId);
  if (!rel) return 'NOT_NEEDED';
  const recorder: Side = rel.supplierId === e.actorFirmId ? 'SUPPLIER' : 'CLIENT';
  if (recorder !== favoured) return 'NOT_NEEDED';
  if (e.confirmedBySeq !== null) return 'ATTESTED';
  // Each window is the one of the policy in force when it opened (DESIGN §2a).
  const state = stateOf(rel);
  const now = Date.parse(ctx.now());
  if (e.disputedBySeq !== null) {
    const d = await ctx.loaders.entry.load(`${e.relationshipId}:${e.disputedBySeq}`);
    const raised = d ? Date.parse(noticeTime(d, false)) : now;
    return now >= windowEnd(raised, policyAt(state, raised).disputes.windowDays) ? 'CONTESTED' : 'CLAIMED';
  }
  const seen = Date.parse(noticeTime(e, false));
  // Past the window without a dispute it is attested; so it is once a dispute of it ended (withdrawn,
  // or resolved as STANDS; STRUCK voided it). The look-up runs only for claims still in their window.
  if (now >= windowEnd(seen, policyAt(state, seen).attestation.windowDays)) return 'ATTESTED';
  const disputedOnce = await ctx.store.hasReferrer(e.relationshipId, e.seq, 'ENTRY_DISPUTED');
  return disputedOnce ? 'ATTESTED' : 'CLAIMED';
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
    attestation: t.field({
      type: AttestationEnum,
      description: 'Whether it is a claim awaiting the other side (CLAIMED), attested, contested, or not a claim at all (NOT_NEEDED); as of now.',
      resolve: (e, _a, ctx) => attestationOf(e, ctx),
    }),
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
