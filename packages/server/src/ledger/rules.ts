import {
  ATTESTABLE_TYPES,
  CONFIRMABLE_TYPES,
  type EntryType,
  type Payloads,
  type Side,
  sideName,
  toMillis,
  voidNeedsConsent,
  PROMISE_FOLLOW_UPS,
} from '@trustledger/schema';
import type { EntryRow, RelationshipRow, WriteTx } from '../store/index.ts';
import { conflict, forbidden, notFound, validation } from '../errors.ts';

export type { RelationshipRow };

/** Entry types a relationship accepts while it is still only proposed: the negotiation. */
const NEGOTIATION: ReadonlySet<EntryType> = new Set([
  'RELATIONSHIP_ACCEPTED',
  'RELATIONSHIP_ENDED',
  'POLICY_PROPOSED',
  'POLICY_ACCEPTED',
  'GOAL_PROPOSED',
  'GOAL_ACCEPTED',
  'GOAL_REJECTED',
  'GOAL_RETIRED',
  'METRIC_ADDED',
  'REPRESENTATIVE_HANDOVER',
]);

/**
 * What an ended relationship's ledger still takes: answers to what was recorded before the end, so
 * that ending it cannot lock the other side out (DESIGN §2a): a claim recorded just before the end
 * can still be confirmed or disputed (else it would count in full once its window passed), a
 * dispute withdrawn or resolved, a complaint answered. New facts are refused.
 */
const AFTER_END: ReadonlySet<EntryType> = new Set([
  'ENTRY_CONFIRMED',
  'ENTRY_DISPUTED',
  'DISPUTE_WITHDRAWN',
  'DISPUTE_RESOLVED',
  'COMPLAINT_RESPONDED',
  'COMPLAINT_RESOLVED',
]);

interface RuleInput<T extends EntryType> {
  tx: WriteTx;
  rel: RelationshipRow;
  side: Side;
  type: T;
  payload: Payloads[T];
  occurredAt: string;
  /** The server's clock: the entry's recordedAt. */
  now: string;
  /** Input path of the payload, for error paths. */
  at: (string | number)[];
}

const entryAt = (tx: WriteTx, relId: string, seq: number) => tx.entry(relId, seq);

function promiseAt(input: RuleInput<EntryType>, seq: number) {
  const p = input.tx.promise(input.rel.id, seq);
  if (!p || p.voided) throw notFound(`No promise was made at entry ${seq} of this relationship.`, [...input.at, 'promiseSeq']);
  if (p.state === 'PROPOSED')
    throw conflict(
      `This promise is only proposed: ${sideName(p.promisor)}, its promisor, must accept it first (acceptPromise); until then it counts for nothing.`,
      [...input.at, 'promiseSeq'],
    );
  if (p.state !== 'OPEN')
    throw conflict(`This promise is already ${p.state.toLowerCase()}; record a new promise instead.`, [...input.at, 'promiseSeq']);
  if (toMillis(input.occurredAt) < toMillis(p.madeAt))
    throw validation('occurredAt is before the promise was made.', ['occurredAt']);
  return p;
}

function goalAt(input: RuleInput<EntryType>, seq: number) {
  const g = input.tx.goal(input.rel.id, seq);
  if (!g || g.voided) throw notFound(`No goal was proposed at entry ${seq} of this relationship.`, [...input.at, 'goalSeq']);
  return g;
}

function complaintAt(input: RuleInput<EntryType>, seq: number) {
  const i = input.tx.interaction(input.rel.id, seq);
  if (!i || i.voided || i.kind !== 'COMPLAINT')
    throw notFound(`No complaint was recorded at entry ${seq} of this relationship.`, [...input.at, 'interactionSeq']);
  if (toMillis(input.occurredAt) < toMillis(i.occurredAt))
    throw validation('occurredAt is before the complaint was made.', ['occurredAt']);
  return i;
}

