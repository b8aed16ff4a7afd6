/**
 * The scorecard engine (DESIGN §3): a pure, deterministic function of ledger entries, asOf and
 * policy, computed in full (computeScorecard, scorecardSeries) or incrementally from a small
 * per-relationship state (initialState, applyEntry, foldLedger, scorecardFromState).
 */
export { computeScorecard, type ScorecardOptions, scorecardFromState, scorecardSeries, type SeriesOptions } from './scorecard.ts';
export { absorbEntry, applyEntry, foldLedger, initialState, needsRebuild, policyAt, REBUILD_TYPES, type ScoreState, type SideAcc } from './state.ts';
export { attainment } from './goals.ts';
export { type Dispute, disputesOf } from './disputes.ts';
export { windowEnd } from './standing.ts';
export { bandOf } from './party.ts';
export { RISE_RATIO } from './churn.ts';
export { TOP_K } from './drivers.ts';
export type { ChurnAssessment, ChurnMeasure, ChurnSignal, Dimension, Driver, EvidenceStanding, PartyScore, Scorecard, Stake } from './types.ts';
