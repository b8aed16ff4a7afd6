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
import { LRUCache } from 'lru-cache';
import type { RelationshipRow, Store, WriteTx } from '../store/index.ts';

/** The engine's state for a ledger with no entries, serialised for the relationships table. */
export const initialScoreState = (): string => JSON.stringify(initialState());

/**
 * The shared scorecard at `asOf` as known at ledger head `atSeq` (DESIGN §2a: a figure a party saw
 * can be reproduced): computed from the entries with seq ≤ atSeq only, so entries recorded later,
 * back-dated or not, do not change it. At the current head it is scorecardOf.
 */
export async function scorecardAt(
  store: Store,
  rel: Pick<RelationshipRow, 'id' | 'scoreState' | 'headSeq' | 'headHash'>,
  asOf: string,
  atSeq: number,
  beforeFullRecompute?: (entries: number) => void,
): Promise<Scorecard> {
  if (atSeq >= rel.headSeq) return scorecardOf(store, rel, asOf, beforeFullRecompute);
  // The ledger is append-only: its first atSeq entries never change, so (relationship, atSeq, asOf) is a key.
  return pastCard(`${rel.id}|${atSeq}|prefix|${asOf}`, atSeq, beforeFullRecompute, async () => computeScorecard(await store.ledger(rel.id, atSeq), { asOf }));
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
 * Relationships appended to in an open transaction: their row as it stands (head, state) and
 * not yet written. Each is written once, just before commit (flushPending, registered with
 * tx.beforeCommit), so a batch of 1,000 entries parses and serialises the state once, not 1,000 times.
 */
type Pending = Map<string, { rel: RelationshipRow; state: ScoreState; earliest: string }>;
const pendingByTx = new WeakMap<object, Pending>();

function pendingOf(tx: WriteTx): Pending {
  let pending = pendingByTx.get(tx.scope);
  if (!pending) {
    const created: Pending = new Map();
    pending = created;
    pendingByTx.set(tx.scope, created);
    tx.beforeCommit(() => flushPending(tx, created));
  }
  return pending;
}

/** The row of a relationship appended to in this transaction, as it stands, or undefined. */
export const pendingRow = (tx: WriteTx, id: string): RelationshipRow | undefined => pendingByTx.get(tx.scope)?.get(id)?.rel;

/**
 * Moves a relationship's state past one new entry, in memory: O(1) through the engine's
 * absorbEntry, or a fold of the whole ledger for the rare entries that change earlier evidence
 * (voids, disputes, policy changes). The new row (head moved) is written by flushPending.
 */
export function advanceState(tx: WriteTx, rel: RelationshipRow, entry: LedgerEntry, maxOccurredAt: string): RelationshipRow {
  const pending = pendingOf(tx);
  const open = pending.get(rel.id);
  let state: ScoreState;
  if (open) state = open.state;
  else {
    const h = held.get(rel.id);
    // Owned from here: the held copy moves to the new head, the old head's copy is gone.
    state = holds(h, rel) ? h.state : (JSON.parse(rel.scoreState) as ScoreState);
    held.delete(rel.id);
  }
  if (needsRebuild(state, entry)) state = foldLedger(tx.ledger(rel.id));
  else {
    try {
      absorbEntry(state, entry);
    } catch (error) {
      // A state half-updated is no state: rebuild it from the ledger (which holds the entry).
      console.error('incremental scoring of %s seq %d failed, rebuilding: %s', rel.id, entry.seq, (error as Error).message);
      state = foldLedger(tx.ledger(rel.id));
    }
  }
  // Every column by name, not a spread: a spread of the row cost more than a microsecond per entry of a batch (issue 13).
  const next: RelationshipRow = {
    id: rel.id,
    supplierId: rel.supplierId,
    clientId: rel.clientId,
    proposedBy: rel.proposedBy,
    status: rel.status,
    headSeq: entry.seq,
    headHash: entry.hash,
    maxOccurredAt,
    scoreState: rel.scoreState,
    createdAt: rel.createdAt,
    scoredAt: rel.scoredAt,
    supplierScore: rel.supplierScore,
    supplierBand: rel.supplierBand,
    clientScore: rel.clientScore,
    clientBand: rel.clientBand,
    churnStage: rel.churnStage,
    supplierTier: rel.supplierTier,
    clientTier: rel.clientTier,
  };
  const earliest = open && open.earliest < entry.occurredAt ? open.earliest : entry.occurredAt;
  pending.set(rel.id, { rel: next, state, earliest });
  return next;
}

/** The relationship rows each transaction wrote (by its scope), as written: what the write left, without reading it back. */
const writtenByTx = new WeakMap<object, Map<string, RelationshipRow>>();

/**
 * A relationship's row as transaction `scope` (WriteTx.scope) left it (its parties, head and
 * scorecard state; columns other code updated in the transaction may lag), or undefined if it
 * appended nothing to it. After commit: what that write left, though another may have followed.
 */
export const writtenRow = (scope: object, id: string): RelationshipRow | undefined => writtenByTx.get(scope)?.get(id);

/** Writes every relationship appended to in a transaction: one UPDATE each. Runs before commit. */
function flushPending(tx: WriteTx, pending: Pending): void {
  let written = writtenByTx.get(tx.scope);
  if (!written) writtenByTx.set(tx.scope, (written = new Map()));
  for (const [id, { rel, state, earliest }] of pending) {
    const scoreState = JSON.stringify(state);
    // The review's stored figures (as of scored_at) stand unless an entry counts at or before it.
    const stale = rel.scoredAt !== null && earliest <= rel.scoredAt;
    tx.updateRelationship(id, { headSeq: rel.headSeq, headHash: rel.headHash, maxOccurredAt: rel.maxOccurredAt, scoreState, ...(stale ? { scoredAt: null } : {}) });
    hold(id, { seq: rel.headSeq, hash: rel.headHash, text: scoreState, state });
    written.set(id, { ...rel, scoreState, ...(stale ? { scoredAt: null } : {}) });
  }
  pending.clear();
}

/**
 * Scorecards recomputed for a past asOf, by (relationship, ledger head, asOf): the head's hash
 * fixes every entry and so the policy agreed in the ledger, so a hit is the same scorecard the
 * engine would compute again. Small: it serves repeated trend and review look-ups.
 */
const pastCards = new LRUCache<string, Scorecard>({ max: 500 });

/** A recomputed scorecard from the cache, or computed (after `charge` is told the entries it folds) and cached. */
async function pastCard(key: string, entries: number, charge: ((entries: number) => void) | undefined, compute: () => Promise<Scorecard>): Promise<Scorecard> {
  const cached = pastCards.get(key);
  if (cached) return cached;
  charge?.(entries);
  const card = await compute();
  pastCards.set(key, card);
  return card;
}

/**
 * The shared scorecard of a relationship at `asOf`: served from the incremental state when it can
 * answer (asOf at or after every entry), else recomputed from the full ledger by the same engine
 * (cached by relationship, head and asOf). `beforeFullRecompute` is told the ledger's length
 * before a recomputation, so the caller can charge or refuse the work.
 */
export async function scorecardOf(
  store: Store,
  rel: Pick<RelationshipRow, 'id' | 'headSeq' | 'headHash' | 'scoreState'>,
  asOf: string,
  beforeFullRecompute?: (entries: number) => void,
): Promise<Scorecard> {
  const state = stateOf(rel);
  const fromState = (state.head?.seq ?? 0) === rel.headSeq ? scorecardFromState(state, asOf) : null;
  if (fromState) return fromState;
  return pastCard(`${rel.id}|${rel.headSeq}|${rel.headHash}|${asOf}`, rel.headSeq, beforeFullRecompute, async () => computeScorecard(await store.ledger(rel.id), { asOf }));
}

/**
 * scorecardAt with its recomputation, when one is needed, done by `recompute` (the scoring pool,
 * scoring/pool.ts: relationship, ledger head, asOf), so the event loop stays free: from the state
 * or the cache as scorecardAt serves them (same keys), else `charge` is told the entries folded,
 * and the result is cached.
 */
export async function scorecardAtOffThread(
  store: Store,
  rel: Pick<RelationshipRow, 'id' | 'scoreState' | 'headSeq' | 'headHash'>,
  asOf: string,
  atSeq: number,
  charge: ((entries: number) => void) | undefined,
  recompute: (store: Store, relId: string, atSeq: number, asOf: string) => Promise<Scorecard>,
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
  const seq = current ? rel.headSeq : atSeq;
  charge?.(seq);
  const card = await recompute(store, rel.id, seq, asOf);
  pastCards.set(key, card);
  return card;
}
