import { z } from 'zod';
import { PROMISE_KINDS, type PromiseKind } from './enums.ts';

/**
 * The scoring policy of a relationship (DESIGN §3). Every number is agreed by both sides:
 * proposed as a (partial) override of these defaults and accepted by the other side.
 */
export interface Policy {
  /** Weights of the dimensions in the trust score, relative to each other (each 0–1,000). */
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
  /**
   * Churn-stage detector, DESIGN §3 "Churn stage" (the method is documented in the SDK's
   * scorecard/churn.ts and the README). Counts in a recent window are tested against the client's
   * own baseline; probabilities are one-sided tail probabilities; windows and spans are in days.
   */
  churn: ChurnPolicy;
}

/** The churn detector's thresholds and windows (see Policy.churn). */
export interface ChurnPolicy {
  /** Half-life of the baseline each recent window is compared with. @default 180 */
  baselineHalfLifeDays: number;
  /** A rate is tested only once the signal has this many days of its own history before the window. @default 60 */
  minBaselineDays: number;
  /** A rate is tested only when the window is expected to hold at least this many events. @default 5 */
  minExpected: number;
  /** Shortest window for contacts; widened (up to maxWindowDays) until minExpected events are expected. @default 21 */
  contactWindowDays: number;
  /** Shortest window for order activity; widened the same way. @default 28 */
  activityWindowDays: number;
  /** Longest window any rate is read over. @default 90 */
  maxWindowDays: number;
  /** A signal speaks for THAWING when its count is this improbable under the baseline. @default 0.015 */
  thawingProbability: number;
  /** Order activity or cadence speaks for THAWING (and is a sign of ANTI) when this improbable. @default 0.002 */
  activityProbability: number;
  /** Order volume is tested over the activity window and up to this many of its multiples (within maxWindowDays), Bonferroni-corrected. @default 3 */
  activityScanWindows: number;
  /** Fewer positive contacts with no negative ones speak for THAWING only when this improbable (together they are combined at thawingProbability). @default 0.002 */
  singleContactProbability: number;
  /**
   * This many complaints within the contact window (handled or not), improbable for the client,
   * are repeated complaints: a sign of ANTI. Source: the churn backtest (`pnpm bench:churn`): a
   * repairable thaw brings 0.5–1.5 complaints a month as often as a client deciding to leave, so
   * three in 21 days put thaws into ANTI; four (or late handling, evidenceAntiThreshold) tell them
   * apart. @default 4
   */
  repeatedComplaints: number;
  /** Activity or cadence counts for SWITCHING when this improbable. @default 0.001 */
  switchingProbability: number;
  /** The silence since the last order counts for LOST when this improbable. @default 0.0001 */
  lostProbability: number;
  /** Activity falls (THAWING, and a sign of ANTI) only below this share of its expected volume. @default 0.85 */
  thawingActivityRatio: number;
  /** Activity fell well below the norm (SWITCHING) only below this share. @default 0.5 */
  switchingActivityRatio: number;
  /** SWITCHING on silence needs at least this many typical gaps without an order … @default 3 */
  switchingGaps: number;
  /** … and at least this many days. @default 10 */
  switchingMinDays: number;
  /** LOST on silence needs at least this many typical gaps without an order … @default 4 */
  lostGaps: number;
  /** … and at least this many days (four weeks without an order is a switch, not yet a loss). @default 29 */
  lostMinDays: number;
  /** Regularity of the order cadence (gamma shape) is capped here; 1 is a memoryless (Poisson) cadence. @default 12 */
  maxGapShape: number;
  /** Prior for the rate of negative contacts: this many events … @default 1 */
  negativePriorEvents: number;
  /** … over this many days, so a quiet history does not make one event look impossible. @default 180 */
  negativePriorDays: number;
  /** A satisfaction pulse at or below this (1–5) is low. @default 2 */
  lowSatisfaction: number;
  /** Recent pulses averaging this far below the client's baseline mean speak for THAWING. @default 1 */
  satisfactionDrop: number;
  /** A satisfaction pulse stops speaking after this many days. @default 90 */
  satisfactionWindowDays: number;
  /** An alternative-supplier signal stops speaking after this many days. @default 90 */
  alternativeWindowDays: number;
  /** A supplier's broken promise speaks for THAWING for this many days. @default 30 */
  brokenPromiseDays: number;
  /**
   * Accumulated evidence (Page's CUSUM over a bounded window; README "Churn stage"): the longest
   * window, in days, over which contacts' log-likelihood ratio is accumulated. Source: the churn
   * backtest (`pnpm bench:churn`, 200 per class, seed 2026): a slow drift's thaw phase lasts 30–60
   * days, and a 28-day window let its alarm lapse in a quiet spell (unbroken alarm 73 days before
   * the last order, below the points score's 78); 38 days keeps it on (78.7) while a repaired thaw
   * still reads STABLE within 21 days of the repair (median 18.3) and steady clients stay under 3%
   * of days flagged (2.8). Longer windows hold a steady client's chance cluster longer (42 days:
   * median 21.7 days back to STABLE, over the target). @default 38
   */
  evidenceWindowDays: number;
  /** The shift the contact evidence looks for: negative contacts and complaints at this multiple of the baseline rate … @default 5 */
  evidenceNegativeRatio: number;
  /** … and positive contacts at this share of it. @default 0.4 */
  evidencePositiveRatio: number;
  /** Satisfaction pulses join the contact evidence as Gaussian scores with this spread around the client's usual mean (shift: satisfactionDrop). @default 1 */
  evidencePulseSd: number;
  /** Contacts speak for THAWING when their log-likelihood ratio (natural log) reaches this; staying needs ln(stayFactor) less. @default 5 */
  evidenceThreshold: number;
  /** The shift the activity evidence looks for: order volume at this share of its expectation. @default 0.7 */
  evidenceActivityRatio: number;
  /** Volume's log-likelihood ratio reaching this, beside another signal, is falling activity (a signal and a source of ANTI). @default 3 */
  evidenceActivitySign: number;
  /**
   * Beside another signal, leaving against a repairable thaw is a sign of leaving (ANTI) when its
   * log-likelihood ratio reaches this: volume's (evidenceActivityRatio) plus satisfaction falling
   * deeper than a thaw's and complaints handled late (evidenceLeavingWindowDays,
   * evidenceLateShareLeaving/Thaw). Source: the churn backtest (`pnpm bench:churn`, README
   * "Churn stage", 200 per class, seeds 2026 and 2027: 1.6 puts repaired thaws into ANTI on 4.2
   * and 4.7% of their days (target ≤ 5) with a slow drift's first ANTI a median 55.5 and 55.3 days
   * before its last order (target ≥ 55); 1.5 on just over 5% on seed 2027). @default 1.6
   */
  evidenceAntiThreshold: number;
  /**
   * Staying in ANTI on the leaving evidence needs this much less of it (natural log). Source: the
   * churn backtest: with ln(stayFactor) a thaw that crossed the threshold once by chance stayed in
   * ANTI for weeks (seed 2026, pulses weighed 1.5 and 2.5 below the usual, threshold 1.5: ANTI
   * on 5.8% of thaw days with ln 5, 4.1 with 0, a slow drift's first ANTI 54 days before its last
   * order either way), while a client leaving keeps adding evidence; the stage keeps its hysteresis through the other signals' stay
   * thresholds. @default 0
   */
  evidenceLeavingStaySlack: number;
  /** Days over which pulses and complaints' handling are read for leaving against a thaw. @default 60 */
  evidenceLeavingWindowDays: number;
  /** Satisfaction pulses of a client leaving lie this far below its usual mean … @default 2 */
  evidenceLeavingPulseDrop: number;
  /** … and of a thaw that can be repaired this far (pulses with sd evidencePulseSd). @default 1 */
  evidenceThawPulseDrop: number;
  /** Share of complaints handled late (answered or resolved after the policy's time) when a client is leaving … @default 0.5 */
  evidenceLateShareLeaving: number;
  /** … and in a thaw that can be repaired. @default 0.25 */
  evidenceLateShareThaw: number;
  /** Staying in a stage tolerates probabilities this many times larger than entering it (hysteresis). @default 5 */
  stayFactor: number;
  /** Staying in an activity stage tolerates ratios this much higher than entering it. @default 0.1 */
  stayRatioMargin: number;
  /** Days of history the hysteresis looks back over (the stage is a pure function of asOf). @default 28 */
  memoryDays: number;
  /** A stage is announced (alerts) once it has held for this many days. @default 7 */
  dwellDays: number;
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
    baselineHalfLifeDays: 180,
    minBaselineDays: 60,
    minExpected: 5,
    contactWindowDays: 21,
    activityWindowDays: 28,
    maxWindowDays: 90,
    thawingProbability: 0.015,
    activityProbability: 0.002,
    activityScanWindows: 3,
    singleContactProbability: 0.002,
    repeatedComplaints: 4,
    switchingProbability: 0.001,
    lostProbability: 0.0001,
    thawingActivityRatio: 0.85,
    switchingActivityRatio: 0.5,
    switchingGaps: 3,
    switchingMinDays: 10,
    lostGaps: 4,
    lostMinDays: 29,
    maxGapShape: 12,
    negativePriorEvents: 1,
    negativePriorDays: 180,
    lowSatisfaction: 2,
    satisfactionDrop: 1,
    satisfactionWindowDays: 90,
    alternativeWindowDays: 90,
    brokenPromiseDays: 30,
    evidenceWindowDays: 38,
    evidenceNegativeRatio: 5,
    evidencePositiveRatio: 0.4,
    evidencePulseSd: 1,
    evidenceThreshold: 5,
    evidenceActivityRatio: 0.7,
    evidenceActivitySign: 3,
    evidenceAntiThreshold: 1.6,
    evidenceLeavingStaySlack: 0,
    evidenceLeavingWindowDays: 60,
    evidenceLeavingPulseDrop: 2,
    evidenceThawPulseDrop: 1,
    evidenceLateShareLeaving: 0.5,
    evidenceLateShareThaw: 0.25,
    stayFactor: 5,
    stayRatioMargin: 0.1,
    memoryDays: 28,
    dwellDays: 7,
  },
}) as Policy;

