/** Domain enums shared by the ledger, the API and the scorecard (DESIGN §2). */
export const SIDES = ['SUPPLIER', 'CLIENT'] as const;
export type Side = (typeof SIDES)[number];

/** The other party of a relationship. */
export const otherSide = (side: Side): Side => (side === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER');

export const KEY_ROLES = ['ADMIN', 'WRITER', 'READER'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export const RELATIONSHIP_STATUSES = ['PROPOSED', 'ACTIVE', 'ENDED'] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

export const GOAL_STATUSES = ['PROPOSED', 'AGREED', 'REJECTED', 'RETIRED'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const METRIC_DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

export const PROMISE_KINDS = ['DELIVERY', 'PAYMENT', 'INSTALLATION', 'RESPONSE', 'OTHER'] as const;
export type PromiseKind = (typeof PROMISE_KINDS)[number];

/** PROPOSED: written by its beneficiary and not yet accepted by the promisor; it counts for nothing. */
export const PROMISE_STATES = ['PROPOSED', 'OPEN', 'KEPT', 'BROKEN', 'CANCELLED'] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

export const PROMISE_OUTCOMES = [
  'KEPT_ON_TIME',
  'KEPT_AFTER_NOTICE',
  'KEPT_LATE',
  'BROKEN_WITH_NOTICE',
  'BROKEN',
  'BROKEN_AFTER_RESCHEDULE',
  'CANCELLED',
] as const;
export type PromiseOutcome = (typeof PROMISE_OUTCOMES)[number];

export const INTERACTION_KINDS = [
  'POSITIVE_CONTACT',
  'NEGATIVE_CONTACT',
  'COMPLAINT',
  'ACTIVITY',
  'SATISFACTION',
  'ALTERNATIVE_SUPPLIER',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** PROPOSED: a proposal (cancellation, void with consent, resolution, promise by its beneficiary) not yet accepted. */
export const ENTRY_STATUSES = ['STANDING', 'PROPOSED', 'DISPUTED', 'VOIDED', 'CONFIRMED'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** How evidence stands (DESIGN §2a): NOT_NEEDED (not self-serving, or not evidence), CLAIMED, ATTESTED, CONTESTED (a dispute lapsed). */
export const ATTESTATIONS = ['NOT_NEEDED', 'CLAIMED', 'ATTESTED', 'CONTESTED'] as const;
export type Attestation = (typeof ATTESTATIONS)[number];

/** A dispute's life (DESIGN §2a "A dispute is a state, not an eraser"). */
export const DISPUTE_STATES = ['OPEN', 'WITHDRAWN', 'RESOLVED', 'LAPSED'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

/** What an agreed resolution does to the disputed entry. */
export const DISPUTE_OUTCOMES = ['STANDS', 'STRUCK'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/**
 * Trust bands (DESIGN §3). PROVISIONAL: scored, but with less evidence than the policy's minimum
 * for a verdict; UNRATED: no evidence, or evidence decayed to nothing. Reviews sort banded sides
 * first, then PROVISIONAL, then UNRATED.
 */
export const TRUST_BANDS = ['TRUSTED', 'SOLID', 'WATCH', 'AT_RISK', 'CRITICAL', 'PROVISIONAL', 'UNRATED'] as const;
export type TrustBand = (typeof TRUST_BANDS)[number];

/**
 * What a dimension's figure means (DESIGN §3 "No evidence is not good evidence"): SCORED;
 * NOT_APPLICABLE, nothing to measure (transparency without a slip, responsiveness without a
 * complaint, goal attainment without an agreed metric); UNKNOWN, something to measure but no
 * evidence yet (reliability without a settled promise, an agreed metric never measured, a
 * complaint still within its deadlines); FADED, evidence decayed below the policy's threshold.
 * Only SCORED dimensions have a score; NOT_APPLICABLE ones do not lower confidence.
 */
export const DIMENSION_STATUSES = ['SCORED', 'NOT_APPLICABLE', 'UNKNOWN', 'FADED'] as const;
export type DimensionStatus = (typeof DIMENSION_STATUSES)[number];

/**
 * How one item of evidence stands (DESIGN §2a): CLAIMED, self-serving and not yet attested (it
 * weighs policy.attestation.claimWeight until the other side confirms it or the attestation window
 * passes undisputed); DISPUTED, under an open dispute (it weighs policy.disputes.weight);
 * CONTESTED, its dispute lapsed unresolved (it counts again, in full). Evidence that counts in full
 * and uncontested has no standing (null).
 */
export const EVIDENCE_STANDINGS = ['CLAIMED', 'DISPUTED', 'CONTESTED'] as const;
export type EvidenceStanding = (typeof EVIDENCE_STANDINGS)[number];


export const CHURN_STAGES = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'] as const;
export type ChurnStage = (typeof CHURN_STAGES)[number];
