/**
 * The scoring worker: full recomputations of the scorecard engine on a worker thread of the pool
 * in pool.ts, so the main thread's event loop stays free while they run (issue 11). The engine is a
 * pure function of the entries. On a SQLite file the worker reads them itself, through its own
 * read-only connection (WAL lets readers run beside the writer), so the main thread neither reads
 * nor copies the ledger; otherwise (PostgreSQL, an in-memory database) its caller reads the
 * entries and sends them.
 */
import type { LedgerEntry } from '@trustledger/schema';
import { computeScorecard, type Scorecard, scorecardSeries } from '@trustledger/sdk/scorecard';
import Database from 'better-sqlite3';
import { rowToEntry } from '../store/sqlite/write-tx.ts';

/**
 * Where the entries come from: given, or read by the worker from the SQLite file at `path`
 * (relationship `relId`, seq ≤ `atSeq`: entries are append-only, so that prefix never changes).
 */
export type LedgerSource = { entries: LedgerEntry[] } | { path: string; relId: string; atSeq: number };

/** One job: a scorecard at `asOf`, or a series at `points` (one pass, see scorecardSeries). */
export type ScoringTask =
  | { kind: 'card'; ledger: LedgerSource; asOf: string }
  /** `refoldBudget`: entries a series may fold again (after voids, disputes, …) before it stops. */
  | { kind: 'series'; ledger: LedgerSource; points: string[]; refoldBudget: number };

/** The scorecards asked for and the entries folded again; or, over the refold budget, how many it reached. */
export type ScoringResult = { cards: Scorecard[]; refolded: number } | { overBudget: number };

const OVER = Symbol('over budget');

/**
 * Read-only connections by database path, opened on first use and kept while used (the few most
 * recent: a process that opened many databases, as the tests do, does not hold them all open).
 */
const readers = new Map<string, Database.Database>();
const MAX_READERS = 4;

const LEDGER_SQL =
  'select relationship_id as relationshipId, seq, type, payload, actor_firm_id as actorFirmId, occurred_at as occurredAt, ' +
  'recorded_at as recordedAt, prev_hash as prevHash, hash from entries where relationship_id = ? and seq <= ? order by seq';

/** The entries of a source: as given, or read from the SQLite file (see LedgerSource). */
export function entriesOf(source: LedgerSource): LedgerEntry[] {
  if ('entries' in source) return source.entries;
  let db = readers.get(source.path);
  readers.delete(source.path);
  if (!db) {
    db = new Database(source.path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  }
  readers.set(source.path, db);
  if (readers.size > MAX_READERS) {
    const [oldest, conn] = readers.entries().next().value as [string, Database.Database];
    readers.delete(oldest);
    conn.close();
  }
  return (db.prepare(LEDGER_SQL).all(source.relId, source.atSeq) as Parameters<typeof rowToEntry>[0][]).map(rowToEntry);
}

/** Runs one task (the pool's entry point). */
export default function score(task: ScoringTask): ScoringResult {
  const entries = entriesOf(task.ledger);
  if (task.kind === 'card') return { cards: [computeScorecard(entries, { asOf: task.asOf })], refolded: 0 };
  let refolded = 0;
  try {
    const onRefold = (n: number) => {
      refolded += n;
      if (refolded > task.refoldBudget) throw OVER;
    };
    return { cards: scorecardSeries(entries, task.points, { onRefold }), refolded };
  } catch (error) {
    if (error === OVER) return { overBudget: refolded };
    throw error;
  }
}
