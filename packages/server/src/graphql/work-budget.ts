import { AppError } from '../errors.ts';

/**
 * Scoring work one request may ask for, in ledger entries folded: a scorecard at a past asOf
 * folds the whole ledger (its length); a series folds it once for all its points (its length,
 * plus POINT_WORK a point, plus any refold the ledger forces: see scorecardSeries). About a
 * second of one core at the engine's measured 155,000 entries/s (README, Performance).
 */
export const MAX_WORK = 1_000_000;

/**
 * The work of one scorecard read from a state (a snapshot: open promises and complaints judged at
 * asOf, the 28-day churn stage machine), in ledger entries: measured at 50–150 times the fold of
 * one entry (packages/sdk scorecard engine, 3,000- and 30,000-entry ledgers), so a series is
 * charged its ledger's length (one pass) plus this much per point.
 */
export const POINT_WORK = 150;

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
