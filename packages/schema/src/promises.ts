import type { PromiseOutcome, PromiseState } from './enums.ts';
import { DAY_MS, toMillis } from './time.ts';

/**
 * A change to a promise after it was made, as it stands in the ledger (voided ones and unaccepted
 * cancellations left out). `noticeAt` is when the other side could know of a reschedule or an
 * announced break (DESIGN §2a: the server's clock, see noticeTime); default occurredAt.
 */
export type PromiseEvent =
  | { type: 'PROMISE_RESCHEDULED'; seq: number; occurredAt: string; newDueAt: string; noticeAt?: string }
  | {
      type: 'PROMISE_KEPT';
      seq: number;
      occurredAt: string;
      /** False: the older "kept in part" that closes the promise. */
      inFull: boolean;
      /** The part of the whole promise this keep delivers; undefined: the rest. */
      share?: number;
    }
  | { type: 'PROMISE_BROKEN'; seq: number; occurredAt: string; noticeAt?: string }
  | { type: 'PROMISE_CANCELLED'; seq: number; occurredAt: string };

export interface PromiseEvaluation {
  state: PromiseState;
  /** Null while the promise is open and not yet past due + grace. */
  outcome: PromiseOutcome | null;
  originalDueAt: string;
  /** The due time in force: follows reschedules. */
  dueAt: string;
  /** Open and past `dueAt` at `asOf`. */
  overdue: boolean;
  /** When the outcome became known: the resolving entry's time, or due + grace for a promise left open. */
  resolvedAt: string | null;
  /** Whether the last slip (if any) was announced before the due time then in force. */
  announced: boolean;
  /** Rescheduled, every time before the due time then in force: the first slip was announced. */
  noticeGiven: boolean;
  /** False when kept only in part (the older PROMISE_KEPT with inFull: false, which closes the promise). */
  inFull: boolean;
  /** Share of the promise delivered so far by keeps with a `share` (0–1); 1 once kept in full. */
  deliveredShare: number;
  /** The share of the promise `outcome` judges: what was still open when it was settled or lapsed. */
  restShare: number;
  /** The seq of the entry that settled the outcome, if any. */
  resolvedBySeq: number | null;
  rescheduled: boolean;
}

/** The evaluation of a promise its event `e` settled: one object literal, no spreads (it runs for every promise of a fold). */
function closed(
  originalDueAt: string,
  dueAt: string,
  noticeGiven: boolean,
  rescheduled: boolean,
  delivered: number,
  e: PromiseEvent,
  state: PromiseState,
  outcome: PromiseOutcome,
  inFull: boolean,
  deliveredShare: number,
  announced: boolean,
): PromiseEvaluation {
  return {
    originalDueAt,
    inFull,
    rescheduled,
    noticeGiven,
    deliveredShare,
    restShare: 1 - delivered,
    dueAt,
    overdue: false,
    resolvedAt: e.occurredAt,
    resolvedBySeq: e.seq,
    state,
    outcome,
    announced,
  };
}

/**
 * The notice time of a break its promisor never announced, later than any due time: a break the
 * beneficiary records is no notice from the promisor, however early (DESIGN §2a, §1 "being found
 * out is worse than announcing it").
 */
export const NO_NOTICE = '9999-12-31T23:59:59.999Z';

/** Shares within this of 1 count as the whole promise (floating-point sums of parts). */
export const SHARE_EPSILON = 1e-9;

/**
 * Judges a promise from its history (DESIGN §2, §2a, §3 table). "On time" is judged against the
 * original due time; a reschedule counts as notice only when known to the other side (noticeAt)
 * before the due time then in force; missing a renewed date is the severe breach BROKEN_AFTER_RESCHEDULE, even when the
 * promise is kept later. A promise still open past due + grace counts as broken without notice.
 * A keep with a `share` that leaves part of the promise undelivered does not settle it: the
 * evaluation then judges the rest (`restShare`), and `deliveredShare` says how much came.
 * Events must be in ledger order and limited to those at or before `asOf`.
 */
export function evaluatePromise(
  made: { occurredAt: string; dueAt: string },
  events: readonly PromiseEvent[],
  asOf: string,
  graceDays: number,
): PromiseEvaluation {
  const originalDueAt = made.dueAt;
  let dueAt = originalDueAt;
  let rescheduled = false;
  let allNoticeInAdvance = true;
  let delivered = 0;
  for (const e of events) {
    if (e.type === 'PROMISE_RESCHEDULED') {
      if (toMillis(e.noticeAt ?? e.occurredAt) > toMillis(dueAt)) allNoticeInAdvance = false;
      dueAt = e.newDueAt;
      rescheduled = true;
      continue;
    }
    // A keep of part of the promise: the rest stays open under the same promise.
    if (e.type === 'PROMISE_KEPT' && e.share !== undefined && delivered + e.share < 1 - SHARE_EPSILON) {
      delivered += e.share;
      continue;
    }
    const at = toMillis(e.occurredAt);
    const due = toMillis(dueAt);
    const late = at > due;
    if (e.type === 'PROMISE_CANCELLED') return closed(originalDueAt, dueAt, rescheduled && allNoticeInAdvance, rescheduled, delivered, e, 'CANCELLED', 'CANCELLED', true, delivered, true);
    if (e.type === 'PROMISE_KEPT') {
      const outcome: PromiseOutcome =
        at <= (dueAt === originalDueAt ? due : toMillis(originalDueAt))
          ? 'KEPT_ON_TIME'
          : late && rescheduled
            ? 'BROKEN_AFTER_RESCHEDULE'
            : !late && rescheduled && allNoticeInAdvance
              ? 'KEPT_AFTER_NOTICE'
              : 'KEPT_LATE';
      return closed(originalDueAt, dueAt, rescheduled && allNoticeInAdvance, rescheduled, delivered, e, 'KEPT', outcome, e.inFull, 1, outcome === 'KEPT_AFTER_NOTICE');
    }
    // PROMISE_BROKEN: announced when recorded (by the server's clock) before the due time in force.
    const unannounced = late || (e.noticeAt === undefined ? late : toMillis(e.noticeAt) > due);
    const outcome: PromiseOutcome = rescheduled ? 'BROKEN_AFTER_RESCHEDULE' : unannounced ? 'BROKEN' : 'BROKEN_WITH_NOTICE';
    return closed(originalDueAt, dueAt, rescheduled && allNoticeInAdvance, rescheduled, delivered, e, 'BROKEN', outcome, true, delivered, !unannounced);
  }
  const now = toMillis(asOf);
  const due = toMillis(dueAt);
  const overdue = now > due;
  const lapse = due + graceDays * DAY_MS;
  const lapsed = now > lapse;
  return {
    originalDueAt,
    inFull: true,
    rescheduled,
    noticeGiven: rescheduled && allNoticeInAdvance,
    deliveredShare: delivered,
    restShare: 1 - delivered,
    state: 'OPEN',
    dueAt,
    overdue,
    outcome: lapsed ? (rescheduled ? 'BROKEN_AFTER_RESCHEDULE' : 'BROKEN') : null,
    resolvedAt: lapsed ? new Date(lapse).toISOString() : null,
    resolvedBySeq: null,
    announced: false,
  };
}
