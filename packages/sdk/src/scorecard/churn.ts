import { type ChurnStage, DAY_MS, type Policy } from '@trustledger/schema';
import { addDecayed, addPair, type DecayedPair, type DecayedSum, emptyPair, emptySum, halfLifeMs, sumAt } from './decay.ts';
import type { ChurnAssessment, ChurnMeasure } from './types.ts';

/** A signal's decayed sums with the short and the baseline half-life. */
export interface RateAcc {
  s: DecayedSum;
  l: DecayedSum;
  n: number;
}

/** The client's churn signals as the state keeps them (DESIGN §3 "Churn stage"). */
export interface ChurnAcc {
  positive: RateAcc;
  negative: RateAcc;
  activity: RateAcc;
  alternative: RateAcc;
  /** Pairs (Σ w·score, Σ w) for the short and the baseline half-life. */
  satisfaction: { s: DecayedPair; l: DecayedPair; n: number };
  lastAlternative: number | null;
  /** Times of the supplier's broken promises that can still fall in the window. */
  broken: number[];
  ended: boolean;
  lastSupplierHandover: number | null;
}

/**
 * Ratio reported when the baseline is zero but the short-term rate is not (a rise from nothing):
 * JSON has no Infinity, so a large finite number stands for it.
 */
export const RISE_RATIO = 999;

const emptyRate = (): RateAcc => ({ s: emptySum(), l: emptySum(), n: 0 });

/** Empty churn signals. */
export const emptyChurn = (): ChurnAcc => ({
  positive: emptyRate(),
  negative: emptyRate(),
  activity: emptyRate(),
  alternative: emptyRate(),
  satisfaction: { s: emptyPair(), l: emptyPair(), n: 0 },
  lastAlternative: null,
  broken: [],
  ended: false,
  lastSupplierHandover: null,
});

/** Adds an event of weight x at `at` to a signal (in place). */
export function addRate(acc: RateAcc, x: number, at: number, policy: Policy): void {
  addDecayed(acc.s, x, at, halfLifeMs(policy.churn.shortHalfLifeDays));
  addDecayed(acc.l, x, at, halfLifeMs(policy.churn.baselineDays));
  acc.n++;
}

/** Adds a satisfaction pulse (1–5) at `at` (in place). */
export function addSatisfaction(c: ChurnAcc, score: number, at: number, policy: Policy): void {
  addPair(c.satisfaction.s, score, 1, at, halfLifeMs(policy.churn.shortHalfLifeDays));
  addPair(c.satisfaction.l, score, 1, at, halfLifeMs(policy.churn.baselineDays));
  c.satisfaction.n++;
}

/** Records a supplier's broken promise at `at`, forgetting those that can no longer fall in any window ending at or after `latest`. */
export function addBroken(c: ChurnAcc, at: number, latest: number, policy: Policy): void {
  c.broken.push(at);
  const from = latest - policy.churn.brokenPromiseDays * DAY_MS;
  c.broken = c.broken.filter((t) => t >= from);
}

/** What the assessment needs beyond the churn signals: facts about open promises and complaints at asOf. */
export interface ChurnContext {
  /** Earliest occurredAt of the ledger: start of the observed span. */
  start: number | null;
  /** Times the supplier's promises counted as broken (settled and lapsed). */
  brokenTimes: number[];
  openRescheduledSupplierPromise: boolean;
  openComplaintsAgainstSupplier: number;
}

const ratioOf = (short: number, base: number): number => (base > 0 ? short / base : short > 0 ? RISE_RATIO : 1);

/**
 * Short-term rate against baseline (DESIGN §3 "Churn stage"): each decayed sum is divided by the
 * weight of the span actually observed, ∫ 2^(−(asOf−u)/h) du over [start, asOf] =
 * h/ln2 · (1 − 2^(−span/h)), so a steady rate reads as ratio 1 however young the relationship.
 * Rates are per day.
 */
function rates(acc: RateAcc, asOf: number, spanDays: number, policy: Policy): { shortRate: number; baseline: number; ratio: number } {
  const { shortHalfLifeDays: hs, baselineDays: hl } = policy.churn;
  const ws = spanDays > 0 ? (hs / Math.LN2) * (1 - 2 ** (-spanDays / hs)) : 0;
  const wl = spanDays > 0 ? (hl / Math.LN2) * (1 - 2 ** (-spanDays / hl)) : 0;
  const shortRate = ws > 0 ? sumAt(acc.s, asOf, halfLifeMs(hs)) / ws : 0;
  const baseline = wl > 0 ? sumAt(acc.l, asOf, halfLifeMs(hl)) / wl : 0;
  return { shortRate, baseline, ratio: ratioOf(shortRate, baseline) };
}

