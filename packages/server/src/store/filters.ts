import { type AnyColumn, and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
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

/**
 * A side's place in a review's order before its trust score (DESIGN §3: a provisional score is not
 * a verdict): banded 0, Provisional 2, Unrated 4, plus 1 when the score is null, so that within a
 * tier every score is null or none is, and (tier, score, id) is one index's order either way.
 */
export const reviewTier = (band: string, score: number | null): number => (band === 'UNRATED' ? 4 : band === 'PROVISIONAL' ? 2 : 0) + (score === null ? 1 : 0);

/**
 * Relationships whose stored review figures are not at the refresh instant `at`: never scored,
 * invalidated by a write, or scored at another instant. With `own` (the firm's column) and `firmId`,
 * that firm's only, written as three ranges of relationships_*_scored (SQLite walks them; with the
 * firm's equality outside the OR it would scan all of the firm's relationships).
 */
export const staleAt = (t: Tables, at: string, own?: SQL.Aliased | AnyColumn, firmId?: string): SQL => {
  const r = t.relationships;
  const firm = own && firmId !== undefined ? sql`${own} = ${firmId} and ` : sql``;
  return sql`((${firm}${r.scoredAt} is null) or (${firm}${r.scoredAt} < ${at}) or (${firm}${r.scoredAt} > ${at}))`;
};

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
