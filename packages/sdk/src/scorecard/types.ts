import type { ChurnStage, DimensionStatus, EvidenceStanding, Policy, TrustBand } from '@trustledger/schema';

export type { EvidenceStanding };

/**
 * What a promise's evidence weighed (DESIGN §3 "Evidence weighs what is at stake"): its kind's
 * weight times its amount against the promisor's typical amount in that currency, clamped.
 */
export interface Stake {
  /** The promise's amount and ISO 4217 currency; null without an amount. */
  amount: number | null;
  currency: string | null;
  /** The promisor's typical amount in that currency when the promise was judged; null for the first. */
  typical: number | null;
  /** amount / typical; null when either is missing. */
  ratio: number | null;
  /** The weight its evidence carried: kind weight × clamp(ratio, floor, cap). */
  weight: number;
}

/** An entry that moved a figure: its seq, signed decayed effect (+ for r, − for s) and why. */
export interface Driver {
  entrySeq: number;
  effect: number;
  reason: string;
  /** For a promise's evidence, what it weighed; null otherwise, and for a promise without an amount that weighed 1. */
  stake: Stake | null;
  /**
   * How the evidence stands at asOf (DESIGN §2a): CLAIMED (self-serving, not yet attested: weighs
   * policy.attestation.claimWeight), DISPUTED (open dispute: weighs policy.disputes.weight),
   * CONTESTED (the dispute lapsed: counts again); null when it counts in full, uncontested.
   */
  standing: EvidenceStanding | null;
}

/** One dimension of trust (DESIGN §3). No evidence: score null, uncertainty 1, evidence 0. */
export interface Dimension {
  /** 0–100, null unless SCORED. */
  score: number | null;
  /** SCORED, NOT_APPLICABLE (nothing to measure), UNKNOWN (no evidence yet), FADED (decayed away). */
  status: DimensionStatus;
  /** 0 (certain) to 1 (no evidence): 2/(n + 2), n the decayed evidence before stakes. */
  uncertainty: number;
  /** Decayed positive evidence at asOf, weighted by stakes. */
  positive: number;
  /** Decayed negative evidence at asOf, weighted by stakes. */
  negative: number;
  /** How many items of evidence count (promises, slips, complaints, measurements). */
  evidence: number;
  /** Up to five entries that moved it most, by |effect| then seq. */
  drivers: Driver[];
}

/** How far one side can be trusted, from its own record in the relationship. */
export interface PartyScore {
  /**
   * Weighted mean of the SCORED dimensions, 0–100, each shrunk toward the side's other dimensions
   * by its own evidence (DESIGN §3 "first evidence"); null when Unrated.
   */
  trustScore: number | null;
  /** By trust score; PROVISIONAL below policy.evidence.minimum; UNRATED without a SCORED dimension. */
  band: TrustBand;
  /** 0–1: one minus the weighted mean uncertainty of the applicable dimensions (all but NOT_APPLICABLE). */
  confidence: number;
  /**
   * Items of evidence of the SCORED reliability, responsiveness and goal attainment: promises
   * settled (weighted by kind), complaints, measurements; below policy.evidence.minimum: PROVISIONAL.
   */
  evidence: number;
  reliability: Dimension;
  transparency: Dimension;
  responsiveness: Dimension;
  goalAttainment: Dimension;
  /** Median hours to the first response to complaints raised against this side; null when none. */
  medianFirstResponseHours: number | null;
}

/**
 * One churn signal (DESIGN §3 "Churn stage"): the count observed in a recent window, the count the
 * client's own baseline leads to expect in the same window, and how improbable the count is.
 * For `orderCadence`, count is the days since the last order and expected the typical gap in days;
 * for `satisfaction`, count is the latest pulse (1–5) and expected the client's usual mean.
 */
export interface ChurnSignal {
  name: string;
  /** count / windowDays (per day); for orderCadence the days since the last order; for satisfaction the recent mean. */
  shortRate: number;
  /** expected / windowDays (per day); for orderCadence the typical gap; for satisfaction the usual mean. */
  baseline: number;
  /** count / expected (999 for a rise from nothing). */
  ratio: number;
  /** What was observed in the window (events, order volume, days or a pulse score). */
  count: number;
  /** What the baseline leads to expect in the same window; 0 when the signal has no baseline. */
  expected: number;
  /** Length of the window in days. */
  windowDays: number;
  /** One-sided tail probability of the count under the baseline; null when not tested (too little evidence, or not a count). */
  probability: number | null;
}

/** A churn signal as evaluated, whether or not it fired. */
export interface ChurnMeasure extends ChurnSignal {
  fired: boolean;
}

/** Where the client stands in the five-stage churn process; THAWING is the repair window. */
export interface ChurnAssessment {
  stage: ChurnStage;
  /** The stage alerts follow: the latest stage that held for the policy's dwellDays. */
  announcedStage: ChurnStage;
  repairWindow: boolean;
  /** The signals that fired. */
  signals: ChurnSignal[];
  /** Recommended next actions, most urgent first. */
  actions: string[];
  /** Every signal evaluated, fired or not. */
  measures: ChurnMeasure[];
}

/** The shared scorecard of a relationship at asOf (DESIGN §3). */
export interface Scorecard {
  asOf: string;
  /** The entry with the highest seq the scorecard was computed from ({ seq: 0, hash: GENESIS_HASH } for none). */
  head: { seq: number; hash: string };
  /** The policy in force. */
  policy: Policy;
  supplier: PartyScore;
  client: PartyScore;
  churn: ChurnAssessment;
}
