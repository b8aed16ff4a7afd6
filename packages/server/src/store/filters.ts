import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type * as pgSchema from './pg/schema.ts';
import type * as sqliteSchema from './schema.ts';
import type { PagedTable, PageFilter } from './types.ts';

/** Either dialect's tables: the same names and columns, so one filter serves both stores. */
type Tables = typeof sqliteSchema | typeof pgSchema;

/**
 * Accepted by asOf (RFC 3339): a relationship that did not exist yet has no row in a past review.
 * `t`: the store's schema module.
 */
export const acceptedBy = (t: Tables, asOf: string): SQL =>
  sql`exists (select 1 from ${t.entries} a where a.relationship_id = ${t.relationships.id} and a.type = 'RELATIONSHIP_ACCEPTED' and a.occurred_at <= ${asOf})`;

/** The filters of a per-relationship page (loaders' `*Page`), as SQL over its table in `t`. */
export function pageFilter(t: Tables, table: PagedTable, f: PageFilter): SQL | undefined {
  switch (table) {
    case 'entries':
      return undefined;
    case 'goals':
      return and(eq(t.goals.voided, false), f.status ? eq(t.goals.status, f.status as never) : undefined);
    case 'interactions':
      return and(eq(t.interactions.voided, false), f.kinds?.length ? inArray(t.interactions.kind, [...f.kinds] as never[]) : undefined);
    case 'promises':
      return and(
        eq(t.promises.voided, false),
        f.promisor ? eq(t.promises.promisor, f.promisor as never) : undefined,
        f.state ? eq(t.promises.state, f.state as never) : undefined,
        f.outcome ? eq(t.promises.outcome, f.outcome) : undefined,
        f.overdue === true ? and(eq(t.promises.state, 'OPEN'), sql`${t.promises.dueAt} < ${f.now as string}`) : undefined,
        f.overdue === false ? or(sql`${t.promises.state} <> 'OPEN'`, sql`${t.promises.dueAt} >= ${f.now as string}`) : undefined,
      );
  }
}
