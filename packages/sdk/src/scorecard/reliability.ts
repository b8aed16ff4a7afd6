import {
  evaluatePromise,
  noticeTime,
  type LedgerEntry,
  type Policy,
  type PromiseEvaluation,
  type PromiseEvent,
  type PromiseKind,
  type PromiseOutcome,
  type Side,
  toMillis,
} from '@trustledger/schema';
import { addBeta, type HalfLives } from './beta.ts';
import { formatDuration, snippet } from './drivers.ts';
import type { SideAcc } from './state.ts';
import { addSlip } from './transparency.ts';

/** A promise not yet settled, as the state keeps it (settled promises leave only their evidence). */
export interface OpenPromise {
  seq: number;
  promisor: Side;
  kind: PromiseKind;
  description: string;
  made: { occurredAt: string; dueAt: string };
  /** Reschedules so far, in ledger order. */
  events: PromiseEvent[];
  /** Under open dispute (itself or a later entry of its history): it gives (0, 0). */
  disputed: boolean;
}

/** Outcomes that count as a broken promise for churn (DESIGN §3 "recent broken promises"). */
export const BROKEN_OUTCOMES: ReadonlySet<PromiseOutcome> = new Set<PromiseOutcome>(['BROKEN', 'BROKEN_WITH_NOTICE', 'BROKEN_AFTER_RESCHEDULE']);

const KIND_LABEL: Record<PromiseKind, string> = {
  DELIVERY: 'delivery',
  PAYMENT: 'payment',
  INSTALLATION: 'installation',
  RESPONSE: 'response',
  OTHER: 'promise',
};

/** An open promise from its PROMISE_MADE entry. */
export function openPromise(e: LedgerEntry<'PROMISE_MADE'>, disputed: boolean): OpenPromise {
  const p = e.payload;
  return {
    seq: e.seq,
    promisor: p.promisor,
    kind: p.kind,
    description: snippet(p.description),
    made: { occurredAt: e.occurredAt, dueAt: p.dueAt },
    events: [],
    disputed,
  };
}

/**
 * The event a promise entry adds to the promise's history; reschedules and breaks carry the time
 * the other side could know of them (noticeTime: the server's clock unless `confirmed`, DESIGN §2a).
 */
export function promiseEvent(e: LedgerEntry, confirmed = false): PromiseEvent | null {
  const p = e.payload as { newDueAt?: string; inFull?: boolean };
  switch (e.type) {
    case 'PROMISE_RESCHEDULED':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt, newDueAt: p.newDueAt as string, noticeAt: noticeTime(e, confirmed) };
    case 'PROMISE_KEPT':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: p.inFull !== false };
    case 'PROMISE_BROKEN':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt, noticeAt: noticeTime(e, confirmed) };
    case 'PROMISE_CANCELLED':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt };
    default:
      return null;
  }
}

const subjectOf = (p: OpenPromise): string => (p.description ? `${KIND_LABEL[p.kind]} "${p.description}"` : KIND_LABEL[p.kind]);

/** A short human reason for a promise's outcome ("installation kept 3 days late without advance notice"). */
export function promiseReason(p: OpenPromise, ev: PromiseEvaluation): string {
  const subject = subjectOf(p);
  const part = ev.inFull ? '' : ' (in part)';
  const at = ev.resolvedAt === null ? 0 : toMillis(ev.resolvedAt);
  switch (ev.outcome) {
    case 'KEPT_ON_TIME':
      return `${subject} kept on time${part}`;
    case 'KEPT_AFTER_NOTICE':
      return `${subject} kept by the new date announced before the due date${part}`;
    case 'KEPT_LATE':
      return `${subject} kept ${formatDuration(at - toMillis(ev.originalDueAt))} late without advance notice${part}`;
    case 'BROKEN_WITH_NOTICE':
      return `${subject} broken, announced before the due date`;
    case 'BROKEN':
      return ev.state === 'OPEN' ? `${subject} not kept by the due date, no notice given` : `${subject} broken without advance notice`;
    case 'BROKEN_AFTER_RESCHEDULE':
      if (ev.state === 'KEPT') return `${subject} kept ${formatDuration(at - toMillis(ev.dueAt))} after the renewed date${part}`;
      return ev.state === 'OPEN' ? `${subject} renewed date missed` : `${subject} broken after it had been rescheduled`;
    default:
      return `${subject} cancelled by agreement`;
  }
}

/**
 * Adds a settled (or lapsed) promise's evidence to its promisor's dimensions (in place):
 * r, s from policy.outcomes (DESIGN §3 table); kept in part halves r and moves the other half to s.
 * Returns the time it counts as broken (for churn), or null.
 */
export function settlePromise(side: SideAcc, p: OpenPromise, ev: PromiseEvaluation, policy: Policy, h: HalfLives): number | null {
  const outcome = ev.outcome;
  if (outcome === null || outcome === 'CANCELLED' || ev.resolvedAt === null) return null;
  let { r, s } = policy.outcomes[outcome];
  if (ev.state === 'KEPT' && !ev.inFull) {
    s += r / 2;
    r /= 2;
  }
  const at = toMillis(ev.resolvedAt);
  const seq = ev.resolvedBySeq ?? p.seq;
  addBeta(side.reliability, r, s, at, seq, promiseReason(p, ev), h);
  addSlip(side.transparency, ev, subjectOf(p), at, seq, h);
  return BROKEN_OUTCOMES.has(outcome) ? at : null;
}

/** Judges a promise from its history at asOf with the contract's evaluatePromise. */
export const evaluatePromiseOf = (p: OpenPromise, asOf: string, policy: Policy): PromiseEvaluation =>
  evaluatePromise(p.made, p.events, asOf, policy.graceDays);
