import { AppError } from '../errors.ts';

/**
 * Scoring work one request may ask for, in ledger entries folded: a scorecard at a past asOf
 * folds the whole ledger (its length); a series folds it once for all its points (its length,
 * plus POINT_WORK a point, plus any refold the ledger forces: see scorecardSeries). Set so a
 * review page of 20 with its `change` column (each item's scorecard at the start of the period,
 * recomputed) is served over ledgers of 100,000 entries, the longest the README's benchmarks use:
 * 2,000,000, about 13 s of one core at the engine's measured 155,000 entries/s (README,
 * Performance), on the scoring pool's threads, where it delays only the request that asked.
 */
export const MAX_WORK = 2_000_000;

/**
 * The work of one scorecard read from a state (a snapshot: open promises and complaints judged at
 * asOf, the 28-day churn stage machine), in ledger entries: measured at 50–150 times the fold of
 * one entry (packages/sdk scorecard engine, 3,000- and 30,000-entry ledgers), so a series is
 * charged its ledger's length (one pass) plus this much per point.
 */
export const POINT_WORK = 150;

/**
 * Scorecards one request may have recomputed (the points of its series, its scorecards at a past
 * asOf or head). Each comes back from the scoring thread and is executed and serialised on the
 * main thread, where its cost is every other request's wait (issue 11); the largest sent by the
 * SDK, the portal and the examples is one series of 100 points (MAX_POINTS), so 200 is 2×.
 */
export const MAX_CARDS = 200;

/** The work a request has been charged so far, against its budget; and the scorecards recomputed, against theirs. */
export interface WorkBudget {
  spent: number;
  limit: number;
  cards: number;
  cardLimit: number;
}

export const newWorkBudget = (limit = MAX_WORK, cardLimit = MAX_CARDS): WorkBudget => ({ spent: 0, limit, cards: 0, cardLimit });

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Charges `entries` of scoring work for `what` (e.g. "scorecardSeries: 100 points × 3,000
 * entries") before it is done; over the budget, LIMIT_EXCEEDED with the figure and the limit.
 */
export function chargeWork(budget: WorkBudget, entries: number, what: string, path: (string | number)[] = []): void {
  budget.spent += entries;
  if (budget.spent > budget.limit)
    throw new AppError(
      'LIMIT_EXCEEDED',
      `This request asks for ${fmt(budget.spent)} ledger entries of scoring work (this field: ${what}); the limit is ${fmt(budget.limit)} a request. Ask for fewer points or past dates, or split it into several requests.`,
      path,
    );
}

/**
 * Counts `cards` scorecards recomputed for `what` (e.g. "scorecardSeries: 100 points") before
 * they are; over MAX_CARDS a request, LIMIT_EXCEEDED with the figure and the limit.
 */
export function chargeCards(budget: WorkBudget, cards: number, what: string, path: (string | number)[] = []): void {
  budget.cards += cards;
  if (budget.cards > budget.cardLimit)
    throw new AppError(
      'LIMIT_EXCEEDED',
      `This request asks for ${fmt(budget.cards)} recomputed scorecards (this field: ${what}); the limit is ${fmt(budget.cardLimit)} a request. Ask for fewer points or past dates, or split it into several requests.`,
      path,
    );
}
