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

/**
 * Median of the first-response histogram (minutes → count), in hours; null when no complaint was
 * answered. The histogram holds a key per distinct response time (hundreds on a long ledger):
 * each is read once, in the order Object.keys gives integer keys (ascending; sorted here only if
 * not), and the walk stops at the middle.
 */
export function medianHours(hist: Record<string, number>): number | null {
  const keys = Object.keys(hist);
  const n = keys.length;
  const minutes = new Float64Array(n);
  const counts = new Float64Array(n);
  let total = 0;
  let ascending = true;
  for (let i = 0; i < n; i++) {
    const k = Number(keys[i]);
    if (i > 0 && k < minutes[i - 1]) ascending = false;
    minutes[i] = k;
    total += counts[i] = hist[keys[i]];
  }
  if (total === 0) return null;
  const order = ascending ? null : Array.from(minutes.keys()).sort((a, b) => minutes[a] - minutes[b]);
  const mid = Math.floor(total / 2);
  const first = total % 2 === 1 ? mid : mid - 1;
  // The response times at positions `first` and `mid` of the sorted list of them.
  let lo = Number.NaN;
  let seen = 0;
  for (let j = 0; j < n; j++) {
    const i = order ? order[j] : j;
    seen += counts[i];
    if (Number.isNaN(lo) && first < seen) lo = minutes[i];
    if (mid < seen) return (total % 2 === 1 ? minutes[i] : (lo + minutes[i]) / 2) / 60;
  }
  const last = minutes[order ? order[n - 1] : n - 1];
  return (total % 2 === 1 ? last : ((Number.isNaN(lo) ? last : lo) + last) / 2) / 60;
}
