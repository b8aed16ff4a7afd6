import { type ChurnStage, DEFAULT_POLICY, evaluatePromise, type LedgerEntry, type Payloads, type PromiseEvent, type Side, type TrustBand } from '@trustledger/schema';
import { computeScorecard, type Scorecard } from '@trustledger/sdk/scorecard';
import { and, asc, desc, eq, inArray, lte, max, ne, or, gt, isNull, sql } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import { readLedgerPrefix, scorecardOf } from '../scoring/state.ts';

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
  /**
   * Reproduce the review as it could be seen at this server time (RFC 3339, canonical UTC): each
   * relationship's figures come from its ledger up to the last entry recorded (recordedAt) at or
   * before it, so a review pinned in March is the same review in June, whatever was recorded
   * since, back-dated or not. Relationships not yet accepted then are left out. @default now: every entry
   */
  asKnownAt?: string | null;
  /**
   * Told the number of ledger entries before each scorecard this review recomputes (one its
   * state cannot answer: a past asOf, the start of `change`'s period, a review asKnownAt), so the
   * caller can charge the work or refuse it by throwing (issue 11).
   */
  beforeFullRecompute?: (entries: number) => void;
  /** Scorecards computed beforehand (e.g. on the scoring pool's thread), by cardKey: used instead of recomputing them. */
  precomputed?: ReadonlyMap<string, Scorecard>;
}

/** The key of a scorecard in ReviewOptions.precomputed: relationship, ledger head (seq) and asOf. */
export const cardKey = (relationshipId: string, seq: number, asOf: string): string => `${relationshipId}|${seq}|${asOf}`;

/** The relationships a firm's review at asOf covers (see reviewItems), ordered by id. */
export function reviewRelationships(db: Db, firmId: string, as: Side, asOf: string): RelationshipRow[] {
  const own = as === 'SUPPLIER' ? t.relationships.supplierId : t.relationships.clientId;
  return db
    .select()
    .from(t.relationships)
    .where(and(eq(own, firmId), ne(t.relationships.status, 'PROPOSED'), acceptedBy(asOf)))
    .orderBy(t.relationships.id)
    .all();
}

/** The seq of the last entry of a relationship recorded (recordedAt) by asKnownAt; undefined when none. */
export function knownSeq(db: Db, relationshipId: string, asKnownAt: string): number | undefined {
  return (
    db
      .select({ seq: max(t.entries.seq) })
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relationshipId), lte(t.entries.recordedAt, asKnownAt)))
      .get()?.seq ?? undefined
  );
}

/** Accepted by asOf: a relationship that did not exist yet has no row in a past review. */
const acceptedBy = (asOf: string) =>
  sql`exists (select 1 from ${t.entries} a where a.relationship_id = ${t.relationships.id} and a.type = 'RELATIONSHIP_ACCEPTED' and a.occurred_at <= ${asOf})`;

/**
 * A firm's review of its counterparties at `asOf` (DESIGN §3, for procurement and account
 * managers): `as: 'CLIENT'` reviews its suppliers, `as: 'SUPPLIER'` its clients. Accepted
 * relationships only; filtered by band and churn stage, sorted by trust score or its change,
 * provisional after the banded ones and unrated last either way, ties by relationship. Serves the API's `viewer.review` and the CSV export.
 */