const ACTIONS: Record<ChurnStage, string[]> = {
  STABLE: ['Keep in regular contact and ask for satisfaction at the end of each interaction'],
  THAWING: [
    'Reach out now: the relationship can still be repaired',
    'Arrange a face-to-face meeting to hear what has gone wrong',
    'Ask for satisfaction at the end of each interaction, not only in surveys',
  ],
  ANTI: [
    'Escalate to senior management: the client is deciding to leave',
    'Meet face to face and listen: every small incident now weighs heavily',
    'Answer every complaint fast and resolve it completely',
  ],
  SWITCHING: [
    'Escalate now: most of the activity is moving to an alternative supplier',
    'Meet face to face with a concrete offer to win back the volume',
    'Settle every open complaint and promise before asking for more business',
  ],
  LOST: [
    'Hold an exit review face to face to learn what drove the decision',
    'Keep the door open: stay in touch without pressure',
    'Check your other clients for the same early signals',
  ],
};

/** The churn stage at asOf: the first rule that holds from the top (DESIGN §3, policy.churn). */
export function assessChurn(c: ChurnAcc, asOf: number, ctx: ChurnContext, policy: Policy): ChurnAssessment {
  const p = policy.churn;
  const spanDays = ctx.start === null ? 0 : Math.max(0, asOf - ctx.start) / DAY_MS;
  const pos = rates(c.positive, asOf, spanDays, policy);
  const neg = rates(c.negative, asOf, spanDays, policy);
  const act = rates(c.activity, asOf, spanDays, policy);
  const alt = rates(c.alternative, asOf, spanDays, policy);
  const satShort = c.satisfaction.s.b > 0 ? c.satisfaction.s.a / c.satisfaction.s.b : 0;
  const satLong = c.satisfaction.l.b > 0 ? c.satisfaction.l.a / c.satisfaction.l.b : 0;
  const hasPositive = c.positive.n > 0 && pos.baseline > 0;
  const hasActivity = c.activity.n > 0 && act.baseline > 0;
  const hasSatisfaction = c.satisfaction.n > 0;
  const altRecent = c.lastAlternative !== null && asOf - c.lastAlternative <= p.alternativeWindowDays * DAY_MS;
  const brokenFrom = asOf - p.brokenPromiseDays * DAY_MS;
  const broken = ctx.brokenTimes.filter((t) => t >= brokenFrom && t <= asOf).length;

  const lostActivity = hasActivity && act.ratio < p.lostActivityRatio;
  const switchingActivity = hasActivity && (act.ratio < p.switchingActivityRatio || (altRecent && act.ratio < p.alternativeActivityRatio));
  const antiNegative = neg.ratio >= p.antiNegativeRatio;
  const antiSatisfaction = hasSatisfaction && satShort < p.antiSatisfaction;
  const satisfactionDrop = hasSatisfaction && satLong - satShort >= p.thawingSatisfactionDrop;
  const thawing = {
    positive: hasPositive && pos.ratio < p.thawingPositiveRatio,
    negative: neg.ratio > p.thawingNegativeRatio,
    satisfaction: satisfactionDrop,
    activity: hasActivity && act.ratio < p.thawingActivityRatio,
    broken: broken > 0,
  };
  const stage: ChurnStage =
    c.ended || lostActivity
      ? 'LOST'
      : switchingActivity
        ? 'SWITCHING'
        : antiNegative || antiSatisfaction
          ? 'ANTI'
          : thawing.positive || thawing.negative || thawing.satisfaction || thawing.activity || thawing.broken
            ? 'THAWING'
            : 'STABLE';

  const measures: ChurnMeasure[] = [
    { name: 'relationshipEnded', shortRate: c.ended ? 1 : 0, baseline: 0, ratio: c.ended ? 1 : 0, fired: c.ended },
    { name: 'activity', ...act, fired: lostActivity || switchingActivity || thawing.activity },
    { name: 'alternativeSupplier', ...alt, fired: altRecent },
    { name: 'negativeContacts', ...neg, fired: antiNegative || thawing.negative },
    {
      name: 'satisfaction',
      shortRate: satShort,
      baseline: satLong,
      ratio: hasSatisfaction && satLong > 0 ? satShort / satLong : 1,
      fired: antiSatisfaction || satisfactionDrop,
    },
    { name: 'positiveContacts', ...pos, fired: thawing.positive },
    { name: 'brokenPromises', shortRate: broken, baseline: 0, ratio: broken, fired: thawing.broken },
  ];

  const actions = [...ACTIONS[stage]];
  if (stage !== 'STABLE' && stage !== 'LOST') {
    if (ctx.openRescheduledSupplierPromise)
      actions.push('Keep the renewed date of the rescheduled promise: missing it again is a severe breach');
    if (broken > 0) actions.push('Own the broken promise: explain, apologise and agree a date you can keep');
    if (ctx.openComplaintsAgainstSupplier > 0)
      actions.push(`Answer the open complaints within ${policy.firstResponseHours} hours: response speed matters most`);
    if (c.lastSupplierHandover !== null && asOf - c.lastSupplierHandover <= p.alternativeWindowDays * DAY_MS)
      actions.push('Hand over with continuity: introduce the new representative in person and brief them on open issues');
  }
  return {
    stage,
    repairWindow: stage === 'THAWING',
    signals: measures.filter((m) => m.fired).map(({ fired: _fired, ...s }) => s),
    actions,
    measures,
  };
}
