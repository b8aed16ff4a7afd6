import { parseEntityId } from '../ids.ts';
import type { Context } from './context.ts';

/**
 * Loads ledger-backed nodes for `node(id:)` and `nodes(ids:)`: only from relationships the viewer
 * is party to; any other id gives null, exactly as an unknown id does.
 */
export function loadVisible<Row>(load: (ctx: Context) => { load: (key: string) => Promise<Row | null> }) {
  return (ids: string[], ctx: Context) =>
    Promise.all(
      ids.map(async (id) => {
        const key = parseEntityId(id);
        if (!key || !(await ctx.loaders.relationship.load(key.relationshipId))) return null;
        return load(ctx).load(id);
      }),
    );
}
