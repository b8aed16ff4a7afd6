import type { ChurnStage, Side, TrustBand } from '@trustledger/schema';
import type { Scorecard } from '@trustledger/sdk/scorecard';
import { and, eq, inArray, lte, ne, or, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import { scorecardOf } from '../scoring/state.ts';

/** One counterparty in a firm's review: its side of the shared scorecard and its promises. */
export interface ReviewItem {
  rel: RelationshipRow;
  counterpartyId: string;
  card: Scorecard;
  /** The counterparty's side of the scorecard. */
  score: Scorecard['supplier'];
  /** The counterparty's promises open at asOf: made by then and not yet settled. */
  open: number;
  /** Of those, the ones past their due time at asOf. */
  overdue: number;
  /** Change of the counterparty's trust score over `days` before asOf, computed on demand. */
  change: (days: number) => number | null;
}

export type ReviewOrder = 'TRUST_SCORE_ASC' | 'TRUST_SCORE_DESC' | 'CHANGE_ASC' | 'CHANGE_DESC';

export interface ReviewOptions {
  bands?: readonly TrustBand[] | null;
  stages?: readonly ChurnStage[] | null;
  /** @default 'TRUST_SCORE_ASC' */
  orderBy?: ReviewOrder | null;
  /** The period of `change`, in days. @default 90 */
  changeDays?: number;
}

/**
 * A firm's review of its counterparties at `asOf` (DESIGN §3, for procurement and account
 * managers): `as: 'CLIENT'` reviews its suppliers, `as: 'SUPPLIER'` its clients. Accepted
 * relationships only; filtered by band and churn stage, sorted by trust score or its change,
 * provisional after the banded ones and unrated last either way, ties by relationship. Serves the API's `viewer.review` and the CSV export.
 */
export function reviewItems(db: Db, firmId: string, as: Side, asOf: string, options: ReviewOptions = {}): ReviewItem[] {
  const own = as === 'SUPPLIER' ? t.relationships.supplierId : t.relationships.clientId;
  const rels = db
    .select()
    .from(t.relationships)
    .where(
      and(
        eq(own, firmId),
        ne(t.relationships.status, 'PROPOSED'),
        // Accepted by asOf: a relationship that did not exist yet has no row in a past review.
        sql`exists (select 1 from ${t.entries} a where a.relationship_id = ${t.relationships.id} and a.type = 'RELATIONSHIP_ACCEPTED' and a.occurred_at <= ${asOf})`,
      ),
    )
    .orderBy(t.relationships.id)
    .all();
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const counts = openPromiseCounts(
    db,
    rels.map((r) => r.id),
    as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER',
    asOf,
  );
  let items: ReviewItem[] = rels.map((rel) => {
    const card = scorecardOf(db, rel, asOf);
    const score = card[counterpartySide];
    const memo = new Map<number, number | null>();
    const change = (days: number) => {
      if (!memo.has(days)) {
        const past = new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
        const before = scorecardOf(db, rel, past)[counterpartySide].trustScore;
        memo.set(days, score.trustScore !== null && before !== null ? score.trustScore - before : null);
      }
      return memo.get(days) ?? null;
    };
    const c = counts.get(rel.id) ?? { open: 0, overdue: 0 };
    return { rel, counterpartyId: as === 'SUPPLIER' ? rel.clientId : rel.supplierId, card, score, ...c, change };
  });
  if (options.bands?.length) items = items.filter((i) => options.bands?.includes(i.score.band));
  if (options.stages?.length) items = items.filter((i) => options.stages?.includes(i.card.churn.stage));
  const orderBy = options.orderBy ?? 'TRUST_SCORE_ASC';
  const days = options.changeDays ?? 90;
  const byChange = orderBy === 'CHANGE_ASC' || orderBy === 'CHANGE_DESC';
  const key = (i: ReviewItem) => (byChange ? i.change(days) : i.score.trustScore);
  const dir = orderBy.endsWith('_DESC') ? -1 : 1;
  // Banded first, then PROVISIONAL, then UNRATED (DESIGN §3: a provisional score is not a verdict).
  const tier = (i: ReviewItem) => (i.score.band === 'UNRATED' ? 2 : i.score.band === 'PROVISIONAL' ? 1 : 0);
  return items.sort((a, b) => {
    const t = tier(a) - tier(b);
    if (t !== 0) return t;
    const [ka, kb] = [key(a), key(b)];
    if (ka === null || kb === null || ka === kb) return ka === kb ? a.rel.id.localeCompare(b.rel.id) : ka === null ? 1 : -1;
    return (ka - kb) * dir;
  });
}

/** Open and overdue promises of one side at asOf, per relationship, in one statement. */
function openPromiseCounts(db: Db, relIds: string[], promisor: Side, asOf: string): Map<string, { open: number; overdue: number }> {
  const counts = new Map<string, { open: number; overdue: number }>();
  if (relIds.length === 0) return counts;
  const p = t.promises;
  // The due time in force at asOf: the latest reschedule (in ledger order) that had occurred by
  // then, else the original due time; a reschedule recorded later does not move a past review.
  const dueAtAsOf = sql`coalesce((select json_extract(r.payload, '$.newDueAt') from ${t.entries} r
    where r.relationship_id = ${p.relationshipId} and r.subject_seq = ${p.seq} and r.type = 'PROMISE_RESCHEDULED'
      and r.voided_by_seq is null and r.occurred_at <= ${asOf} order by r.seq desc limit 1), ${p.originalDueAt})`;
  const rows = db
    .select({
      rid: p.relationshipId,
      open: sql<number>`count(*)`,
      overdue: sql<number>`sum(case when ${dueAtAsOf} < ${asOf} then 1 else 0 end)`,
    })
    .from(p)
    .where(
      and(
        inArray(p.relationshipId, relIds),
        eq(p.voided, false),
        eq(p.promisor, promisor),
        lte(p.madeAt, asOf),
        or(isNull(p.resolvedAt), gt(p.resolvedAt, asOf)),
      ),
    )
    .groupBy(p.relationshipId)
    .all();
  for (const r of rows) counts.set(r.rid, { open: r.open, overdue: r.overdue ?? 0 });
  return counts;
}
