import { AppError } from '../errors.ts';

/**
 * Scoring work one request may ask for, in ledger entries folded: a scorecard at a past asOf
 * folds the whole ledger (its length), a series as many ledgers as it has past points. About a
 * second of one core at the engine's measured 155,000 entries/s (README, Performance) — 30
 * aliases of 100-point series over a 3,000-entry ledger (9,000,000) are refused before they run.
 */
export const MAX_WORK = 1_000_000;

/** The work a request has been charged so far, against its budget. */
export interface WorkBudget {
  spent: number;
  limit: number;
}

export const newWorkBudget = (limit = MAX_WORK): WorkBudget => ({ spent: 0, limit });

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
