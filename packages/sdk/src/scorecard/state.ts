import {
  ATTESTABLE_TYPES,
  type EntryType,
  type LedgerEntry,
  type Policy,
  type PolicyOverride,
  resolvePolicy,
  toMillis,
} from '@trustledger/schema';
import { type BetaAcc, emptyBeta, type HalfLives } from './beta.ts';
import { addBroken, addRate, addSatisfaction, type ChurnAcc, emptyChurn } from './churn.ts';
import { halfLifeMs } from './decay.ts';
import { type GoalStanding, type MetricAcc, onGoalProposed, onGoalStatus, onMeasurement, onMetricAdded } from './goals.ts';
import { evaluatePromiseOf, type OpenPromise, openPromise, promiseEvent, settlePromise } from './reliability.ts';
import { firstResponse, type OpenComplaint, openComplaint, resolution } from './responsiveness.ts';

/** One side's evidence as the trusted party. */
export interface SideAcc {
  reliability: BetaAcc;
  transparency: BetaAcc;
  responsiveness: BetaAcc;
  /** Histogram of first-response times (bucketed minutes → count) for the median. */
  firstResponse: Record<string, number>;
}

/**
 * The engine's state for one relationship: a JSON-serialisable plain object whose size does not
 * grow with the number of settled entries. It holds decayed sums at a moving reference time,
 * top-k driver candidates, open promises and complaints, goals and per-metric sums, and the
 * churn signals. Times are milliseconds since the epoch.
 */
export interface ScoreState {
  version: 1;
  /** The policy the evidence was folded with. */
  policy: Policy;
  /** Whether the policy was given by the caller rather than taken from the ledger. */
  policyGiven: boolean;
  head: { seq: number; hash: string } | null;
  minOccurredAt: number | null;
  maxOccurredAt: number | null;
  /** An entry was seen that the state cannot absorb: rebuild with foldLedger. */
  stale: boolean;
  promises: Record<string, OpenPromise>;
  complaints: Record<string, OpenComplaint>;
  goals: Record<string, GoalStanding>;
  metrics: Record<string, MetricAcc>;
  sides: { SUPPLIER: SideAcc; CLIENT: SideAcc };
  churn: ChurnAcc;
}

/** Entry types that change the effect of earlier entries, so the state must be rebuilt from the ledger. */
export const REBUILD_TYPES: ReadonlySet<EntryType> = new Set<EntryType>(['ENTRY_VOIDED', 'ENTRY_DISPUTED', 'DISPUTE_WITHDRAWN', 'POLICY_ACCEPTED']);

const emptySide = (): SideAcc => ({ reliability: emptyBeta(), transparency: emptyBeta(), responsiveness: emptyBeta(), firstResponse: {} });

function emptyState(policy: Policy, policyGiven: boolean): ScoreState {
  return {
    version: 1,
    policy,
    policyGiven,
    head: null,
    minOccurredAt: null,
    maxOccurredAt: null,
    stale: false,
    promises: {},
    complaints: {},
    goals: {},
    metrics: {},
    sides: { SUPPLIER: emptySide(), CLIENT: emptySide() },
    churn: emptyChurn(),
  };
}

/** The state of an empty ledger (default policy). */
export const initialState = (): ScoreState => emptyState(resolvePolicy(), false);

/** What a fold knows from the whole ledger before it starts: entries without effect, disputed promises. */
export interface Knowledge {
  /** Voided entries, and entries under open dispute. */
  skip: Set<number>;
  /** Promises whose PROMISE_MADE or a later entry of theirs is under open dispute: they give (0, 0). */
  disputedPromises: Set<number>;
}

/**
 * Reads voids, disputes and the policy in force from entries in seq order. The policy is the
 * latest POLICY_PROPOSED accepted by a POLICY_ACCEPTED, and applies to the whole computation.
 */
