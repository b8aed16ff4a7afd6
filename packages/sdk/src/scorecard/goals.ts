import type { LedgerEntry, MetricDefinition, Side } from '@trustledger/schema';
import { noScore, type HalfLives, type Scored } from './beta.ts';
import { addDecayed, type DecayedSum, decayed, emptySum, sumAt } from './decay.ts';
import { type Candidate, candidate, offer, snippet, topDrivers } from './drivers.ts';
import type { ScoreState } from './state.ts';
import type { Dimension, Driver } from './types.ts';

/**
 * A goal's status as far as the scorecard cares: agreed goals count; a goal rejected, or withdrawn
 * while proposed, is dropped; an agreed goal retired keeps the evidence of its measurements
 * (RETIRED: they happened, and fade like all evidence) and takes no more (DESIGN §2a: retiring it
 * alone must not erase a record either side was judged by).
 */
export type GoalStanding = 'PROPOSED' | 'AGREED' | 'RETIRED';

/**
 * One metric's decayed attainment as Beta evidence: pos = Σ attainment (positive half-life),
 * neg = Σ (1 − attainment) (negative half-life), so it fades like the other dimensions.
 */
export interface MetricAcc {
  goalSeq: number;
  name: string;
  unit: string;
  side: Side;
  direction: MetricDefinition['direction'];
  target: number;
  baseline: number | null;
  pos: DecayedSum;
  neg: DecayedSum;
  /** Measurements counted. */
  n: number;
  /** Top driver candidates, effect w·(2·attainment − 1). */
  top: Candidate[];
}

/** The key of a metric: its GOAL_PROPOSED (or METRIC_ADDED) seq and its index there. */
export const metricKey = (seq: number, index: number): string => `${seq}:${index}`;

const newMetric = (goalSeq: number, m: MetricDefinition): MetricAcc => ({
  goalSeq,
  name: snippet(m.name, 60),
  unit: m.unit,
  side: m.accountable,
  direction: m.direction,
  target: m.target,
  baseline: m.baseline ?? null,
  pos: emptySum(),
  neg: emptySum(),
  n: 0,
  top: [],
});

/**
 * Attainment of a value in [0, 1] (DESIGN §3 "Goal attainment"): linear from the baseline (or 0)
 * to the target. Lower-is-better mirrors it: without a baseline the implicit one is 2·target (the
 * mirror of 0 about the target). When that implicit range is empty (target ≤ 0), it is a step.
 */
export function attainment(m: Pick<MetricAcc, 'direction' | 'target' | 'baseline'>, value: number): number {
  let a: number;
  if (m.direction === 'HIGHER_IS_BETTER') {
    const base = m.baseline ?? 0;
    a = m.target > base ? (value - base) / (m.target - base) : value >= m.target ? 1 : 0;
  } else {
    const base = m.baseline ?? 2 * m.target;
    a = base > m.target ? (base - value) / (base - m.target) : value <= m.target ? 1 : 0;
  }
  return Math.min(1, Math.max(0, a));
}

/** GOAL_PROPOSED: the goal and its metrics (in place). */
export function onGoalProposed(state: ScoreState, e: LedgerEntry<'GOAL_PROPOSED'>): void {
  state.goals[String(e.seq)] = 'PROPOSED';
  (e.payload.metrics ?? []).forEach((m, i) => {
    state.metrics[metricKey(e.seq, i)] = newMetric(e.seq, m);
  });
}

/** METRIC_ADDED: one more metric of a known goal. */
export function onMetricAdded(state: ScoreState, e: LedgerEntry<'METRIC_ADDED'>): void {
  if (state.goals[String(e.payload.goalSeq)] === undefined) return;
  state.metrics[metricKey(e.seq, 0)] = newMetric(e.payload.goalSeq, e.payload.metric);
}

/** GOAL_ACCEPTED / GOAL_REJECTED / GOAL_RETIRED: agreed goals count; rejected and withdrawn ones are dropped; an agreed one retired keeps its evidence and takes no more. */
export function onGoalStatus(state: ScoreState, goalSeq: number, type: 'GOAL_ACCEPTED' | 'GOAL_REJECTED' | 'GOAL_RETIRED'): void {
  const key = String(goalSeq);
  if (state.goals[key] === undefined) return;
  if (type === 'GOAL_ACCEPTED') {
    if (state.goals[key] === 'PROPOSED') state.goals[key] = 'AGREED';
    return;
  }
  if (type === 'GOAL_RETIRED' && state.goals[key] !== 'PROPOSED') {
    state.goals[key] = 'RETIRED';
    return;
  }
  delete state.goals[key];
  for (const k of Object.keys(state.metrics)) if (state.metrics[k].goalSeq === goalSeq) delete state.metrics[k];
}

