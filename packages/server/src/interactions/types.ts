import { builder } from '../graphql/builder.ts';
import { InteractionKindEnum, SideEnum } from '../graphql/enums.ts';
import type { InteractionRow } from '../graphql/loaders.ts';
import { loadVisible } from '../graphql/node.ts';
import { pageSize, decodeIntCursor, toConnection } from '../graphql/pagination.ts';
import { entityId } from '../ids.ts';
import { defineEntryMutation, madeByEntry } from '../ledger/entry-mutation.ts';
import { EntryRef } from '../ledger/types.ts';
import { RelationshipRef } from '../relationships/types.ts';

export const InteractionRef = builder.objectRef<InteractionRow>('Interaction');
builder.node(InteractionRef, {
  description: 'A day-to-day signal: a contact, a complaint, an order, a satisfaction pulse, a sign of an alternative supplier.',
  id: { resolve: (i) => entityId(i.relationshipId, i.seq) },
  loadMany: loadVisible((ctx) => ctx.loaders.interaction),
  fields: (t) => ({
    kind: t.field({ type: InteractionKindEnum, resolve: (i) => i.kind as never }),
    initiatedBy: t.field({ type: SideEnum, resolve: (i) => i.initiatedBy }),
    occurredAt: t.field({ type: 'DateTime', resolve: (i) => i.occurredAt }),
    note: t.exposeString('note', { nullable: true }),
    volume: t.exposeFloat('volume', { nullable: true, description: 'Activity volume (ACTIVITY).' }),
    score: t.exposeInt('score', { nullable: true, description: 'Satisfaction 1–5 (SATISFACTION).' }),
    firstResponseAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.firstResponseAt }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.resolvedAt }),
    voided: t.exposeBoolean('voided'),
    history: t.field({
      type: [EntryRef],
      description: 'The entry that recorded it and those that followed it up (responses, resolution, disputes).',
      resolve: (i, _a, ctx) => ctx.loaders.history.load(entityId(i.relationshipId, i.seq)),
    }),
  }),
});
export const InteractionConnection = builder.connectionObject({ type: InteractionRef, name: 'InteractionConnection' });

builder.objectFields(RelationshipRef, (t) => ({
  interactions: t.field({
    type: InteractionConnection,
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string(), kinds: t.arg({ type: [InteractionKindEnum] }) },
    resolve: async (r, args, ctx) => {
      const { first, limit } = pageSize(args.first);
      const after = decodeIntCursor(args.after, 0) ?? 0;
      const kinds = args.kinds ? [...args.kinds].sort() : undefined;
      const rows = await ctx.loaders.interactionsPage.load({ parent: r.id, args: { kinds }, limit, after });
      return toConnection(rows, first, (i) => i.seq, after > 0);
    },
  }),
}));

defineEntryMutation({
  name: 'recordInteraction',
  description: 'Records a contact, complaint, order/activity (with volume), satisfaction pulse (score 1–5) or alternative-supplier signal.',
  type: 'INTERACTION_RECORDED',
  target: { field: 'relationshipId', typename: 'Relationship' },
  input: (t) => ({
    relationshipId: t.id({ required: true }),
    kind: t.field({ type: InteractionKindEnum, required: true }),
    initiatedBy: t.field({ type: SideEnum, required: true }),
    note: t.string({ required: false }),
    volume: t.float({ required: false }),
    score: t.int({ required: false }),
  }),
  payload: (i) => ({
    kind: i.kind,
    initiatedBy: i.initiatedBy,
    note: i.note ?? undefined,
    volume: i.volume ?? undefined,
    score: i.score ?? undefined,
  }),
  result: { field: 'interaction', type: InteractionRef as never, key: madeByEntry },
});

for (const [name, type, description] of [
  ['respondToComplaint', 'COMPLAINT_RESPONDED', 'Records the first response to a complaint (at occurredAt): speed matters most.'],
  ['resolveComplaint', 'COMPLAINT_RESOLVED', 'Records that a complaint was resolved.'],
] as const) {
  defineEntryMutation({
    name,
    description,
    type,
    target: { field: 'interactionId', typename: 'Interaction' },
    input: (t) => ({ interactionId: t.id({ required: true }), note: t.string({ required: false }) }),
    payload: (i, key) => ({ interactionSeq: key.seq, note: i.note ?? undefined }),
    result: { field: 'interaction', type: InteractionRef as never, key: (_e, k) => entityId(k.relationshipId, k.seq) },
  });
}