const nonNeg = z.number().finite().min(0);
const pos = z.number().finite().positive();
const ratio = z.number().finite().min(0).max(100);
/** Windows of the churn detector: whole days, 1 to 365. */
const days = z.number().int().min(1).max(365);
/** A one-sided tail probability. */
const prob = z.number().finite().gt(0).max(1);
const evidence = z.object({ r: nonNeg.max(10), s: nonNeg.max(10) }).strict();

/** A policy override as proposed in the ledger: any subset of the policy's numbers. */
export const policyOverrideSchema = z
  .object({
    // Relative weights, each at most 1,000 (percentages fit): larger ones overflow the weighted mean to NaN.
    weights: z
      .object({ reliability: nonNeg.max(1000), goalAttainment: nonNeg.max(1000), responsiveness: nonNeg.max(1000), transparency: nonNeg.max(1000) })
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
        baselineHalfLifeDays: pos.max(3650),
        minBaselineDays: nonNeg.max(3650),
        minExpected: nonNeg.max(1000),
        contactWindowDays: days,
        activityWindowDays: days,
        maxWindowDays: days,
        thawingProbability: prob,
        activityProbability: prob,
        activityScanWindows: z.number().int().min(1).max(12),
        singleContactProbability: prob,
        repeatedComplaints: z.number().int().min(1).max(1000),
        switchingProbability: prob,
        lostProbability: prob,
        thawingActivityRatio: nonNeg.max(10),
        switchingActivityRatio: nonNeg.max(10),
        switchingGaps: nonNeg.max(100),
        switchingMinDays: nonNeg.max(3650),
        lostGaps: nonNeg.max(100),
        lostMinDays: nonNeg.max(3650),
        maxGapShape: z.number().int().min(1).max(50),
        negativePriorEvents: nonNeg.max(1000),
        negativePriorDays: pos.max(3650),
        lowSatisfaction: z.number().finite().min(1).max(5),
        satisfactionDrop: nonNeg.max(5),
        satisfactionWindowDays: days,
        alternativeWindowDays: days,
        brokenPromiseDays: days,
        evidenceWindowDays: days,
        evidenceNegativeRatio: z.number().finite().gt(1).max(1000),
        evidencePositiveRatio: z.number().finite().gt(0).lt(1),
        evidencePulseSd: z.number().finite().gt(0).max(10),
        evidenceThreshold: nonNeg.max(1000),
        evidenceActivityRatio: z.number().finite().gt(0).lt(1),
        evidenceActivitySign: nonNeg.max(1000),
        evidenceAntiThreshold: nonNeg.max(1000),
        evidenceLeavingStaySlack: nonNeg.max(1000),
        evidenceLeavingWindowDays: days,
        evidenceLeavingPulseDrop: nonNeg.max(5),
        evidenceThawPulseDrop: nonNeg.max(5),
        evidenceLateShareLeaving: z.number().finite().gt(0).lt(1),
        evidenceLateShareThaw: z.number().finite().gt(0).lt(1),
        stayFactor: z.number().finite().min(1).max(1000),
        stayRatioMargin: nonNeg.max(10),
        memoryDays: z.number().int().min(0).max(365),
        dwellDays: z.number().int().min(0).max(365),
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
    const c = { ...DEFAULT_POLICY.churn, ...p.churn };
    if (c.contactWindowDays > c.maxWindowDays || c.activityWindowDays > c.maxWindowDays)
      ctx.addIssue({ code: 'custom', path: ['churn', 'maxWindowDays'], message: 'the contact and activity windows must not be longer than maxWindowDays' });
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
