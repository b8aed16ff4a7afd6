import { type ChurnStage, DEFAULT_POLICY, evaluatePromise, type LedgerEntry, type Payloads, type PromiseEvent, type Side, type TrustBand } from '@trustledger/schema';
import { computeScorecard, type Scorecard } from '@trustledger/sdk/scorecard';
import type { RelationshipRow, Store } from '../store/index.ts';
import { LRUCache } from 'lru-cache';
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
  /** Change of the counterparty's trust score over `days` before asOf, computed on demand (once per period). */
  change: (days: number) => Promise<number | null>;
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
  /**
   * Server time of the request: a review at its refresh instant also covers the relationships
   * accepted since (acceptedUntil). @default none: relationships accepted by asOf
   */
  now?: string | null;
  /** Scorecards computed beforehand (e.g. on the scoring pool's thread), by cardKey: used instead of recomputing them. */
  precomputed?: ReadonlyMap<string, Scorecard>;
}

/** The key of a scorecard in ReviewOptions.precomputed: relationship, ledger head (seq) and asOf. */
export const cardKey = (relationshipId: string, seq: number, asOf: string): string => `${relationshipId}|${seq}|${asOf}`;

/**
 * The latest acceptance a review at `asOf` covers, at server time `now`: asOf itself, but for the
 * review at the current refresh instant (the default review), the end of its refresh interval, so a
 * relationship accepted a moment ago is in it at once, scored at the instant like the others (its
 * scorecard at that asOf: what was recorded for it with earlier business times).
 */
export const acceptedUntil = (asOf: string, now: string): string =>
  asOf === reviewInstant(now) ? new Date(Date.parse(asOf) + reviewRefreshMs() - 1).toISOString() : asOf;

/** The relationships a firm's review at asOf covers (see reviewItems, acceptedUntil), ordered by id. */
export const reviewRelationships = (store: Store, firmId: string, as: Side, asOf: string, now: string): Promise<RelationshipRow[]> =>
  store.reviewRelationships(firmId, as, acceptedUntil(asOf, now));

/** The seq of the last entry of a relationship recorded (recordedAt) by asKnownAt; undefined when none. */
export const knownSeq = async (store: Store, relationshipId: string, asKnownAt: string): Promise<number | undefined> =>
  (await store.lastSeqRecordedBy(relationshipId, asKnownAt)) ?? undefined;

/**
 * A firm's review of its counterparties at `asOf` (DESIGN §3, for procurement and account
 * managers): `as: 'CLIENT'` reviews its suppliers, `as: 'SUPPLIER'` its clients. Accepted
 * relationships only; filtered by band and churn stage, sorted by trust score or its change,
 * provisional after the banded ones and unrated last either way, ties by relationship. Serves the API's `viewer.review` and the CSV export.
 */