/**
 * An answer to an entry (its confirmation, dispute, acceptance, void, …) cannot have happened
 * before the entry it answers: its occurredAt is refused (DESIGN §2a, business times are plausible).
 */
function notBefore(input: RuleInput<EntryType>, earlier: { occurredAt: string } | undefined, what: string): void {
  if (earlier && toMillis(input.occurredAt) < toMillis(earlier.occurredAt))
    throw validation(`occurredAt is before ${what} (${earlier.occurredAt}): an answer cannot come before what it answers.`, ['occurredAt']);
}

function attestable(input: RuleInput<EntryType>, seq: number, types: ReadonlySet<EntryType> = ATTESTABLE_TYPES) {
  const e = entryAt(input.tx, input.rel.id, seq);
  if (!e) throw notFound(`Entry ${seq} does not exist in this relationship's ledger.`, [...input.at, 'entrySeq']);
  notBefore(input, e, `entry ${seq}, which it refers to`);
  if (e.type === 'ENTRY_DISPUTED' && input.type === 'ENTRY_DISPUTED')
    throw validation('A dispute cannot be disputed: withdraw it, or propose a resolution (proposeResolution).', [...input.at, 'entrySeq']);
  if (!types.has(e.type as EntryType))
    throw validation(`Entry ${seq} (${e.type}) cannot be confirmed, disputed or voided.`, [...input.at, 'entrySeq']);
  if (e.voidedBySeq !== null) throw conflict(`Entry ${seq} has been voided.`, [...input.at, 'entrySeq']);
  return e;
}


/** Entries that refer to entry `seq` (its follow-ups, confirmations, disputes, …). */
const referrers = (tx: WriteTx, relId: string, seq: number) => tx.referrers(relId, seq);

/** A FORBIDDEN error that says who may record the entry instead (the authorship table, AUTHORSHIP). */
function notAuthor(what: string, author: string, path: (string | number)[], hint = ''): never {
  throw forbidden(`Only ${author} can ${what}${hint ? `; ${hint}` : ''}.`, path);
}

/**
 * Checks that an entry may be appended now, by this side, given the projections. Throws a
 * typed AppError (not found, forbidden, conflict, validation) that names what is wrong.
 */
