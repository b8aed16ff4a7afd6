import { availableParallelism } from 'node:os';
import type { Scorecard } from '@trustledger/sdk/scorecard';
import { Piscina } from 'piscina';
import type { SqliteStore, Store } from '../store/index.ts';
import score, { type LedgerSource, type ScoringResult, type ScoringTask } from './worker.ts';

/**
 * Full recomputations off the main thread (issue 11: a heavy request delays only itself): a pool
 * of worker threads (piscina) running the scorecard engine (worker.ts). On a SQLite file the thread
 * reads the ledger itself, so the main thread does not read, parse or copy it (issue 11: each of
 * those was a stall of the event loop under heavy requests); on other stores the caller reads it.
 * From the sources (tsx, vitest) the worker loads worker.ts through tsx; from the build (`pnpm
 * start`, tsup) it is dist/scoring-worker.js beside the server's bundle.
 */
const fromSource = import.meta.url.endsWith('.ts');
const workerFile = fromSource ? new URL('./worker.ts', import.meta.url) : new URL('./scoring-worker.js', import.meta.url);

/**
 * Threads in the pool: TRUSTLEDGER_SCORING_THREADS, else one less than the cores (at least 1),
 * so the main thread keeps a core for every other request; at most 4.
 */
export const scoringThreads = (): number =>
  Math.max(1, Number(process.env.TRUSTLEDGER_SCORING_THREADS) || Math.min(4, availableParallelism() - 1));

/**
 * Jobs smaller than this many ledger entries of work (see work-budget.ts) run inline: sending
 * them to a thread would cost more than they do. TRUSTLEDGER_OFF_THREAD_WORK; default 2,000
 * (about 15 ms of the engine), 0 sends every job to the pool.
 */
export const offThreadWork = (): number => {
  const v = process.env.TRUSTLEDGER_OFF_THREAD_WORK;
  return v !== undefined && v !== '' && Number(v) >= 0 ? Number(v) : 2_000;
};

let pool: Piscina<ScoringTask, ScoringResult> | null = null;

function scoringPool(): Piscina<ScoringTask, ScoringResult> {
  pool ??= new Piscina<ScoringTask, ScoringResult>({
    filename: workerFile.href,
    // From the sources, the thread compiles TypeScript as the server does (tsx, `source` exports).
    execArgv: fromSource ? ['--conditions=source', '--import', 'tsx'] : [],
    minThreads: 0,
    maxThreads: scoringThreads(),
    // Idle threads end after a minute (and never hold the process open).
    idleTimeout: 60_000,
  });
  return pool;
}

/** The SQLite file behind a store, when the scoring thread can open it itself; else undefined. */
function sqliteFile(store: Store): string | undefined {
  if (store.dialect !== 'sqlite') return undefined;
  const client = (store as SqliteStore).db.$client;
  return client.memory ? undefined : client.name;
}

/**
 * Runs a task for the ledger of `relId` up to `atSeq`: inline when `work` is under offThreadWork()
 * (the entries read here), else on the pool, which reads the SQLite file itself or is sent the
 * entries read here.
 */
async function run(store: Store, relId: string, atSeq: number, work: number, task: (ledger: LedgerSource) => ScoringTask): Promise<ScoringResult> {
  const inline = work < offThreadWork();
  const path = inline ? undefined : sqliteFile(store);
  const ledger: LedgerSource = path ? { path, relId, atSeq } : { entries: await store.ledger(relId, atSeq) };
  return inline ? score(task(ledger)) : scoringPool().run(task(ledger));
}

/**
 * The scorecard at `asOf` of relationship `relId`'s ledger up to `atSeq` (computeScorecard), off
 * the main thread when the ledger is long (see offThreadWork).
 */
export async function recomputeScorecard(store: Store, relId: string, atSeq: number, asOf: string): Promise<Scorecard> {
  const result = await run(store, relId, atSeq, atSeq, (ledger) => ({ kind: 'card', ledger, asOf }));
  return (result as { cards: Scorecard[] }).cards[0];
}

/**
 * The scorecards at `points` of relationship `relId`'s ledger up to `atSeq` (scorecardSeries, one
 * pass), off the main thread when `work` (what the caller charged) is large. Refolds beyond
 * `refoldBudget` entries stop it: `{ overBudget }` tells how far it got.
 */
export function recomputeSeries(store: Store, relId: string, atSeq: number, points: string[], work: number, refoldBudget: number): Promise<ScoringResult> {
  return run(store, relId, atSeq, work, (ledger) => ({ kind: 'series', ledger, points, refoldBudget }));
}

/** Stops the pool's threads (the next job starts new ones). */
export async function closeScoringPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
