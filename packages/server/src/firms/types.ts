import { builder } from '../graphql/builder.ts';
import type { FirmRow } from '../graphql/loaders.ts';

export const FirmRef = builder.objectRef<FirmRow>('Firm');

builder.node(FirmRef, {
  description: 'A company: supplier in some relationships, client in others.',
  id: { resolve: (f) => f.id },
  // A firm is visible to itself and to its counterparties.
  loadMany: (ids, ctx) => Promise.all(ids.map(async (id) => ((await ctx.loaders.visibleFirm.load(id)) ? ctx.loaders.firm.load(id) : null))),
  fields: (t) => ({
    name: t.exposeString('name'),
    rawId: t.exposeString('id', { description: 'The id as it appears in ledger entries (actorId, payloads).' }),
  }),
});
