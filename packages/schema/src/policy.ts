import { z } from 'zod';
import { PROMISE_KINDS, type PromiseKind } from './enums.ts';

/**
 * The scoring policy of a relationship (DESIGN §3). Every number is agreed by both sides:
 * proposed as a (partial) override of these defaults and accepted by the other side.
 */
export interface Policy {
  /** Weights of the dimensions in the trust score. */
  weights: { reliability: number; goalAttainment: number; responsiveness: number; transparency: number };
  /** Half-lives of evidence, in days; negative evidence is remembered longer. @default { positive: 180, negative: 365 } */
  halfLifeDays: { positive: number; negative: number };
  /** Days after the due time before an open promise counts as broken without notice. @default 1 */
  graceDays: number;
  /** A complaint's first response is on time within this many hours. @default 24 */
  firstResponseHours: number;
  /** A complaint is resolved on time within this many days. @default 5 */
  resolutionDays: number;
  /** Evidence (r, s) per promise outcome, DESIGN §3 table. */
  outcomes: Record<
    'KEPT_ON_TIME' | 'KEPT_AFTER_NOTICE' | 'KEPT_LATE' | 'BROKEN_WITH_NOTICE' | 'BROKEN' | 'BROKEN_AFTER_RESCHEDULE',
    { r: number; s: number }
  >;
  /**
   * Self-serving evidence (DESIGN §2a): weighs `claimWeight` of its worth until the other side
   * confirms it or `windowDays` pass after it was recorded without a dispute. @default { windowDays: 7, claimWeight: 0.5 }
   */
  attestation: { windowDays: number; claimWeight: number };
  /**
   * Disputed evidence weighs `weight` of its worth while the dispute is open; a dispute open more
   * than `windowDays` after it was recorded lapses and the evidence counts again, contested. @default { windowDays: 30, weight: 0.5 }
   */
  disputes: { windowDays: number; weight: number };
  /** Lower bounds of the trust bands (0–100). */
  bands: { trusted: number; solid: number; watch: number; atRisk: number };
  /**
   * What a promise's evidence weighs (DESIGN §3 "Evidence weighs what is at stake"): its kind's
   * weight times its amount relative to the promisor's typical amount in the same currency (the
   * decayed geometric mean of its promises kept, per kind, else over all kinds), clamped to
   * [floor, cap]. Amounts in different currencies are never compared. A promise without an
   * amount, or the first in its currency, weighs its kind's weight.
   */
  stakes: { cap: number; floor: number; kinds: Record<PromiseKind, number> };
  /**
   * How much evidence a verdict needs (DESIGN §3): a side with fewer than `minimum` items of
   * evidence in its scored reliability, responsiveness and goal attainment (promises settled,
   * weighted by kind; complaints; measurements) is PROVISIONAL; a dimension whose decayed evidence
   * (Beta r + s before stakes) is below `faded` reads FADED, with no score. @default { minimum: 5, faded: 0.05 }
   */
  evidence: { minimum: number; faded: number };
  /** Churn-stage rules, DESIGN §3 "For the relationship". Ratios compare short-term rate with baseline. */
  churn: {
    shortHalfLifeDays: number;
    baselineDays: number;
    lostActivityRatio: number;
    switchingActivityRatio: number;
    alternativeWindowDays: number;
    alternativeActivityRatio: number;
    antiNegativeRatio: number;
    antiSatisfaction: number;
    thawingPositiveRatio: number;
    thawingNegativeRatio: number;
    thawingSatisfactionDrop: number;
    thawingActivityRatio: number;
    brokenPromiseDays: number;
  };
}

/** The defaults of DESIGN §3. */
export const DEFAULT_POLICY: Policy = Object.freeze({
  weights: { reliability: 0.4, goalAttainment: 0.25, responsiveness: 0.2, transparency: 0.15 },
  halfLifeDays: { positive: 180, negative: 365 },
  graceDays: 1,
  firstResponseHours: 24,
  resolutionDays: 5,
  outcomes: {
    KEPT_ON_TIME: { r: 1, s: 0 },
    KEPT_AFTER_NOTICE: { r: 0.75, s: 0.25 },
    KEPT_LATE: { r: 0.25, s: 0.75 },
    BROKEN_WITH_NOTICE: { r: 0, s: 1 },
    BROKEN: { r: 0, s: 1.5 },
    BROKEN_AFTER_RESCHEDULE: { r: 0, s: 2 },
  },
  attestation: { windowDays: 7, claimWeight: 0.5 },
  disputes: { windowDays: 30, weight: 0.5 },
  bands: { trusted: 85, solid: 70, watch: 55, atRisk: 40 },
  stakes: { cap: 10, floor: 0.5, kinds: { DELIVERY: 1, PAYMENT: 1, INSTALLATION: 1, RESPONSE: 0.1, OTHER: 0.5 } },
  evidence: { minimum: 5, faded: 0.05 },
  churn: {
    shortHalfLifeDays: 30,
    baselineDays: 180,
    lostActivityRatio: 0.15,
    switchingActivityRatio: 0.7,
    alternativeWindowDays: 90,
    alternativeActivityRatio: 0.9,
    antiNegativeRatio: 2,
    antiSatisfaction: 2.5,
    thawingPositiveRatio: 0.7,
    thawingNegativeRatio: 1.3,
    thawingSatisfactionDrop: 0.5,
    thawingActivityRatio: 0.85,
    brokenPromiseDays: 30,
  },
}) as Policy;

