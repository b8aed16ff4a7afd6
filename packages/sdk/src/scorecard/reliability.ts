import {
  evaluatePromise,
  NO_NOTICE,
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
import { addBeta, type HalfLives, type Weighing } from './beta.ts';
import { addPair } from './decay.ts';
import { formatDuration, snippet } from './drivers.ts';
import type { SideAcc } from './state.ts';
import type { Step } from './standing.ts';
import { addSlip } from './transparency.ts';
import type { Stake } from './types.ts';

/** A promise not yet settled, as the state keeps it (settled promises leave only their evidence). */
export interface OpenPromise {
  seq: number;
  promisor: Side;
  kind: PromiseKind;
  description: string;
  made: { occurredAt: string; dueAt: string };
  /** Reschedules so far, in ledger order. */
  events: PromiseEvent[];
  /**
   * Open disputes of the promise or of an entry of its history (DESIGN §2a): its evidence weighs
   * policy.disputes.weight until each lapses. Absent when none.
   */
  steps?: Step[];
  /** Its amount, when it has one. */
  amount?: { amount: number; currency: string };
  /** Share delivered so far by keeps of part of it (their evidence is already counted). */
  delivered?: number;
  /** What its evidence weighs, fixed when its first part is judged, so every part weighs alike. */
  stake?: Stake;
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
export function openPromise(e: LedgerEntry<'PROMISE_MADE'>, steps?: Step[]): OpenPromise {
  const p = e.payload;
  const open: OpenPromise = {
    seq: e.seq,
    promisor: p.promisor,
    kind: p.kind,
    description: snippet(p.description),
    made: { occurredAt: e.occurredAt, dueAt: p.dueAt },
    events: [],
  };
  if (steps && steps.length > 0) open.steps = steps;
  if (p.amount) open.amount = { amount: p.amount.amount, currency: p.amount.currency };
  return open;
}

/**
 * The event a promise entry adds to the promise's history; reschedules and breaks carry the time
 * the other side could know of them (noticeTime: the server's clock unless `confirmed`, DESIGN §2a).
 */
export function promiseEvent(e: LedgerEntry, confirmed = false, byBeneficiary = false): PromiseEvent | null {
  const p = e.payload as { newDueAt?: string; inFull?: boolean; share?: number };
  switch (e.type) {
    case 'PROMISE_RESCHEDULED':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt, newDueAt: p.newDueAt as string, noticeAt: noticeTime(e, confirmed) };
    case 'PROMISE_KEPT':
      return p.share === undefined
        ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: p.inFull !== false }
        : { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: true, share: p.share };
    case 'PROMISE_BROKEN':
      // Said by the beneficiary, a break is no notice from the promisor, however early (DESIGN §2a).
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt, noticeAt: byBeneficiary ? NO_NOTICE : noticeTime(e, confirmed) };
    case 'PROMISE_CANCELLED':
      return { type: e.type, seq: e.seq, occurredAt: e.occurredAt };
    default:
      return null;
  }
}

const subjectOf = (p: OpenPromise): string => (p.description ? `${KIND_LABEL[p.kind]} "${p.description}"` : KIND_LABEL[p.kind]);

/** A number as a person reads it, without locale: 200,000; 2.5; 0.25. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const [int, frac] = abs.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const tail = frac && /[1-9]/.test(frac) ? `.${frac.replace(/0+$/, '')}` : '';
  return `${x < 0 ? '-' : ''}${grouped}${tail}`;
}

/** What a promise's stake adds to a reason: "; EUR 200,000: 10,000× the usual payment, weighs 10×". */
export function stakeText(stake: Stake, kind: PromiseKind): string {
  const weighs = `weighs ${formatNumber(stake.weight)}×`;
  if (stake.amount === null || stake.currency === null) return stake.weight === 1 ? '' : `; a ${KIND_LABEL[kind]} ${weighs}`;
  const money = `${stake.currency} ${formatNumber(stake.amount)}`;
  if (stake.ratio === null) return stake.weight === 1 ? `; ${money}` : `; ${money}, ${weighs}`;
  return `; ${money}: ${formatNumber(stake.ratio)}× the usual ${KIND_LABEL[kind]}, ${weighs}`;
}

/** A short human reason for a promise's outcome ("installation kept 3 days late without advance notice"). */
export function promiseReason(p: OpenPromise, ev: PromiseEvaluation, share = 1, part = false): string {
  const subject = subjectOf(p);
  const pct = () => `${formatNumber(Math.round(share * 1000) / 10)}%`;
  const tail = !ev.inFull ? ' (in part)' : part ? ` (${pct()} of it)` : share < 1 ? ` (the remaining ${pct()})` : '';
  const at = ev.resolvedAt === null ? 0 : toMillis(ev.resolvedAt);
  const stake = p.stake ? stakeText(p.stake, p.kind) : '';
  return `${reasonOf(subject, ev, at, tail)}${stake}`;
}

