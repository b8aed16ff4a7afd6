import type { LedgerEntry } from '@trustledger/schema';
import {
  applyEntry,
  computeScorecard,
  foldLedger,
  initialState,
  type Scorecard,
  type ScoreState,
  scorecardFromState,
} from '@trustledger/sdk/scorecard';
import { asc, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
import { rowToEntry } from '../ledger/projections.ts';

/** The engine's state for a ledger with no entries, serialised for the relationships table. */
export const initialScoreState = (): string => JSON.stringify(initialState());

/** The whole ledger of a relationship, in seq order. */
export function readLedger(db: Db, relationshipId: string): LedgerEntry[] {
  return db.select().from(t.entries).where(eq(t.entries.relationshipId, relationshipId)).orderBy(asc(t.entries.seq)).all().map(rowToEntry);
}

/**
 * The state after one more entry: O(1) through the engine's applyEntry, or a fold of the whole
 * ledger for the rare entries that change earlier evidence (voids, disputes, policy changes).
 */
export function nextScoreState(db: Db, rel: RelationshipRow, entry: LedgerEntry): string {
  const { state, rebuild } = applyEntry(JSON.parse(rel.scoreState) as ScoreState, entry);
  // The new entry is already inserted, so the ledger read includes it.
  return JSON.stringify(rebuild ? foldLedger(readLedger(db, rel.id)) : state);
}

/**
 * Scorecards recomputed for a past asOf, by (relationship, ledger head, asOf): the head's hash
 * fixes every entry and so the policy agreed in the ledger, so a hit is the same scorecard the
 * engine would compute again. Small: it serves repeated trend and review look-ups.
 */
const pastCards = new LRUCache<string, Scorecard>({ max: 500 });

/**
 * The shared scorecard of a relationship at `asOf`: served from the incremental state when it can
 * answer (asOf at or after every entry), else recomputed from the full ledger by the same engine
 * (cached by relationship, head and asOf). `beforeFullRecompute` is told the ledger's length
 * before a recomputation, so the caller can charge or refuse the work.
 */
export function scorecardOf(
  db: Db,
  rel: Pick<RelationshipRow, 'id' | 'scoreState'>,
  asOf: string,
  beforeFullRecompute?: (entries: number) => void,
): Scorecard {
  const state = JSON.parse(rel.scoreState) as ScoreState;
  const fromState = scorecardFromState(state, asOf);
  if (fromState) return fromState;
  const key = `${rel.id}|${state.head?.seq ?? 0}|${state.head?.hash ?? ''}|${asOf}`;
  const cached = pastCards.get(key);
  if (cached) return cached;
  beforeFullRecompute?.(state.head?.seq ?? 0);
  const card = computeScorecard(readLedger(db, rel.id), { asOf });
  pastCards.set(key, card);
  return card;
}
