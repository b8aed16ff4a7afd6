import {
  ATTESTABLE_TYPES,
  type EntryType,
  type Payloads,
  type Side,
  toMillis,
} from '@trustledger/schema';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { conflict, forbidden, notFound, validation } from '../errors.ts';

export type RelationshipRow = typeof t.relationships.$inferSelect;

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

interface RuleInput<T extends EntryType> {
  db: Db;
  rel: RelationshipRow;
  side: Side;
  type: T;
  payload: Payloads[T];
  occurredAt: string;
  /** Input path of the payload, for error paths. */
  at: (string | number)[];
}

const entryAt = (db: Db, relId: string, seq: number) =>
  db.select().from(t.entries).where(and(eq(t.entries.relationshipId, relId), eq(t.entries.seq, seq))).get();

function promiseAt(input: RuleInput<EntryType>, seq: number) {
  const p = input.db
    .select()
    .from(t.promises)
    .where(and(eq(t.promises.relationshipId, input.rel.id), eq(t.promises.seq, seq)))
    .get();
  if (!p || p.voided) throw notFound(`No promise was made at entry ${seq} of this relationship.`, [...input.at, 'promiseSeq']);
  if (p.state !== 'OPEN')
    throw conflict(`This promise is already ${p.state.toLowerCase()}; record a new promise instead.`, [...input.at, 'promiseSeq']);
  if (toMillis(input.occurredAt) < toMillis(p.madeAt))
    throw validation('occurredAt is before the promise was made.', ['occurredAt']);
  return p;
}

function goalAt(input: RuleInput<EntryType>, seq: number) {
  const g = input.db
    .select()
    .from(t.goals)
    .where(and(eq(t.goals.relationshipId, input.rel.id), eq(t.goals.seq, seq)))
    .get();
  if (!g || g.voided) throw notFound(`No goal was proposed at entry ${seq} of this relationship.`, [...input.at, 'goalSeq']);
  return g;
}

function complaintAt(input: RuleInput<EntryType>, seq: number) {
  const i = input.db
    .select()
    .from(t.interactions)
    .where(and(eq(t.interactions.relationshipId, input.rel.id), eq(t.interactions.seq, seq)))
    .get();
  if (!i || i.voided || i.kind !== 'COMPLAINT')
    throw notFound(`No complaint was recorded at entry ${seq} of this relationship.`, [...input.at, 'interactionSeq']);
  if (toMillis(input.occurredAt) < toMillis(i.occurredAt))
    throw validation('occurredAt is before the complaint was made.', ['occurredAt']);
  return i;
}

function attestable(input: RuleInput<EntryType>, seq: number) {
  const e = entryAt(input.db, input.rel.id, seq);
  if (!e) throw notFound(`Entry ${seq} does not exist in this relationship's ledger.`, [...input.at, 'entrySeq']);
  if (!ATTESTABLE_TYPES.has(e.type as EntryType))
    throw validation(`Entry ${seq} (${e.type}) cannot be confirmed, disputed or voided.`, [...input.at, 'entrySeq']);
  if (e.voidedBySeq !== null) throw conflict(`Entry ${seq} has been voided.`, [...input.at, 'entrySeq']);
  return e;
}

/**
 * Checks that an entry may be appended now, by this side, given the projections. Throws a
 * typed AppError (not found, forbidden, conflict, validation) that names what is wrong.
 */
export function checkRules(input: RuleInput<EntryType>): void {
  const { rel, side, type } = input;
  if (rel.status === 'ENDED') throw conflict('This relationship has ended; its ledger is closed.', ['relationshipId']);
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
      const pol = input.db
        .select()
        .from(t.policies)
        .where(and(eq(t.policies.relationshipId, rel.id), eq(t.policies.seq, p.policySeq as number)))
        .get();
      if (!pol) throw notFound(`No policy was proposed at entry ${p.policySeq}.`, [...input.at, 'policySeq']);
      if (pol.status !== 'PROPOSED') throw conflict(`This policy proposal is already ${pol.status.toLowerCase()}.`, [...input.at, 'policySeq']);
      if (pol.proposedBy === side) throw forbidden('Only the other side can accept a proposed policy.', [...input.at, 'policySeq']);
      return;
    }
    case 'GOAL_PROPOSED':
      return;
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED': {
      const g = goalAt(input, p.goalSeq as number);
      if (g.status !== 'PROPOSED') throw conflict(`This goal is already ${g.status.toLowerCase()}.`, [...input.at, 'goalSeq']);
      if (g.proposedBy === side) throw forbidden('Only the other side can accept or reject a proposed goal.', [...input.at, 'goalSeq']);
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
      const m = input.db
        .select()
        .from(t.metrics)
        .where(and(eq(t.metrics.relationshipId, rel.id), eq(t.metrics.seq, p.metricSeq as number), eq(t.metrics.idx, p.metricIndex as number)))
        .get();
      if (!m || m.voided) throw notFound('No such metric in this relationship.', [...input.at, 'metricSeq']);
      const g = goalAt(input, m.goalSeq);
      if (g.status === 'REJECTED' || g.status === 'RETIRED')
        throw conflict(`The metric's goal is ${g.status.toLowerCase()}; it takes no more measurements.`, [...input.at, 'metricSeq']);
      return;
    }
    case 'PROMISE_MADE':
      return;
    case 'PROMISE_RESCHEDULED': {
      const pr = promiseAt(input, p.promiseSeq as number);
      if (toMillis(p.newDueAt as string) <= toMillis(pr.dueAt))
        throw validation(`newDueAt must be later than the current due time (${pr.dueAt}).`, [...input.at, 'newDueAt']);
      return;
    }
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED':
      promiseAt(input, p.promiseSeq as number);
      return;
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
      const e = attestable(input, p.entrySeq as number);
      if (sideOf(rel, e.actorFirmId) === side) throw forbidden('You cannot confirm your own entry; the other side confirms it.', [...input.at, 'entrySeq']);
      if (e.disputedBySeq !== null) throw conflict('This entry is under dispute; the dispute must be withdrawn first.', [...input.at, 'entrySeq']);
      if (e.confirmedBySeq !== null) throw conflict('This entry is already confirmed.', [...input.at, 'entrySeq']);
      return;
    }
    case 'ENTRY_DISPUTED': {
      const e = attestable(input, p.entrySeq as number);
      if (sideOf(rel, e.actorFirmId) === side) throw forbidden('You cannot dispute your own entry; void it instead.', [...input.at, 'entrySeq']);
      if (e.disputedBySeq !== null) throw conflict('This entry is already under dispute.', [...input.at, 'entrySeq']);
      return;
    }
    case 'DISPUTE_WITHDRAWN': {
      const e = attestable(input, p.entrySeq as number);
      if (e.disputedBySeq === null) throw conflict('This entry is not under dispute.', [...input.at, 'entrySeq']);
      const dispute = entryAt(input.db, rel.id, e.disputedBySeq);
      if (dispute && sideOf(rel, dispute.actorFirmId) !== side)
        throw forbidden('Only the side that raised a dispute can withdraw it.', [...input.at, 'entrySeq']);
      return;
    }
    case 'ENTRY_VOIDED': {
      const e = attestable(input, p.entrySeq as number);
      if (sideOf(rel, e.actorFirmId) !== side) throw forbidden('Only the side that recorded an entry can void it; dispute it instead.', [...input.at, 'entrySeq']);
      return;
    }
  }
}

/** The side a firm plays in a relationship. */
export const sideOf = (rel: { supplierId: string }, firmId: string): Side => (firmId === rel.supplierId ? 'SUPPLIER' : 'CLIENT');
