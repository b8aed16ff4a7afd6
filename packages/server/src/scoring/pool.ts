import { availableParallelism } from 'node:os';
import type { LedgerEntry } from '@trustledger/schema';
import type { Scorecard } from '@trustledger/sdk/scorecard';
import { Piscina } from 'piscina';
import score, { type ScoringResult, type ScoringTask } from './worker.ts';

/**
 * Full recomputations off the main thread (issue 11: a heavy request delays only itself): a pool
 * of worker threads (piscina) running the scorecard engine on entries the caller sends (worker.ts).
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

/** Runs a task in the pool, or inline when it is smaller than offThreadWork(). */
async function run(task: ScoringTask, work: number): Promise<ScoringResult> {
  if (work < offThreadWork()) return score(task);
  return scoringPool().run(task);
}

/** The scorecard of `entries` at `asOf` (computeScorecard), computed off the main thread when large. */
export async function recomputeScorecard(entries: LedgerEntry[], asOf: string): Promise<Scorecard> {
  const result = await run({ kind: 'card', entries, asOf }, entries.length);
  return (result as { cards: Scorecard[] }).cards[0];
}

/**
 * The scorecards of `entries` at `points` (scorecardSeries, one pass), off the main thread when
 * `work` (what the caller charged) is large. Refolds beyond `refoldBudget` entries stop it:
 * `{ overBudget }` tells how far it got.
 */
export function recomputeSeries(entries: LedgerEntry[], points: string[], work: number, refoldBudget: number): Promise<ScoringResult> {
  return run({ kind: 'series', entries, points, refoldBudget }, work);
}

/** Stops the pool's threads (the next job starts new ones). */
export async function closeScoringPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