function reasonOf(subject: string, ev: PromiseEvaluation, at: number, part: string): string {
  switch (ev.outcome) {
    case 'KEPT_ON_TIME':
      return `${subject} kept on time${part}`;
    case 'KEPT_AFTER_NOTICE':
      return `${subject} kept by the new date announced before the due date${part}`;
    case 'KEPT_LATE':
      return `${subject} kept ${formatDuration(at - toMillis(ev.originalDueAt))} late without advance notice${part}`;
    case 'BROKEN_WITH_NOTICE':
      return `${subject} broken, announced before the due date${part}`;
    case 'BROKEN':
      return ev.state === 'OPEN' ? `${subject} not kept by the due date, no notice given${part}` : `${subject} broken without advance notice${part}`;
    case 'BROKEN_AFTER_RESCHEDULE':
      if (ev.state === 'KEPT') return `${subject} kept ${formatDuration(at - toMillis(ev.dueAt))} after the renewed date${part}`;
      return ev.state === 'OPEN' ? `${subject} renewed date missed${part}` : `${subject} broken after it had been rescheduled${part}`;
    default:
      return `${subject} cancelled by agreement`;
  }
}

/**
 * What a promise's evidence weighs (DESIGN §3 "Evidence weighs what is at stake", policy.stakes):
 * its kind's weight × clamp(amount / typical, floor, cap), typical being the promisor's decayed
 * geometric mean amount of promises kept in the same currency and kind (else any kind). Amounts
 * in different currencies are never compared; without an amount or a typical amount the factor is 1.
 */
export function stakeOf(side: SideAcc, p: OpenPromise, policy: Policy): Stake {
  const kindWeight = policy.stakes.kinds[p.kind] ?? 1;
  if (!p.amount) return { amount: null, currency: null, typical: null, ratio: null, weight: kindWeight };
  const { amount, currency } = p.amount;
  const typicals = side.typical ?? {};
  const pair = typicals[`${p.kind}:${currency}`] ?? typicals[currency];
  const typical = pair && pair.b > 0 ? Math.exp(pair.a / pair.b) : null;
  const ratio = typical === null ? null : amount / typical;
  const factor = ratio === null ? 1 : Math.min(policy.stakes.cap, Math.max(policy.stakes.floor, ratio));
  return { amount, currency, typical, ratio, weight: kindWeight * factor };
}

/** Adds a promise kept in full to its promisor's typical amounts (per kind and currency, and per currency). */
export function addTypical(side: SideAcc, p: OpenPromise, at: number, h: HalfLives): void {
  if (!p.amount || !(p.amount.amount > 0)) return;
  side.typical ??= {};
  const x = Math.log(p.amount.amount);
  for (const key of [`${p.kind}:${p.amount.currency}`, p.amount.currency]) {
    side.typical[key] ??= { a: 0, b: 0, t: 0 };
    addPair(side.typical[key], x, 1, at, h.hp);
  }
}

/**
 * Adds a settled (or lapsed) promise's evidence, or that of a part of it, to its promisor's
 * dimensions (in place): r, s from policy.outcomes (DESIGN §3 table), times `share` (the part of
 * the promise judged) and the promise's stake; kept in part in the older form halves r and moves
 * the other half to s. `part`: a keep of part of the promise, the rest still open.
 * Returns the time it counts as broken (for churn), or null. `resolvedMs`: ev.resolvedAt in ms
 * when the caller has it (NaN: parsed here).
 */
export function settlePromise(side: SideAcc, p: OpenPromise, ev: PromiseEvaluation, policy: Policy, h: HalfLives, share = 1, part = false, resolvedMs = Number.NaN): number | null {
  const outcome = ev.outcome;
  if (outcome === null || outcome === 'CANCELLED' || ev.resolvedAt === null || !(share > 0)) return null;
  let { r, s } = policy.outcomes[outcome];
  if (ev.state === 'KEPT' && !ev.inFull) {
    s += r / 2;
    r /= 2;
  }
  const stake = p.stake ?? stakeOf(side, p, policy);
  const kindWeight = policy.stakes.kinds[p.kind] ?? 1;
  // A promise without an amount that weighs 1 has nothing to explain: no stake on its drivers (a smaller state).
  const plain = stake.amount === null && stake.weight === 1;
  const w: Weighing = plain
    ? { stakes: stake.weight * share, mass: kindWeight * share, item: kindWeight }
    : { stakes: stake.weight * share, mass: kindWeight * share, item: kindWeight, stake };
  const at = resolvedMs === resolvedMs ? resolvedMs : toMillis(ev.resolvedAt);
  const seq = ev.resolvedBySeq ?? p.seq;
  // A promise is one item of evidence, however many parts it comes in.
  const first = (p.delivered ?? 0) === 0;
  addBeta(side.reliability, r, s, at, seq, () => promiseReason({ ...p, stake }, ev, share, part), h, first, w);
  addSlip(side.transparency, ev, subjectOf(p), at, seq, h, w);
  return BROKEN_OUTCOMES.has(outcome) && !part ? at : null;
}

/** Judges a promise from its history at asOf with the contract's evaluatePromise. */
export const evaluatePromiseOf = (p: OpenPromise, asOf: string, policy: Policy): PromiseEvaluation =>
  evaluatePromise(p.made, p.events, asOf, policy.graceDays);