export function reviewItems(db: Db, firmId: string, as: Side, asOf: string, options: ReviewOptions = {}): ReviewItem[] {
  const rels = reviewRelationships(db, firmId, as, asOf);
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  let items = options.asKnownAt ? knownAtItems(db, rels, as, asOf, options.asKnownAt, options) : itemsOf(db, rels, as, asOf, counterpartySide, options);
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

/** Review items of the given relationships at asOf, in their order. */
function itemsOf(db: Db, rels: RelationshipRow[], as: Side, asOf: string, counterpartySide: 'client' | 'supplier', options: ReviewOptions = {}): ReviewItem[] {
  const cardAt = (rel: RelationshipRow, at: string) =>
    options.precomputed?.get(cardKey(rel.id, rel.headSeq, at)) ?? scorecardOf(db, rel, at, options.beforeFullRecompute);
  const counts = openPromiseCounts(
    db,
    rels.map((r) => r.id),
    as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER',
    asOf,
  );
  return rels.map((rel) => {
    const card = cardAt(rel, asOf);
    const score = card[counterpartySide];
    const memo = new Map<number, number | null>();
    const change = (days: number) => {
      if (!memo.has(days)) {
        const past = new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
        const before = cardAt(rel, past)[counterpartySide].trustScore;
        memo.set(days, score.trustScore !== null && before !== null ? score.trustScore - before : null);
      }
      return memo.get(days) ?? null;
    };
    const c = counts.get(rel.id) ?? { open: 0, overdue: 0 };
    return { rel, counterpartyId: as === 'SUPPLIER' ? rel.clientId : rel.supplierId, card, score, ...c, change };
  });
}

/**
 * The review's items as known at `asKnownAt` (see ReviewOptions): per relationship, the ledger
 * prefix up to the last entry recorded by then, and the scorecards and promise counts of that
 * prefix alone.
 */
function knownAtItems(db: Db, rels: RelationshipRow[], as: Side, asOf: string, asKnownAt: string, options: ReviewOptions = {}): ReviewItem[] {
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const promisor: Side = as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER';
  const items: ReviewItem[] = [];
  for (const rel of rels) {
    const known = knownSeq(db, rel.id, asKnownAt);
    if (!known) continue;
    const entries = readLedgerPrefix(db, rel.id, known);
    if (!entries.some((e) => e.type === 'RELATIONSHIP_ACCEPTED')) continue;
    const cardAt = (at: string) => {
      const pre = options.precomputed?.get(cardKey(rel.id, known, at));
      if (pre) return pre;
      options.beforeFullRecompute?.(entries.length);
      return computeScorecard(entries, { asOf: at });
    };
    const card = cardAt(asOf);
    const score = card[counterpartySide];
    const memo = new Map<number, number | null>();
    const change = (days: number) => {
      if (!memo.has(days)) {
        const past = new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
        const before = cardAt(past)[counterpartySide].trustScore;
        memo.set(days, score.trustScore !== null && before !== null ? score.trustScore - before : null);
      }
      return memo.get(days) ?? null;
    };
    items.push({ rel, counterpartyId: as === 'SUPPLIER' ? rel.clientId : rel.supplierId, card, score, ...openPromisesIn(entries, promisor, asOf), change });
  }
  return items;
}

/**
 * Open and overdue promises of `promisor` at `asOf` in a ledger (prefix), judged as the promises
 * projection judges them (evaluatePromise on the entries of asOf or before, voided ones left
 * out): made by asOf and still open then; overdue when the due time in force has passed.
 */
function openPromisesIn(entries: readonly LedgerEntry[], promisor: Side, asOf: string): { open: number; overdue: number } {
  const at = Date.parse(asOf);
  const voided = new Set(entries.filter((e) => e.type === 'ENTRY_VOIDED').map((e) => (e.payload as Payloads['ENTRY_VOIDED']).entrySeq));
  const made = new Map<number, { occurredAt: string; dueAt: string; events: PromiseEvent[] }>();
  for (const e of entries) {
    if (voided.has(e.seq) || Date.parse(e.occurredAt) > at) continue;
    const p = e.payload as Record<string, unknown>;
    if (e.type === 'PROMISE_MADE') {
      if (p.promisor === promisor) made.set(e.seq, { occurredAt: e.occurredAt, dueAt: p.dueAt as string, events: [] });
      continue;
    }
    const promise = made.get(p.promiseSeq as number);
    if (!promise) continue;
    if (e.type === 'PROMISE_RESCHEDULED') promise.events.push({ type: e.type, seq: e.seq, occurredAt: e.occurredAt, newDueAt: p.newDueAt as string });
    else if (e.type === 'PROMISE_KEPT')
      promise.events.push(
        p.share === undefined
          ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: p.inFull !== false }
          : { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: true, share: p.share as number },
      );
    else if (e.type === 'PROMISE_BROKEN' || e.type === 'PROMISE_CANCELLED') promise.events.push({ type: e.type, seq: e.seq, occurredAt: e.occurredAt });
  }
  let open = 0;
  let overdue = 0;
  for (const p of made.values()) {
    const ev = evaluatePromise(p, p.events, asOf, DEFAULT_POLICY.graceDays);
    if (ev.state !== 'OPEN') continue;
    open++;
    if (ev.overdue) overdue++;
  }
  return { open, overdue };
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

/**
 * How often the review's stored figures move forward (TRUSTLEDGER_REVIEW_REFRESH_SECONDS, default
 * 60): a review without asOf is as of the latest multiple of it (UTC), the review's refresh instant.
 */
export const reviewRefreshMs = (): number => Math.max(1, Number(process.env.TRUSTLEDGER_REVIEW_REFRESH_SECONDS ?? 60)) * 1000;

/** The review's refresh instant at `now`: now rounded down to the refresh interval, as a ledger time. */
export const reviewInstant = (now: string): string => {
  const every = reviewRefreshMs();
  return new Date(Math.floor(Date.parse(now) / every) * every).toISOString();
};

/**
 * Computes and stores the review figures (both trust scores and bands, churn stage) at `at` of
 * the given relationships, in one write transaction: the same engine result the review would
 * compute, so a page served from the columns equals the computed one for that asOf.
 */
function storeFigures(db: Db, rels: readonly RelationshipRow[], at: string): void {
  if (rels.length === 0) return;
  const sqlite = sqliteOf(db);
  const update = () =>
    sqlite.prepare(
      'update relationships set scored_at = ?, supplier_score = ?, supplier_band = ?, client_score = ?, client_band = ?, churn_stage = ? where id = ? and head_seq = ?',
    );
  const cards = rels.map((rel) => ({ rel, card: scorecardOf(db, rel, at) }));
  sqlite
    .transaction(() => {
      for (const { rel, card } of cards)
        update().run(at, card.supplier.trustScore, card.supplier.band, card.client.trustScore, card.client.band, card.churn.stage, rel.id, rel.headSeq);
    })
    .immediate();
}

/**
 * Moves the stored review figures of every relationship (all firms) to the refresh instant of
 * `now`, `chunk` relationships per transaction. Run on a timer by the server, so the first review
 * after each refresh instant finds its figures ready; reviews never depend on it for correctness.
 * Returns how many relationships it scored.
 */
export function refreshReviewFigures(db: Db, now: string, chunk = 200): number {
  const at = reviewInstant(now);
  const r = t.relationships;
  let done = 0;
  for (;;) {
    const stale = db
      .select()
      .from(r)
      .where(and(ne(r.status, 'PROPOSED'), or(isNull(r.scoredAt), ne(r.scoredAt, at))))
      .limit(chunk)
      .all();
    if (stale.length === 0) return done;
    storeFigures(db, stale, at);
    done += stale.length;
    if (stale.length < chunk) return done;
  }
}

/** Whether a review can be served from the stored figures: ordered by trust score, at the refresh instant. */
export const servedFromColumns = (asOf: string, now: string, options: ReviewOptions): boolean =>
  asOf === reviewInstant(now) && (options.orderBy ?? 'TRUST_SCORE_ASC').startsWith('TRUST_SCORE');

/**
 * One page of reviewItems(db, firmId, as, asOf, options), read in score order from the stored
 * figures (SQL order, filter, limit and offset): the same items in the same order, for a review
 * at the refresh instant ordered by trust score (see servedFromColumns). Relationships whose
 * figures are not at that instant are scored first (after a write that counts at or before it,
 * or when no refresh ran yet); then the cost is the page's, whatever the number of relationships.
 */
export function reviewPage(db: Db, firmId: string, as: Side, asOf: string, options: ReviewOptions, offset: number, limit: number): ReviewItem[] {
  const r = t.relationships;
  const own = as === 'SUPPLIER' ? r.supplierId : r.clientId;
  const mine = and(eq(own, firmId), ne(r.status, 'PROPOSED'), acceptedBy(asOf));
  storeFigures(db, db.select().from(r).where(and(mine, or(isNull(r.scoredAt), ne(r.scoredAt, asOf)))).all(), asOf);
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const score = as === 'SUPPLIER' ? r.clientScore : r.supplierScore;
  const band = as === 'SUPPLIER' ? r.clientBand : r.supplierBand;
  const conditions = [mine];
  if (options.bands?.length) conditions.push(inArray(band, [...options.bands]));
  if (options.stages?.length) conditions.push(inArray(r.churnStage, [...options.stages]));
  const direction = options.orderBy === 'TRUST_SCORE_DESC' ? desc : asc;
  const rels = db
    .select()
    .from(r)
    .where(and(...conditions))
    .orderBy(sql`case ${band} when 'UNRATED' then 2 when 'PROVISIONAL' then 1 else 0 end`, sql`${score} is null`, direction(score), r.id)
    .limit(limit)
    .offset(offset)
    .all();
  return itemsOf(db, rels, as, asOf, counterpartySide, options);
}