export function scanLedger(sorted: readonly LedgerEntry[]): { knowledge: Knowledge; accepted: PolicyOverride | null } {
  const typeOf = new Map<number, EntryType>();
  const promiseOf = new Map<number, number>();
  const proposals = new Map<number, PolicyOverride>();
  const voided = new Set<number>();
  const disputed = new Set<number>();
  let accepted: PolicyOverride | null = null;
  const attestable = (seq: number) => {
    const t = typeOf.get(seq);
    return t !== undefined && ATTESTABLE_TYPES.has(t);
  };
  for (const e of sorted) {
    typeOf.set(e.seq, e.type);
    const p = e.payload as { promiseSeq?: number; entrySeq?: number; policySeq?: number; policy?: PolicyOverride };
    switch (e.type) {
      case 'PROMISE_RESCHEDULED':
      case 'PROMISE_KEPT':
      case 'PROMISE_BROKEN':
      case 'PROMISE_CANCELLED':
        promiseOf.set(e.seq, p.promiseSeq as number);
        break;
      case 'ENTRY_VOIDED':
        if (attestable(p.entrySeq as number)) voided.add(p.entrySeq as number);
        break;
      case 'ENTRY_DISPUTED':
        if (attestable(p.entrySeq as number)) disputed.add(p.entrySeq as number);
        break;
      case 'DISPUTE_WITHDRAWN':
        disputed.delete(p.entrySeq as number);
        break;
      case 'POLICY_PROPOSED':
        if (p.policy) proposals.set(e.seq, p.policy);
        break;
      case 'POLICY_ACCEPTED': {
        const proposal = proposals.get(p.policySeq as number);
        if (proposal) accepted = proposal;
        break;
      }
      default:
        break;
    }
  }
  const skip = new Set<number>(voided);
  const disputedPromises = new Set<number>();
  for (const seq of disputed) {
    if (voided.has(seq)) continue;
    skip.add(seq);
    if (typeOf.get(seq) === 'PROMISE_MADE') disputedPromises.add(seq);
    else if (promiseOf.has(seq)) disputedPromises.add(promiseOf.get(seq) as number);
  }
  return { knowledge: { skip, disputedPromises }, accepted };
}

const halfLives = (policy: Policy): HalfLives => ({ hp: halfLifeMs(policy.halfLifeDays.positive), hn: halfLifeMs(policy.halfLifeDays.negative) });

