import { builder } from '../graphql/builder.ts';
import { RelationshipStatusEnum, SideEnum } from '../graphql/enums.ts';
import type { RelationshipRow } from '../graphql/loaders.ts';
import { pageSize, decodeCursor, toConnection } from '../graphql/pagination.ts';
import { sideOf } from '../ledger/rules.ts';
import { EntryConnection, LedgerHeadRef } from '../ledger/types.ts';
import { FirmRef } from '../firms/types.ts';
import { KeyRoleEnum } from '../graphql/enums.ts';
import { AppError } from '../errors.ts';
import type { Viewer } from '../graphql/context.ts';

export const RelationshipRef = builder.objectRef<RelationshipRow>('Relationship');

builder.node(RelationshipRef, {
  description: 'A supplier–client relationship and its shared ledger. Visible only to its two firms.',
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => ctx.loaders.relationship.loadMany(ids) as never,
  fields: (t) => ({
    rawId: t.exposeString('id', { description: 'The id as hashed in ledger entries (relationshipId).' }),
    supplier: t.field({ type: FirmRef, resolve: (r, _a, ctx) => ctx.loaders.firm.load(r.supplierId) as never }),
    client: t.field({ type: FirmRef, resolve: (r, _a, ctx) => ctx.loaders.firm.load(r.clientId) as never }),
    viewerSide: t.field({ type: SideEnum, resolve: (r, _a, ctx) => sideOf(r, ctx.viewer?.firmId ?? '') }),
    counterparty: t.field({
      type: FirmRef,
      description: 'The other firm, seen from the viewer.',
      resolve: (r, _a, ctx) => ctx.loaders.firm.load(sideOf(r, ctx.viewer?.firmId ?? '') === 'SUPPLIER' ? r.clientId : r.supplierId) as never,
    }),
    proposedBy: t.field({ type: SideEnum, resolve: (r) => r.proposedBy }),
    status: t.field({ type: RelationshipStatusEnum, resolve: (r) => r.status }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    head: t.field({ type: LedgerHeadRef, resolve: (r) => ({ seq: r.headSeq, hash: r.headHash }) }),
    ledger: t.field({
      type: EntryConnection,
      description:
        'Entries in seq order. Page with Relay cursors (`after: pageInfo.endCursor`), as on every connection; ' +
        'or start after a known seq with `afterSeq` (verifiers resuming from a pinned head). Not both.',
      args: {
        first: t.arg.int({ defaultValue: 100 }),
        after: t.arg.string({ description: 'A cursor this connection returned (Relay).' }),
        afterSeq: t.arg.int({ description: 'Start after this seq (0 = from the start).' }),
      },
      resolve: async (r, args, ctx) => {
        const { first, limit } = pageSize(args.first, 100);
        if (args.after != null && args.afterSeq != null)
          throw new AppError('VALIDATION', 'Give after (a cursor) or afterSeq (a seq), not both.', ['afterSeq']);
        const cursor = decodeCursor(args.after);
        const fromCursor = cursor === null ? null : Number(cursor);
        if (fromCursor !== null && !Number.isSafeInteger(fromCursor))
          throw new AppError('VALIDATION', 'after is not a cursor this API returned.', ['after']);
        const after = Math.max(0, fromCursor ?? args.afterSeq ?? 0);
        const rows = await ctx.loaders.ledgerPage.load({ parent: r.id, args: {}, limit, after });
        return toConnection(rows, first, (e) => e.seq, after > 0);
      },
    }),
  }),
});

export const RelationshipConnection = builder.connectionObject({ type: RelationshipRef, name: 'RelationshipConnection' });

/** The viewer's relationships page, oldest first; `as` is the viewer's side. */
export async function relationshipsPage(
  ctx: { store: import('../store/index.ts').Store },
  viewer: Viewer,
  args: { as?: 'SUPPLIER' | 'CLIENT' | null; status?: RelationshipRow['status'] | null; first?: number | null; after?: string | null },
) {
  const { first, limit } = pageSize(args.first);
  const after = decodeCursor(args.after);
  const rows = await ctx.store.relationshipsOf(viewer.firmId, { as: args.as, status: args.status, after, limit });
  return toConnection(rows, first, (r) => r.id, after !== null);
}

export const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The firm behind the API key of this request.',
  fields: (t) => ({
    firm: t.field({ type: FirmRef, resolve: (v, _a, ctx) => ctx.loaders.firm.load(v.firmId) as never }),
    role: t.field({ type: KeyRoleEnum, resolve: (v) => v.role }),
    relationships: t.field({
      type: RelationshipConnection,
      description: '`as: CLIENT` lists relationships in which the viewer is the client, i.e. its suppliers.',
      args: {
        first: t.arg.int({ defaultValue: 20 }),
        after: t.arg.string(),
        as: t.arg({ type: SideEnum }),
        status: t.arg({ type: RelationshipStatusEnum }),
      },
      resolve: (v, args, ctx) => relationshipsPage(ctx, v, args),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: ViewerRef, nullable: true, description: 'Null without a valid API key.', resolve: (_r, _a, ctx) => ctx.viewer }),
);

