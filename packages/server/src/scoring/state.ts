import type { LedgerEntry } from '@trustledger/schema';
import {
  absorbEntry,
  computeScorecard,
  foldLedger,
  initialState,
  needsRebuild,
  type Scorecard,
  type ScoreState,
  scorecardFromState,
} from '@trustledger/sdk/scorecard';
import { and, asc, eq, lte } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import { rowToEntry } from '../ledger/projections.ts';

/** The engine's state for a ledger with no entries, serialised for the relationships table. */
export const initialScoreState = (): string => JSON.stringify(initialState());

/** The whole ledger of a relationship, in seq order. */
export function readLedger(db: Db, relationshipId: string): LedgerEntry[] {
  return db.select().from(t.entries).where(eq(t.entries.relationshipId, relationshipId)).orderBy(asc(t.entries.seq)).all().map(rowToEntry);
}

/** The ledger of a relationship up to and including entry `atSeq`, in seq order: what was known at that head. */
export function readLedgerPrefix(db: Db, relationshipId: string, atSeq: number): LedgerEntry[] {
  return db
    .select()
    .from(t.entries)
    .where(and(eq(t.entries.relationshipId, relationshipId), lte(t.entries.seq, atSeq)))
    .orderBy(asc(t.entries.seq))
    .all()
    .map(rowToEntry);
}

/**
 * The shared scorecard at `asOf` as known at ledger head `atSeq` (DESIGN §2a: a figure a party saw
 * can be reproduced): computed from the entries with seq ≤ atSeq only, so entries recorded later,
 * back-dated or not, do not change it. At the current head it is scorecardOf.
 */
export function scorecardAt(
  db: Db,
  rel: Pick<RelationshipRow, 'id' | 'scoreState' | 'headSeq' | 'headHash'>,
  asOf: string,
  atSeq: number,
  beforeFullRecompute?: (entries: number) => void,
): Scorecard {
  if (atSeq >= rel.headSeq) return scorecardOf(db, rel, asOf, beforeFullRecompute);
  // The ledger is append-only: its first atSeq entries never change, so (relationship, atSeq, asOf) is a key.
  return pastCard(`${rel.id}|${atSeq}|prefix|${asOf}`, atSeq, beforeFullRecompute, () => computeScorecard(readLedgerPrefix(db, rel.id, atSeq), { asOf }));
}

/**
 * Parsed states, keyed by relationship: a memo of JSON.parse, valid only while the row holds the
 * same head and the same stored text (another process wrote, a transaction rolled back, someone
 * edited the row: it misses and is parsed again; comparing the text costs far less than parsing). Bounded (least recently used out), so memory does not grow with
 * the number of relationships. Readers must not change a state they get from here.
 */
const MAX_HELD = 256;
interface Held {
  seq: number;
  hash: string;
  text: string;
  state: ScoreState;
}
const holds = (h: Held | undefined, rel: Pick<RelationshipRow, 'headSeq' | 'headHash' | 'scoreState'>): h is Held =>
  h !== undefined && h.seq === rel.headSeq && h.hash === rel.headHash && h.text === rel.scoreState;
const held = new Map<string, Held>();

function hold(id: string, h: Held): void {
  held.delete(id);
  held.set(id, h);
  if (held.size > MAX_HELD) held.delete(held.keys().next().value as string);
}

/** The parsed state of a relationship row (from memory when its head matches, else parsed once). */
export function stateOf(rel: Pick<RelationshipRow, 'id' | 'headSeq' | 'headHash' | 'scoreState'>): ScoreState {
  const h = held.get(rel.id);
  if (holds(h, rel)) return h.state;
  const state = JSON.parse(rel.scoreState) as ScoreState;
  // A row written by an older build may lag its head: it is not kept, and readers recompute.
  if ((state.head?.seq ?? 0) === rel.headSeq) hold(rel.id, { seq: rel.headSeq, hash: rel.headHash, text: rel.scoreState, state });
  return state;
}

/**
 * Relationships appended to in the open transaction: their row as it stands (head, state) and
 * not yet written. `inTransaction` writes each once before commit (flushPending), so a batch of
 * 1,000 entries parses and serialises the state once, not 1,000 times.
 */
const pending = new Map<string, { rel: RelationshipRow; state: ScoreState; earliest: string }>();

/** The row of a relationship appended to in this transaction, as it stands, or undefined. */
export const pendingRow = (id: string): RelationshipRow | undefined => pending.get(id)?.rel;

/**
 * Moves a relationship's state past one new entry, in memory: O(1) through the engine's
 * absorbEntry, or a fold of the whole ledger for the rare entries that change earlier evidence
 * (voids, disputes, policy changes). The new row (head moved) is written by flushPending.
 */
