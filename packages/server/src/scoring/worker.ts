/**
 * The scoring worker: full recomputations of the scorecard engine on a worker thread of the pool
 * in pool.ts, so the main thread's event loop stays free while they run (issue 11). The engine is a
 * pure function of the entries given; the worker never opens the database: its caller reads the
 * entries (from whichever store) and sends them.
 */
import type { LedgerEntry } from '@trustledger/schema';
import { computeScorecard, type Scorecard, scorecardSeries } from '@trustledger/sdk/scorecard';

/** One job: a scorecard at `asOf`, or a series at `points` (one pass, see scorecardSeries). */
export type ScoringTask =
  | { kind: 'card'; entries: LedgerEntry[]; asOf: string }
  /** `refoldBudget`: entries a series may fold again (after voids, disputes, …) before it stops. */
  | { kind: 'series'; entries: LedgerEntry[]; points: string[]; refoldBudget: number };

/** The scorecards asked for and the entries folded again; or, over the refold budget, how many it reached. */
export type ScoringResult = { cards: Scorecard[]; refolded: number } | { overBudget: number };

const OVER = Symbol('over budget');

/** Runs one task (the pool's entry point). */
export default function score(task: ScoringTask): ScoringResult {
  if (task.kind === 'card') return { cards: [computeScorecard(task.entries, { asOf: task.asOf })], refolded: 0 };
  let refolded = 0;
  try {
    const onRefold = (n: number) => {
      refolded += n;
      if (refolded > task.refoldBudget) throw OVER;
    };
    return { cards: scorecardSeries(task.entries, task.points, { onRefold }), refolded };
  } catch (error) {
    if (error === OVER) return { overBudget: refolded };
    throw error;
  }
}
