// TEMPORARY stub until the engine lands
export type ScoreState = Record<string, unknown>;
export type Scorecard = any;
export const initialState = (): ScoreState => ({});
export const applyEntry = (state: ScoreState, _e: unknown) => ({ state, rebuild: false });
export const foldLedger = (_e: unknown[]): ScoreState => ({});
export const scorecardFromState = (_s: ScoreState, _a: string): Scorecard | null => null;
export const computeScorecard = (_e: unknown[], _o: unknown): Scorecard => { throw new Error('engine missing'); };
export const scorecardSeries = (_e: unknown[], _p: string[]): Scorecard[] => { throw new Error('engine missing'); };