export function advanceState(db: Db, rel: RelationshipRow, entry: LedgerEntry, maxOccurredAt: string): RelationshipRow {
  const open = pending.get(rel.id);
  let state: ScoreState;
  if (open) state = open.state;
  else {
    const h = held.get(rel.id);
    // Owned from here: the held copy moves to the new head, the old head's copy is gone.
    state = holds(h, rel) ? h.state : (JSON.parse(rel.scoreState) as ScoreState);
    held.delete(rel.id);
  }
  if (needsRebuild(state, entry)) state = foldLedger(readLedger(db, rel.id));
  else {
    try {
      absorbEntry(state, entry);
    } catch (error) {
      // A state half-updated is no state: rebuild it from the ledger (which holds the entry).
      console.error('incremental scoring of %s seq %d failed, rebuilding: %s', rel.id, entry.seq, (error as Error).message);
      state = foldLedger(readLedger(db, rel.id));
    }
  }
  const next: RelationshipRow = { ...rel, headSeq: entry.seq, headHash: entry.hash, maxOccurredAt };
  const earliest = open && open.earliest < entry.occurredAt ? open.earliest : entry.occurredAt;
  pending.set(rel.id, { rel: next, state, earliest });
  return next;
}

/** Writes every relationship appended to in this transaction: one UPDATE each. Call before commit. */
export function flushPending(db: Db): void {
  for (const [id, { rel, state, earliest }] of pending) {
    const scoreState = JSON.stringify(state);
    // The review's stored figures (as of scored_at) stand unless an entry counts at or before it.
    const stale = rel.scoredAt !== null && earliest <= rel.scoredAt;
    // Plain SQL (prepared once by its text, see sqliteOf): one per write, drizzle would build it anew each time.
    sqliteOf(db)
      .prepare('update relationships set head_seq = ?, head_hash = ?, max_occurred_at = ?, score_state = ?, scored_at = case when ? then null else scored_at end where id = ?')
      .run(rel.headSeq, rel.headHash, rel.maxOccurredAt, scoreState, stale ? 1 : 0, id);
    hold(id, { seq: rel.headSeq, hash: rel.headHash, text: scoreState, state });
  }
  pending.clear();
}

/** Forgets what this transaction appended (it rolled back). */
export function discardPending(): void {
  pending.clear();
}

/**
 * Scorecards recomputed for a past asOf, by (relationship, ledger head, asOf): the head's hash
 * fixes every entry and so the policy agreed in the ledger, so a hit is the same scorecard the
 * engine would compute again. Small: it serves repeated trend and review look-ups.
 */
const pastCards = new LRUCache<string, Scorecard>({ max: 500 });

/** A recomputed scorecard from the cache, or computed (after `charge` is told the entries it folds) and cached. */
function pastCard(key: string, entries: number, charge: ((entries: number) => void) | undefined, compute: () => Scorecard): Scorecard {
  const cached = pastCards.get(key);
  if (cached) return cached;
  charge?.(entries);
  const card = compute();
  pastCards.set(key, card);
  return card;
}

/**
 * The shared scorecard of a relationship at `asOf`: served from the incremental state when it can
 * answer (asOf at or after every entry), else recomputed from the full ledger by the same engine
 * (cached by relationship, head and asOf). `beforeFullRecompute` is told the ledger's length
 * before a recomputation, so the caller can charge or refuse the work.
 */
export function scorecardOf(
  db: Db,
  rel: Pick<RelationshipRow, 'id' | 'headSeq' | 'headHash' | 'scoreState'>,
  asOf: string,
  beforeFullRecompute?: (entries: number) => void,
): Scorecard {
  const state = stateOf(rel);
  const fromState = (state.head?.seq ?? 0) === rel.headSeq ? scorecardFromState(state, asOf) : null;
  if (fromState) return fromState;
  return pastCard(`${rel.id}|${rel.headSeq}|${rel.headHash}|${asOf}`, rel.headSeq, beforeFullRecompute, () => computeScorecard(readLedger(db, rel.id), { asOf }));
}

/**
 * scorecardAt with its recomputation, when one is needed, done by `recompute` (the scoring pool's
 * thread, scoring/pool.ts), so the event loop stays free: from the state or the cache as
 * scorecardAt serves them (same keys), else `charge` is told the entries folded, the caller's
 * entries are read here and sent, and the result is cached.
 */
export async function scorecardAtOffThread(
  db: Db,
  rel: Pick<RelationshipRow, 'id' | 'scoreState' | 'headSeq' | 'headHash'>,
  asOf: string,
  atSeq: number,
  charge: ((entries: number) => void) | undefined,
  recompute: (entries: LedgerEntry[], asOf: string) => Promise<Scorecard>,
): Promise<Scorecard> {
  const current = atSeq >= rel.headSeq;
  if (current) {
    const state = stateOf(rel);
    const fromState = (state.head?.seq ?? 0) === rel.headSeq ? scorecardFromState(state, asOf) : null;
    if (fromState) return fromState;
  }
  const key = current ? `${rel.id}|${rel.headSeq}|${rel.headHash}|${asOf}` : `${rel.id}|${atSeq}|prefix|${asOf}`;
  const cached = pastCards.get(key);
  if (cached) return cached;
  charge?.(current ? rel.headSeq : atSeq);
  const card = await recompute(current ? readLedger(db, rel.id) : readLedgerPrefix(db, rel.id, atSeq), asOf);
  pastCards.set(key, card);
  return card;
}
