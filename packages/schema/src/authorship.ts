import type { Side } from './enums.ts';
import type { EntryType } from './entries.ts';
import { toMillis } from './time.ts';

/**
 * Who may record an entry (DESIGN §2a "Each fact has an author who can know it"):
 * - `EITHER`: either side;
 * - `PROMISOR`: the promisor of the promise it refers to;
 * - `NAMED_SIDE`: the side the payload names (a representative handover);
 * - `OTHER_SIDE`: the side that did not record (or propose) the entry it refers to;
 * - `RECORDER`: the side that recorded the entry it refers to;
 * - `DISPUTER`: the side that raised the dispute it ends;
 * - `PROPOSER`: only through proposeRelationship.
 */
export type Author = 'EITHER' | 'PROMISOR' | 'NAMED_SIDE' | 'OTHER_SIDE' | 'RECORDER' | 'DISPUTER' | 'PROPOSER';

/** One row of the authorship table: who records it, and what it means by whom. */
export interface AuthorshipRule {
  author: Author;
  /** The rule in words, for people (README table, error messages). */
  who: string;
  /** When it is only a proposal until the other side accepts it (confirmEntry / accept…). */
  proposal?: string;
  /** When it is a *claim*: self-serving evidence that weighs less until attested (§2a). */
  claim?: string;
}

/**
 * The authorship table of every entry type (DESIGN §2a): the server refuses an entry whose
 * recorder is not its author (FORBIDDEN, naming who may record it), and the scorecard engine
 * gives such an entry no effect, so a ledger written around the server cannot bend the figures either.
 */
export const AUTHORSHIP: Readonly<Record<EntryType, AuthorshipRule>> = {
  RELATIONSHIP_PROPOSED: { author: 'PROPOSER', who: 'the side that proposes the relationship (proposeRelationship)' },
  RELATIONSHIP_ACCEPTED: { author: 'OTHER_SIDE', who: 'the side that did not propose the relationship' },
  RELATIONSHIP_ENDED: { author: 'EITHER', who: 'either side' },
  POLICY_PROPOSED: { author: 'EITHER', who: 'either side' },
  POLICY_ACCEPTED: { author: 'OTHER_SIDE', who: 'the side that did not propose the policy' },
  GOAL_PROPOSED: { author: 'EITHER', who: 'either side' },
  GOAL_ACCEPTED: { author: 'OTHER_SIDE', who: 'the side that did not propose the goal, or add its latest metric' },
  GOAL_REJECTED: { author: 'OTHER_SIDE', who: 'the side that did not propose the goal, or add its latest metric' },
  GOAL_RETIRED: { author: 'EITHER', who: 'either side (while still proposed, only its proposer)' },
  METRIC_ADDED: { author: 'EITHER', who: 'either side, while the goal is proposed' },
  MEASUREMENT_RECORDED: {
    author: 'EITHER',
    who: 'either side',
    claim: 'by the side accountable for the metric',
  },
  PROMISE_MADE: {
    author: 'EITHER',
    who: 'the promisor',
    proposal: 'by the beneficiary: a proposal that counts for nothing until the promisor accepts it (acceptPromise)',
  },
  PROMISE_RESCHEDULED: { author: 'PROMISOR', who: 'the promisor' },
  PROMISE_KEPT: {
    author: 'EITHER',
    who: 'either side',
    claim: 'by the promisor: claimed until the beneficiary confirms it or the attestation window passes undisputed',
  },
  PROMISE_BROKEN: { author: 'EITHER', who: 'the beneficiary (it says so) or the promisor (it admits it)' },
  PROMISE_CANCELLED: {
    author: 'EITHER',
    who: 'either side',
    proposal: 'always: a cancellation counts once the other side accepts it (acceptCancellation)',
  },
  INTERACTION_RECORDED: { author: 'EITHER', who: 'either side' },
  COMPLAINT_RESPONDED: {
    author: 'EITHER',
    who: 'either side',
    claim: 'by the side complained against: claimed until the complainant confirms it or the attestation window passes undisputed',
  },
  COMPLAINT_RESOLVED: {
    author: 'EITHER',
    who: 'either side',
    claim: 'by the side complained against: claimed until the complainant confirms it or the attestation window passes undisputed',
  },
  REPRESENTATIVE_HANDOVER: { author: 'NAMED_SIDE', who: 'the side whose representative changes' },
  ENTRY_CONFIRMED: { author: 'OTHER_SIDE', who: 'the side that did not record the entry (it attests it, or accepts the proposal)' },
  ENTRY_DISPUTED: { author: 'OTHER_SIDE', who: 'the side that did not record the entry' },
  DISPUTE_WITHDRAWN: { author: 'DISPUTER', who: 'the side that raised the dispute' },
  DISPUTE_RESOLVED: {
    author: 'EITHER',
    who: 'either side',
    proposal: 'always: a resolution ends the dispute once the other side accepts it (acceptResolution)',
  },
  ENTRY_VOIDED: {
    author: 'RECORDER',
    who: 'the side that recorded the entry',
    proposal:
      'when something depends on the entry, the other side has confirmed it, or (a promise, or its reschedule, keep or break) the promise is due: then the void is a proposal the other side accepts (confirmEntry)',
  },
};

