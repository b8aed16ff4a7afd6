import { builder } from '../graphql/builder.ts';
import type { FirmRow } from '../graphql/loaders.ts';

export const FirmRef = builder.objectRef<FirmRow>('Firm');

builder.node(FirmRef, {
  description: 'A company: supplier in some relationships, client in others.',
  id: { resolve: (f) => f.id },
  // A firm is visible to itself and to its counterparties.
  loadMany: (ids, ctx) =>
    Promise.all(
      ids.map(async (id) => {
        const viewer = ctx.viewer;
        if (!viewer) return null;
        if (id === viewer.firmId) return ctx.loaders.firm.load(id);
        const related = ctx.db.$client
          .prepare(
            'select 1 from relationships where (supplier_id = ? and client_id = ?) or (supplier_id = ? and client_id = ?) limit 1',
          )
          .get(id, viewer.firmId, viewer.firmId, id);
        return related ? ctx.loaders.firm.load(id) : null;
      }),
    ),
  fields: (t) => ({
    name: t.exposeString('name'),
    rawId: t.exposeString('id', { description: 'The id as it appears in ledger entries (actorId, payloads).' }),
  }),
});