export function checkRules(input: RuleInput<EntryType>): void {
  const { rel, side, type } = input;
  if (rel.status === 'ENDED' && !AFTER_END.has(type))
    throw conflict(
      'This relationship has ended; its ledger is closed to new records (entries recorded before the end can still be confirmed or disputed, and complaints answered).',
      ['relationshipId'],
    );
  if (rel.status === 'PROPOSED' && !NEGOTIATION.has(type))
    throw conflict('The relationship has not been accepted yet; only negotiation (goals, policy, acceptance) can be recorded.', [
      'relationshipId',
    ]);
  const p = input.payload as Record<string, unknown>;
  switch (type) {
    case 'RELATIONSHIP_PROPOSED':
      throw validation('A relationship is proposed once, by proposeRelationship.', ['type']);
    case 'RELATIONSHIP_ACCEPTED':
      if (rel.status !== 'PROPOSED') throw conflict('This relationship is already active.', ['relationshipId']);
      if (side === rel.proposedBy) throw forbidden('Only the other side can accept a proposed relationship.', ['relationshipId']);
      return;
    case 'RELATIONSHIP_ENDED':
      return;
    case 'POLICY_PROPOSED':
      return;
    case 'POLICY_ACCEPTED': {
      const pol = input.tx.policy(rel.id, p.policySeq as number);
      if (!pol) throw notFound(`No policy was proposed at entry ${p.policySeq}.`, [...input.at, 'policySeq']);
      if (pol.status !== 'PROPOSED') throw conflict(`This policy proposal is already ${pol.status.toLowerCase()}.`, [...input.at, 'policySeq']);
      if (pol.proposedBy === side) throw forbidden('Only the other side can accept a proposed policy.', [...input.at, 'policySeq']);
      notBefore(input, entryAt(input.tx, rel.id, p.policySeq as number), 'the policy proposal');
      return;
    }
    case 'GOAL_PROPOSED':
      return;
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED': {
      const g = goalAt(input, p.goalSeq as number);
      if (g.status !== 'PROPOSED') throw conflict(`This goal is already ${g.status.toLowerCase()}.`, [...input.at, 'goalSeq']);
      if (g.proposedBy === side && lastMetricBy(input, p.goalSeq as number) !== otherSide(side))
        throw forbidden('Only the other side can accept or reject a proposed goal.', [...input.at, 'goalSeq']);
      // A metric the accepting side added is a counter-proposal: the side that changed the goal
      // last cannot agree to it alone (DESIGN §2a), else it could add a metric the other side is
      // accountable for, accept the goal and measure it.
      if (g.proposedBy !== side && lastMetricBy(input, p.goalSeq as number) === side)
        throw forbidden(
          `You added a metric to this goal, so ${sideName(otherSide(side))}, which proposed it, must agree to it now (acceptGoal or rejectGoal).`,
          [...input.at, 'goalSeq'],
        );
      notBefore(input, entryAt(input.tx, rel.id, p.goalSeq as number), 'the goal proposal');
      return;
    }
    case 'GOAL_RETIRED': {
      const g = goalAt(input, p.goalSeq as number);
      if (g.status === 'PROPOSED' && g.proposedBy !== side)
        throw forbidden('A goal still proposed can be withdrawn only by the side that proposed it; reject it instead.', [
          ...input.at,
          'goalSeq',
        ]);
      if (g.status === 'REJECTED' || g.status === 'RETIRED')
        throw conflict(`This goal is already ${g.status.toLowerCase()}.`, [...input.at, 'goalSeq']);
      notBefore(input, entryAt(input.tx, rel.id, p.goalSeq as number), 'the goal proposal');
      return;
    }
    case 'METRIC_ADDED': {
      const g = goalAt(input, p.goalSeq as number);
      if (g.status !== 'PROPOSED')
        throw conflict('Metrics can be added only while a goal is proposed; propose a new goal to change an agreed one.', [
          ...input.at,
          'goalSeq',
        ]);
      return;
    }
    case 'MEASUREMENT_RECORDED': {
      const m = input.tx.metric(rel.id, p.metricSeq as number, p.metricIndex as number);
      if (!m || m.voided) throw notFound('No such metric in this relationship.', [...input.at, 'metricSeq']);
      const g = goalAt(input, m.goalSeq);
      if (g.status === 'REJECTED' || g.status === 'RETIRED')
        throw conflict(`The metric's goal is ${g.status.toLowerCase()}; it takes no more measurements.`, [...input.at, 'metricSeq']);
      return;
    }
    case 'PROMISE_MADE':
      // By the beneficiary it is a proposal (PROMISE_MADE's row in AUTHORSHIP): the projection marks it PROPOSED.
      return;
    case 'PROMISE_RESCHEDULED': {
      const pr = promiseAt(input, p.promiseSeq as number);
      if (pr.promisor !== side)
        notAuthor('reschedule a promise', `its promisor (${sideName(pr.promisor)})`, [...input.at, 'promiseSeq'], 'as its beneficiary you may record it broken or propose a cancellation (proposeCancellation)');
      if (toMillis(p.newDueAt as string) <= toMillis(pr.dueAt))
        throw validation(`newDueAt must be later than the current due time (${pr.dueAt}).`, [...input.at, 'newDueAt']);
      return;
    }
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
      promiseAt(input, p.promiseSeq as number);
      return;
    case 'PROMISE_CANCELLED': {
      promiseAt(input, p.promiseSeq as number);
      const pending = referrers(input.tx, rel.id, p.promiseSeq as number).find(
        (e) => e.type === 'PROMISE_CANCELLED' && e.voidedBySeq === null && e.disputedBySeq === null && e.confirmedBySeq === null,
      );
      if (pending)
        throw conflict(
          `A cancellation of this promise is already proposed (entry ${pending.seq}); ${sideOf(rel, pending.actorFirmId) === side ? 'the other side accepts or declines it' : 'accept it (acceptCancellation) or decline it (disputeEntry)'}.`,
          [...input.at, 'promiseSeq'],
        );
      return;
    }
    case 'INTERACTION_RECORDED':
      return;
    case 'COMPLAINT_RESPONDED': {
      const c = complaintAt(input, p.interactionSeq as number);
      if (c.firstResponseAt) throw conflict('This complaint already has a first response.', [...input.at, 'interactionSeq']);
      return;
    }
    case 'COMPLAINT_RESOLVED': {
      const c = complaintAt(input, p.interactionSeq as number);
      if (c.resolvedAt) throw conflict('This complaint is already resolved.', [...input.at, 'interactionSeq']);
      return;
    }
    case 'REPRESENTATIVE_HANDOVER':
      if (p.side !== side) throw forbidden("Each side names its own representative.", [...input.at, 'side']);
      return;
    case 'ENTRY_CONFIRMED': {
      const e = attestable(input, p.entrySeq as number, CONFIRMABLE_TYPES);
      const at = [...input.at, 'entrySeq'];
      if (sideOf(rel, e.actorFirmId) === side)
        notAuthor('confirm or accept an entry', 'the other side', at, 'you cannot confirm your own entry');
      if (e.disputedBySeq !== null) throw conflict('This entry is under dispute; the dispute must end first (withdrawDispute or proposeResolution).', at);
      if (e.confirmedBySeq !== null) throw conflict('This entry is already confirmed.', at);
      checkAcceptance(input, e, at);
      return;
    }
    case 'ENTRY_DISPUTED': {
      const e = attestable(input, p.entrySeq as number);
      const at = [...input.at, 'entrySeq'];
      if (sideOf(rel, e.actorFirmId) === side) notAuthor('dispute an entry', 'the other side', at, 'you cannot dispute your own entry: void it instead');
      if (e.disputedBySeq !== null) throw conflict('This entry is already under dispute.', at);
      if (e.confirmedBySeq !== null) throw conflict('You have confirmed this entry; it cannot be disputed any more.', at);
      if (referrers(input.tx, rel.id, e.seq).some((r) => r.type === 'ENTRY_DISPUTED'))
        throw conflict('This entry has been disputed before and the dispute ended; an entry is disputed once.', at);
      return;
    }
    case 'DISPUTE_WITHDRAWN': {
      const e = attestable(input, p.entrySeq as number);
      const at = [...input.at, 'entrySeq'];
      if (e.disputedBySeq === null) throw conflict('This entry is not under dispute.', at);
      const dispute = entryAt(input.tx, rel.id, e.disputedBySeq);
      if (dispute && sideOf(rel, dispute.actorFirmId) !== side) notAuthor('withdraw a dispute', 'the side that raised it', at);
      notBefore(input, dispute, 'the dispute');
      return;
    }
    case 'DISPUTE_RESOLVED': {
      const e = attestable(input, p.entrySeq as number);
      if (e.disputedBySeq === null) throw conflict('This entry is not under dispute; there is nothing to resolve.', [...input.at, 'entrySeq']);
      notBefore(input, entryAt(input.tx, rel.id, e.disputedBySeq), 'the dispute');
      return;
    }
    case 'ENTRY_VOIDED': {
      const e = attestable(input, p.entrySeq as number, VOIDABLE_TYPES);
      const at = [...input.at, 'entrySeq'];
      if (sideOf(rel, e.actorFirmId) !== side) notAuthor('void it', 'the side that recorded an entry', at, 'dispute it instead');
      const pending = referrers(input.tx, rel.id, e.seq).find((r) => r.type === 'ENTRY_VOIDED' && r.voidedBySeq === null);
      if (pending) throw conflict(`A void of this entry is already proposed (entry ${pending.seq}); the other side accepts it (confirmEntry).`, at);
      return;
    }
  }
}