/** The seq of the earlier entry a payload refers to (promiseSeq, goalSeq, …), or null. */
export function referencedSeq(payload: unknown): number | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  const ref = p.promiseSeq ?? p.goalSeq ?? p.interactionSeq ?? p.entrySeq ?? p.policySeq ?? p.metricSeq;
  return typeof ref === 'number' ? ref : null;
}

/**
 * An entry is back-dated when it was recorded more than this after the business time it claims
 * (DESIGN §2a "Notice is judged by the server's clock"). One hour leaves room for a phone call
 * written down after it ended; anything later is late bookkeeping or an import.
 */
export const BACKDATED_TOLERANCE_MS = 3_600_000;

/** Whether an entry was recorded well after its occurredAt (see BACKDATED_TOLERANCE_MS). */
export const isBackdated = (e: { occurredAt: string; recordedAt: string }): boolean =>
  Date.parse(e.recordedAt) - Date.parse(e.occurredAt) > BACKDATED_TOLERANCE_MS;

/**
 * The time notice or speed is judged at (DESIGN §2a): the server's clock (recordedAt, or occurredAt
 * if later), unless the other side confirmed the entry, which vouches for its occurredAt.
 */
export function noticeTime(e: { occurredAt: string; recordedAt: string }, confirmed: boolean): string {
  if (confirmed) return e.occurredAt;
  return toMillis(e.recordedAt) > toMillis(e.occurredAt) ? e.recordedAt : e.occurredAt;
}

/** The entries about a promise that settle or change it: once the promise is due, voiding one would rewrite what it was judged by. */
export const PROMISE_FOLLOW_UPS: ReadonlySet<EntryType> = new Set<EntryType>(['PROMISE_RESCHEDULED', 'PROMISE_KEPT', 'PROMISE_BROKEN']);

/**
 * Whether a void by the recorder needs the other side's consent (DESIGN §2a "A void is for the
 * recorder's own mistakes"): when an earlier entry refers to the target (a follow-up, a
 * confirmation, a dispute), or the target is a promise, or a reschedule, keep or break of one,
 * and the promise was already due (its first due time, `promiseDueAt` for a follow-up) when the
 * void was recorded. Alone, a promisor could otherwise erase the renewed date it then missed (a
 * miss of it weighs most), and a beneficiary the keep it recorded, reopening a promise past due.
 */
export function voidNeedsConsent(target: { type: EntryType; payload: unknown }, referenced: boolean, voidRecordedAt: string, promiseDueAt?: string | null): boolean {
  if (referenced) return true;
  const due = target.type === 'PROMISE_MADE' ? (target.payload as { dueAt: string }).dueAt : PROMISE_FOLLOW_UPS.has(target.type) ? promiseDueAt : null;
  return due != null && Date.parse(voidRecordedAt) >= Date.parse(due);
}

/** Words for a side, in messages. */
export const sideName = (side: Side): string => (side === 'SUPPLIER' ? 'the supplier' : 'the client');