/** Applies one entry to the state in place. `k` is the fold's knowledge; null for a new entry. */
export function absorb(state: ScoreState, e: LedgerEntry, k: Knowledge | null): void {
  const at = toMillis(e.occurredAt);
  state.head = { seq: e.seq, hash: e.hash };
  if (Number.isNaN(at)) return;
  if (state.maxOccurredAt === null || at > state.maxOccurredAt) state.maxOccurredAt = at;
  if (state.minOccurredAt === null || at < state.minOccurredAt) state.minOccurredAt = at;
  if (k?.skip.has(e.seq)) return;
  const policy = state.policy;
  const h = halfLives(policy);
  switch (e.type) {
    case 'RELATIONSHIP_ENDED':
      state.churn.ended = true;
      break;
    case 'GOAL_PROPOSED':
      onGoalProposed(state, e as LedgerEntry<'GOAL_PROPOSED'>);
      break;
    case 'METRIC_ADDED':
      onMetricAdded(state, e as LedgerEntry<'METRIC_ADDED'>);
      break;
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED':
    case 'GOAL_RETIRED':
      onGoalStatus(state, (e.payload as { goalSeq: number }).goalSeq, e.type);
      break;
    case 'MEASUREMENT_RECORDED':
      onMeasurement(state, e as LedgerEntry<'MEASUREMENT_RECORDED'>, at, h);
      break;
    case 'PROMISE_MADE':
      state.promises[String(e.seq)] = openPromise(e as LedgerEntry<'PROMISE_MADE'>, k?.disputedPromises.has(e.seq) ?? false);
      break;
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED': {
      const key = String((e.payload as { promiseSeq: number }).promiseSeq);
      const p = state.promises[key];
      const ev = promiseEvent(e);
      if (!p || !ev) break;
      p.events.push(ev);
      if (ev.type === 'PROMISE_RESCHEDULED') break;
      delete state.promises[key];
      if (p.disputed) break;
      // Its last event settles it, so the evaluation does not depend on asOf.
      const evaluation = evaluatePromiseOf(p, e.occurredAt, policy);
      const brokenAt = settlePromise(state.sides[p.promisor], p, evaluation, policy, h);
      if (brokenAt !== null && p.promisor === 'SUPPLIER') addBroken(state.churn, brokenAt, state.maxOccurredAt as number, policy);
      break;
    }
    case 'INTERACTION_RECORDED': {
      const i = (e as LedgerEntry<'INTERACTION_RECORDED'>).payload;
      const byClient = i.initiatedBy === 'CLIENT';
      switch (i.kind) {
        case 'COMPLAINT':
          state.complaints[String(e.seq)] = openComplaint(e.seq, i.initiatedBy, at, i.note);
          if (byClient) addRate(state.churn.negative, 1, at, policy);
          break;
        case 'NEGATIVE_CONTACT':
          if (byClient) addRate(state.churn.negative, 1, at, policy);
          break;
        case 'POSITIVE_CONTACT':
          if (byClient) addRate(state.churn.positive, 1, at, policy);
          break;
        case 'ACTIVITY':
          addRate(state.churn.activity, i.volume ?? 0, at, policy);
          break;
        case 'SATISFACTION':
          if (i.score !== undefined) addSatisfaction(state.churn, i.score, at, policy);
          break;
        case 'ALTERNATIVE_SUPPLIER':
          addRate(state.churn.alternative, 1, at, policy);
          if (state.churn.lastAlternative === null || at > state.churn.lastAlternative) state.churn.lastAlternative = at;
          break;
        default:
          break;
      }
      break;
    }
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED': {
      const key = String((e.payload as { interactionSeq: number }).interactionSeq);
      const c = state.complaints[key];
      if (!c) break;
      const side = state.sides[c.against];
      if (e.type === 'COMPLAINT_RESPONDED') {
        if (c.answeredAt === null) firstResponse(side, c, e.seq, at, policy, h);
        break;
      }
      // Resolved without a response: the resolution is the first response.
      if (c.answeredAt === null) firstResponse(side, c, e.seq, at, policy, h);
      resolution(side, c, e.seq, at, policy, h);
      delete state.complaints[key];
      break;
    }
    case 'REPRESENTATIVE_HANDOVER': {
      const side = (e.payload as { side: string }).side;
      const last = state.churn.lastSupplierHandover;
      if (side === 'SUPPLIER' && (last === null || at > last)) state.churn.lastSupplierHandover = at;
      break;
    }
    default:
      break;
  }
}

/** Sorts a copy of entries by seq (stable for equal seqs). */
export const bySeq = (entries: readonly LedgerEntry[]): LedgerEntry[] => [...entries].sort((a, b) => a.seq - b.seq);

/** Folds entries already sorted by seq into a fresh state, with an optional policy given by the caller. */
export function foldSorted(sorted: readonly LedgerEntry[], policy?: PolicyOverride | null): ScoreState {
  const { knowledge, accepted } = scanLedger(sorted);
  const given = policy !== undefined && policy !== null;
  const state = emptyState(resolvePolicy(given ? policy : accepted), given);
  for (const e of sorted) absorb(state, e, knowledge);
  return state;
}

/** The state of a whole ledger (any order): what the server stores per relationship and rebuilds after voids, disputes and policy changes. */
export const foldLedger = (entries: readonly LedgerEntry[], options: { policy?: PolicyOverride | null } = {}): ScoreState =>
  foldSorted(bySeq(entries), options.policy);

/**
 * Applies one appended entry in O(1): returns a new state (the input is not changed) and
 * `rebuild: true` when the entry changes earlier evidence (void, dispute, withdrawal, policy
 * acceptance) or does not extend the state's head; the caller then folds the whole ledger.
 */
export function applyEntry(state: ScoreState, entry: LedgerEntry): { state: ScoreState; rebuild: boolean } {
  const next = structuredClone(state);
  if (state.stale || (state.head !== null && entry.seq <= state.head.seq) || REBUILD_TYPES.has(entry.type)) {
    next.stale = true;
    if (next.head === null || entry.seq > next.head.seq) next.head = { seq: entry.seq, hash: entry.hash };
    return { state: next, rebuild: true };
  }
  absorb(next, entry, null);
  return { state: next, rebuild: false };
}
