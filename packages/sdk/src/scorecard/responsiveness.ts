import { DAY_MS, HOUR_MS, type Policy, type Side } from '@trustledger/schema';
import { addBeta, type HalfLives } from './beta.ts';
import { formatDuration, snippet } from './drivers.ts';
import type { SideAcc } from './state.ts';
import type { Step } from './standing.ts';

/** A complaint not yet resolved, as the state keeps it. */
export interface OpenComplaint {
  seq: number;
  /** The side it was raised against (the other side than the one that raised it). */
  against: Side;
  at: number;
  note: string;
  answeredAt: number | null;
  /** Whether it already counts as an item of evidence. */
  counted: boolean;
  /** An open dispute of the complaint (DESIGN §2a): its evidence weighs policy.disputes.weight until it lapses. */
  steps?: Step[];
}

/** A complaint from its INTERACTION_RECORDED entry. */
export const openComplaint = (seq: number, raisedBy: Side, at: number, note: string | undefined): OpenComplaint => ({
  seq,
  against: raisedBy === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER',
  at,
  note: snippet(note, 50),
  answeredAt: null,
  counted: false,
});

const subject = (c: OpenComplaint) => (c.note ? `complaint "${c.note}"` : 'complaint');

/**
 * Bucket of a response time for the median: the minute below 48 h, the hour below 30 days,
 * the day beyond, so the histogram stays small however many complaints there are.
 */
function bucketMinutes(ms: number): number {
  const m = Math.round(Math.max(0, ms) / 60_000);
  if (m < 2_880) return m;
  if (m < 43_200) return Math.round(m / 60) * 60;
  return Math.round(m / 1_440) * 1_440;
}

/**
 * First response to a complaint at `t` by entry `seq` (in place): within policy.firstResponseHours
 * → +1 positive at the response; later → +1 negative at the deadline (DESIGN §3 "Responsiveness").
 */
export function firstResponse(side: SideAcc, c: OpenComplaint, seq: number, t: number, policy: Policy, h: HalfLives): void {
  const limit = policy.firstResponseHours * HOUR_MS;
  const took = t - c.at;
  const count = !c.counted;
  if (took <= limit) addBeta(side.responsiveness, 1, 0, t, seq, () => `${subject(c)} answered in ${formatDuration(took)}`, h, count);
  else
    addBeta(side.responsiveness, 0, 1, c.at + limit, seq, () => `${subject(c)} answered after ${formatDuration(took)}, over the ${policy.firstResponseHours}-hour limit`, h, count);
  c.counted = true;
  c.answeredAt = t;
  addResponseTime(side, took);
}

/** Adds a first-response time (ms) to a side's histogram for the median. */
export function addResponseTime(side: SideAcc, took: number): void {
  const key = String(bucketMinutes(took));
  side.firstResponse[key] = (side.firstResponse[key] ?? 0) + 1;
}

/** Resolution of a complaint at `t`: within policy.resolutionDays → +1 positive, later → +1 negative at the deadline. */
export function resolution(side: SideAcc, c: OpenComplaint, seq: number, t: number, policy: Policy, h: HalfLives): void {
  const limit = policy.resolutionDays * DAY_MS;
  const took = t - c.at;
  const count = !c.counted;
  if (took <= limit) addBeta(side.responsiveness, 1, 0, t, seq, () => `${subject(c)} resolved in ${formatDuration(took)}`, h, count);
  else
    addBeta(side.responsiveness, 0, 1, c.at + limit, seq, () => `${subject(c)} resolved after ${formatDuration(took)}, over the ${policy.resolutionDays}-day limit`, h, count);
  c.counted = true;
}

/** Negative evidence of a complaint still unanswered or unresolved past its limits at asOf (accrues at each deadline). */
export function overdueComplaint(side: SideAcc, c: OpenComplaint, asOf: number, policy: Policy, h: HalfLives): void {
  let count = !c.counted;
  const answerBy = c.at + policy.firstResponseHours * HOUR_MS;
  if (c.answeredAt === null && asOf > answerBy) {
    addBeta(side.responsiveness, 0, 1, answerBy, c.seq, `${subject(c)} unanswered for more than ${policy.firstResponseHours} hours`, h, count);
    count = false;
  }
  const resolveBy = c.at + policy.resolutionDays * DAY_MS;
  if (asOf > resolveBy)
    addBeta(side.responsiveness, 0, 1, resolveBy, c.seq, `${subject(c)} unresolved past the ${policy.resolutionDays}-day limit`, h, count);
}

/** Median of the first-response histogram, in hours; null when no complaint was answered. */
export function medianHours(hist: Record<string, number>): number | null {
  const keys = Object.keys(hist)
    .map(Number)
    .sort((a, b) => a - b);
  let total = 0;
  for (const k of keys) total += hist[String(k)];
  if (total === 0) return null;
  const valueAt = (i: number): number => {
    let seen = 0;
    for (const k of keys) {
      seen += hist[String(k)];
      if (i < seen) return k;
    }
    return keys[keys.length - 1];
  };
  const mid = Math.floor(total / 2);
  const minutes = total % 2 === 1 ? valueAt(mid) : (valueAt(mid - 1) + valueAt(mid)) / 2;
  return minutes / 60;
}