export async function reviewItems(store: Store, firmId: string, as: Side, asOf: string, options: ReviewOptions = {}): Promise<ReviewItem[]> {
  const rels = await store.reviewRelationships(firmId, as, options.asKnownAt || !options.now ? asOf : acceptedUntil(asOf, options.now));
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  let items = options.asKnownAt ? await knownAtItems(store, rels, as, asOf, options.asKnownAt, options) : await itemsOf(store, rels, as, asOf, counterpartySide, options);
  if (options.bands?.length) items = items.filter((i) => options.bands?.includes(i.score.band));
  if (options.stages?.length) items = items.filter((i) => options.stages?.includes(i.card.churn.stage));
  const orderBy = options.orderBy ?? 'TRUST_SCORE_ASC';
  const days = options.changeDays ?? 90;
  const byChange = orderBy === 'CHANGE_ASC' || orderBy === 'CHANGE_DESC';
  const changes = byChange ? new Map(await Promise.all(items.map(async (i) => [i, await i.change(days)] as const))) : null;
  const key = (i: ReviewItem) => (changes ? (changes.get(i) ?? null) : i.score.trustScore);
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

/**
 * Scorecards of review items, by relationship, ledger head (seq and hash) and asOf: a review at its
 * refresh instant asks for the same ones until the next instant or a write, so the pages read
 * during that minute (by every user of the firm) compute each once. Bounded; entries are never
 * changed by their readers.
 */
const reviewCards = new LRUCache<string, Scorecard>({ max: 1000 });

/** Review items of the given relationships at asOf, in their order; `cached`: their cards through reviewCards. */
async function itemsOf(
  store: Store,
  rels: RelationshipRow[],
  as: Side,
  asOf: string,
  counterpartySide: 'client' | 'supplier',
  options: ReviewOptions = {},
  cached = false,
): Promise<ReviewItem[]> {
  const cardAt = async (rel: RelationshipRow, at: string) => {
    const pre = options.precomputed?.get(cardKey(rel.id, rel.headSeq, at));
    if (pre) return pre;
    if (!cached || at !== asOf) return scorecardOf(store, rel, at, options.beforeFullRecompute);
    const key = `${cardKey(rel.id, rel.headSeq, at)}|${rel.headHash}`;
    const hit = reviewCards.get(key);
    if (hit) return hit;
    const card = await scorecardOf(store, rel, at, options.beforeFullRecompute);
    reviewCards.set(key, card);
    return card;
  };
  const counts = await store.openPromiseCounts(
    rels.map((r) => r.id),
    as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER',
    asOf,
  );
  const items: ReviewItem[] = [];
  for (const rel of rels) {
    const card = await cardAt(rel, asOf);
    const score = card[counterpartySide];
    const memo = new Map<number, Promise<number | null>>();
    const change = (days: number) => {
      let known = memo.get(days);
      if (!known) {
        const past = new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
        known = cardAt(rel, past).then((c) => {
          const before = c[counterpartySide].trustScore;
          return score.trustScore !== null && before !== null ? score.trustScore - before : null;
        });
        memo.set(days, known);
      }
      return known;
    };
    const c = counts.get(rel.id) ?? { open: 0, overdue: 0 };
    items.push({ rel, counterpartyId: as === 'SUPPLIER' ? rel.clientId : rel.supplierId, card, score, ...c, change });
  }
  return items;
}

/**
 * The review's items as known at `asKnownAt` (see ReviewOptions): per relationship, the ledger
 * prefix up to the last entry recorded by then, and the scorecards and promise counts of that
 * prefix alone.
 */
async function knownAtItems(store: Store, rels: RelationshipRow[], as: Side, asOf: string, asKnownAt: string, options: ReviewOptions = {}): Promise<ReviewItem[]> {
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const promisor: Side = as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER';
  const items: ReviewItem[] = [];
  for (const rel of rels) {
    const known = await store.lastSeqRecordedBy(rel.id, asKnownAt);
    if (!known) continue;
    const entries = await store.ledger(rel.id, known);
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
    const change = async (days: number) => {
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
async function storeFigures(store: Store, rels: readonly RelationshipRow[], at: string): Promise<void> {
  if (rels.length === 0) return;
  const figures = [];
  for (const rel of rels) {
    const card = await scorecardOf(store, rel, at);
    figures.push({
      id: rel.id,
      headSeq: rel.headSeq,
      supplierScore: card.supplier.trustScore,
      supplierBand: card.supplier.band,
      clientScore: card.client.trustScore,
      clientBand: card.client.band,
      churnStage: card.churn.stage,
    });
  }
  await store.storeFigures(at, figures);
}

/**
 * Moves the stored review figures of every relationship (all firms) to the refresh instant of
 * `now`, `chunk` relationships per transaction. Run on a timer by the server, so the first review
 * after each refresh instant finds its figures ready; reviews never depend on it for correctness.
 * Returns how many relationships it scored.
 */
export async function refreshReviewFigures(store: Store, now: string, chunk = 200): Promise<number> {
  const at = reviewInstant(now);
  let done = 0;
  for (;;) {
    const stale = await store.staleFigures(at, chunk);
    if (stale.length === 0) return done;
    await storeFigures(store, stale, at);
    done += stale.length;
    if (stale.length < chunk) return done;
  }
}

/** Whether a review can be served from the stored figures: ordered by trust score, at the refresh instant. */
export const servedFromColumns = (asOf: string, now: string, options: ReviewOptions): boolean =>
  asOf === reviewInstant(now) && (options.orderBy ?? 'TRUST_SCORE_ASC').startsWith('TRUST_SCORE');

/**
 * One page of reviewItems(store, firmId, as, asOf, options), read in score order from the stored
 * figures (SQL order, filter, limit and offset, one index walk in that order): the same items in the
 * same order, for a review at the refresh instant ordered by trust score (see servedFromColumns).
 * Relationships whose figures are not at that instant are scored first (after a write that counts
 * at or before it, or when no refresh ran yet; found through an index); then the cost is the page's,
 * whatever the number of relationships.
 */
export async function reviewPage(store: Store, firmId: string, as: Side, asOf: string, now: string, options: ReviewOptions, offset: number, limit: number): Promise<ReviewItem[]> {
  const until = acceptedUntil(asOf, now);
  await storeFigures(store, await store.reviewRelationships(firmId, as, until, { staleAt: asOf }), asOf);
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const rels = await store.reviewPageRows({
    firmId,
    as,
    acceptedBy: until,
    bands: options.bands,
    stages: options.stages,
    descending: options.orderBy === 'TRUST_SCORE_DESC',
    offset,
    limit,
  });
  return itemsOf(store, rels, as, asOf, counterpartySide, options, true);
}