const nonNeg = z.number().finite().min(0);
const pos = z.number().finite().positive();
const ratio = z.number().finite().min(0).max(100);
const evidence = z.object({ r: nonNeg.max(10), s: nonNeg.max(10) }).strict();

/** A policy override as proposed in the ledger: any subset of the policy's numbers. */
export const policyOverrideSchema = z
  .object({
    weights: z
      .object({ reliability: nonNeg, goalAttainment: nonNeg, responsiveness: nonNeg, transparency: nonNeg })
      .strict()
      .partial(),
    halfLifeDays: z.object({ positive: pos.max(36_500), negative: pos.max(36_500) }).strict().partial(),
    graceDays: nonNeg.max(365),
    firstResponseHours: pos.max(24 * 365),
    resolutionDays: pos.max(365),
    outcomes: z
      .object({
        KEPT_ON_TIME: evidence,
        KEPT_AFTER_NOTICE: evidence,
        KEPT_LATE: evidence,
        BROKEN_WITH_NOTICE: evidence,
        BROKEN: evidence,
        BROKEN_AFTER_RESCHEDULE: evidence,
      })
      .strict()
      .partial(),
    attestation: z.object({ windowDays: nonNeg.max(365), claimWeight: nonNeg.max(1) }).strict().partial(),
    disputes: z.object({ windowDays: pos.max(3650), weight: nonNeg.max(1) }).strict().partial(),
    bands: z.object({ trusted: ratio, solid: ratio, watch: ratio, atRisk: ratio }).strict().partial(),
    stakes: z
      .object({
        cap: z.number().finite().min(1).max(1000),
        floor: z.number().finite().positive().max(1),
        kinds: z.object(Object.fromEntries(PROMISE_KINDS.map((k) => [k, nonNeg.max(10)])) as Record<PromiseKind, typeof nonNeg>).strict().partial(),
      })
      .strict()
      .partial(),
    evidence: z.object({ minimum: nonNeg.max(1000), faded: nonNeg.max(10) }).strict().partial(),
    churn: z
      .object({
        shortHalfLifeDays: pos.max(3650),
        baselineDays: pos.max(3650),
        lostActivityRatio: nonNeg.max(10),
        switchingActivityRatio: nonNeg.max(10),
        alternativeWindowDays: pos.max(3650),
        alternativeActivityRatio: nonNeg.max(10),
        antiNegativeRatio: nonNeg.max(100),
        antiSatisfaction: nonNeg.max(5),
        thawingPositiveRatio: nonNeg.max(10),
        thawingNegativeRatio: nonNeg.max(100),
        thawingSatisfactionDrop: nonNeg.max(5),
        thawingActivityRatio: nonNeg.max(10),
        brokenPromiseDays: pos.max(3650),
      })
      .strict()
      .partial(),
  })
  .strict()
  .partial()
  .superRefine((p, ctx) => {
    const w = { ...DEFAULT_POLICY.weights, ...p.weights };
    if (w.reliability + w.goalAttainment + w.responsiveness + w.transparency <= 0)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be above zero' });
    const b = { ...DEFAULT_POLICY.bands, ...p.bands };
    if (!(b.trusted >= b.solid && b.solid >= b.watch && b.watch >= b.atRisk))
      ctx.addIssue({ code: 'custom', path: ['bands'], message: 'band bounds must descend: trusted ≥ solid ≥ watch ≥ atRisk' });
  });
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

/** The policy in force: the defaults with an agreed override laid over them. */
export function resolvePolicy(override?: PolicyOverride | null): Policy {
  const o = override ?? {};
  return {
    weights: { ...DEFAULT_POLICY.weights, ...o.weights },
    halfLifeDays: { ...DEFAULT_POLICY.halfLifeDays, ...o.halfLifeDays },
    graceDays: o.graceDays ?? DEFAULT_POLICY.graceDays,
    firstResponseHours: o.firstResponseHours ?? DEFAULT_POLICY.firstResponseHours,
    resolutionDays: o.resolutionDays ?? DEFAULT_POLICY.resolutionDays,
    outcomes: { ...DEFAULT_POLICY.outcomes, ...o.outcomes },
    attestation: { ...DEFAULT_POLICY.attestation, ...o.attestation },
    disputes: { ...DEFAULT_POLICY.disputes, ...o.disputes },
    bands: { ...DEFAULT_POLICY.bands, ...o.bands },
    stakes: {
      cap: o.stakes?.cap ?? DEFAULT_POLICY.stakes.cap,
      floor: o.stakes?.floor ?? DEFAULT_POLICY.stakes.floor,
      kinds: { ...DEFAULT_POLICY.stakes.kinds, ...o.stakes?.kinds },
    },
    evidence: { ...DEFAULT_POLICY.evidence, ...o.evidence },
    churn: { ...DEFAULT_POLICY.churn, ...o.churn },
  };
}