const otherSide = (side: Side): Side => (side === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER');

/** The side that added the latest standing metric to a goal (METRIC_ADDED), or null when none was added. */
function lastMetricBy(input: RuleInput<EntryType>, goalSeq: number): Side | null {
  const added = input.tx.standingReferrers(input.rel.id, goalSeq, 'METRIC_ADDED');
  const last = added.reduce<EntryRow | null>((a, e) => (a === null || e.seq > a.seq ? e : a), null);
  return last ? sideOf(input.rel, last.actorFirmId) : null;
}

/** Entries their recorder may void: the facts, and its own pending resolution proposals. */
const VOIDABLE_TYPES: ReadonlySet<EntryType> = new Set<EntryType>([...ATTESTABLE_TYPES, 'DISPUTE_RESOLVED']);

/** A confirmation that accepts a proposal: the proposal must still be open to acceptance. */
function checkAcceptance(input: RuleInput<EntryType>, e: EntryRow, at: (string | number)[]): void {
  const payload = JSON.parse(e.payload) as Record<string, unknown>;
  switch (e.type) {
    case 'PROMISE_MADE': {
      const promisor = payload.promisor as Side;
      if (sideOf(input.rel, e.actorFirmId) !== promisor && input.side !== promisor)
        notAuthor('accept a proposed promise', `its promisor (${sideName(promisor)})`, at);
      return;
    }
    case 'PROMISE_CANCELLED': {
      const pr = input.tx.promise(input.rel.id, payload.promiseSeq as number);
      if (!pr || pr.voided || pr.state !== 'OPEN')
        throw conflict(`The promise is ${pr?.voided ? 'voided' : (pr?.state ?? 'gone').toLowerCase()}; this cancellation can no longer be accepted.`, at);
      return;
    }
    case 'ENTRY_VOIDED': {
      const target = entryAt(input.tx, input.rel.id, payload.entrySeq as number);
      if (!target || target.voidedBySeq !== null) throw conflict('That entry is already voided.', at);
      return;
    }
    case 'DISPUTE_RESOLVED': {
      const target = entryAt(input.tx, input.rel.id, payload.entrySeq as number);
      if (!target || target.disputedBySeq === null || target.voidedBySeq !== null)
        throw conflict('The dispute this resolution proposes to end is no longer open.', at);
      return;
    }
    default:
      return;
  }
}

/**
 * Whether a void recorded now takes effect at once (DESIGN §2a): nothing depends on the entry, the
 * other side has not confirmed it and, for a promise or its reschedule, keep or break, the promise
 * is not yet due. Otherwise it is a
 * proposal that the other side accepts.
 */
export function voidTakesEffect(tx: WriteTx, relId: string, target: EntryRow, voidSeq: number, now: string): boolean {
  const referenced = referrers(tx, relId, target.seq).some((r) => r.seq < voidSeq);
  const payload = JSON.parse(target.payload) as { promiseSeq?: number };
  // A reschedule, keep or break is judged by its promise's (first) due time.
  const made = PROMISE_FOLLOW_UPS.has(target.type as EntryType) && payload.promiseSeq !== undefined ? entryAt(tx, relId, payload.promiseSeq) : undefined;
  const promiseDueAt = made ? (JSON.parse(made.payload) as { dueAt?: string }).dueAt : null;
  return !voidNeedsConsent({ type: target.type as EntryType, payload }, referenced, now, promiseDueAt);
}

/** The side a firm plays in a relationship. */
export const sideOf = (rel: { supplierId: string }, firmId: string): Side => (firmId === rel.supplierId ? 'SUPPLIER' : 'CLIENT');