/**
 * MEASUREMENT_RECORDED: adds the measurement's attainment to its metric (in place). `hold` is
 * given when the measurement is claimed or disputed (DESIGN §2a): it is handed the evidence to
 * hold back by time instead of adding it.
 */
export function onMeasurement(
  state: ScoreState,
  e: LedgerEntry<'MEASUREMENT_RECORDED'>,
  at: number,
  h: HalfLives,
  hold?: (side: Side, metric: { key: string; a: number; at: number; seq: number; reason: string }) => void,
): void {
  const key = metricKey(e.payload.metricSeq, e.payload.metricIndex);
  const m = state.metrics[key];
  if (!m || state.goals[String(m.goalSeq)] === 'RETIRED') return;
  const a = attainment(m, e.payload.value);
  const unit = m.unit ? ` ${m.unit}` : '';
  const reason = `${m.name}: ${e.payload.value}${unit} against a target of ${m.target}${unit} (${Math.round(a * 100)}% attained)`;
  if (hold) {
    hold(m.side, { key, a, at, seq: e.seq, reason });
    return;
  }
  addDecayed(m.pos, a, at, h.hp);
  addDecayed(m.neg, 1 - a, at, h.hn);
  m.n++;
  offer(m.top, candidate(e.seq, 2 * a - 1, at, h.hp, reason));
}

const byKey = (a: string, b: string): number => {
  const [as, ai] = a.split(':').map(Number);
  const [bs, bi] = b.split(':').map(Number);
  return as - bs || ai - bi;
};

/**
 * Goal attainment of one side at asOf (DESIGN §3): per metric, the Beta score of its decayed
 * attainment, (Σa + 1)/(Σa + Σ(1 − a) + 2), then the mean over metrics with measurements, so a
 * measurement fades like a promise does. positive/negative = decayed Σ attainment and
 * Σ (1 − attainment); uncertainty 2/(positive + negative + 2). NOT_APPLICABLE without an agreed
 * metric the side is accountable for; UNKNOWN when none of them was measured; FADED when the
 * decayed measurements fall below policy.evidence.faded.
 */
export function goalDimension(state: Pick<ScoreState, 'goals' | 'metrics'>, side: Side, asOf: number, h: HalfLives, faded: number): Scored {
  let mean = 0;
  let prior = 0;
  let metrics = 0;
  let agreed = 0;
  let positive = 0;
  let negative = 0;
  let evidence = 0;
  const drivers: Driver[] = [];
  for (const key of Object.keys(state.metrics).sort(byKey)) {
    const m = state.metrics[key];
    const standing = state.goals[String(m.goalSeq)];
    // A retired goal speaks only through the measurements it had.
    if (m.side !== side || (standing !== 'AGREED' && standing !== 'RETIRED') || (standing === 'RETIRED' && m.n === 0)) continue;
    agreed++;
    if (m.n === 0) continue;
    const p = sumAt(m.pos, asOf, h.hp);
    const n = sumAt(m.neg, asOf, h.hn);
    mean += (p + 1) / (p + n + 2);
    prior += 2 / (p + n + 2);
    metrics++;
    positive += p;
    negative += n;
    evidence += m.n;
    for (const c of m.top) drivers.push({ entrySeq: c.seq, effect: decayed(c.w, c.t, asOf, h.hp), reason: c.reason, stake: null, standing: c.standing ?? null });
  }
  if (metrics === 0) return { dim: noScore(agreed > 0 ? 'UNKNOWN' : 'NOT_APPLICABLE'), mass: 0, prior: 1, items: 0 };
  const mass = positive + negative;
  const isFaded = mass < faded;
  return {
    dim: {
      score: isFaded ? null : (mean / metrics) * 100,
      status: isFaded ? 'FADED' : 'SCORED',
      uncertainty: 2 / (mass + 2),
      positive,
      negative,
      evidence,
      drivers: topDrivers(drivers),
    },
    mass,
    prior: prior / metrics,
    items: evidence,
  };
}
