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
import { and, asc, eq, lte } from 'drizzle-orm';
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
export function scorecardAt(db: Db, rel: Pick<RelationshipRow, 'id' | 'scoreState' | 'headSeq'>, asOf: string, atSeq: number): Scorecard {
  if (atSeq >= rel.headSeq) return scorecardOf(db, rel, asOf);
  return computeScorecard(readLedgerPrefix(db, rel.id, atSeq), { asOf });
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
 * The shared scorecard of a relationship at `asOf`: served from the incremental state when it can
 * answer (asOf at or after every entry), else recomputed from the full ledger by the same engine.
 */
export function scorecardOf(db: Db, rel: Pick<RelationshipRow, 'id' | 'scoreState'>, asOf: string): Scorecard {
  const fromState = scorecardFromState(JSON.parse(rel.scoreState) as ScoreState, asOf);
  return fromState ?? computeScorecard(readLedger(db, rel.id), { asOf });
}
