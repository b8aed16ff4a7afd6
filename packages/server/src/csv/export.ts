import type { Side } from '@trustledger/schema';
import { stringify } from 'csv-stringify/sync';
import type { Store } from '../store/index.ts';
import { globalIdOf } from '../graphql/ids.ts';
import { reviewItems } from '../scorecard/review.ts';
import { spreadsheetSafe, UTF8_BOM } from './text.ts';

/** Columns of `export review`, one row per counterparty. */
export const REVIEW_COLUMNS = [
  'counterparty',
  'counterparty_id',
  'relationship_id',
  'status',
  'band',
  'trust_score',
  'confidence',
  'reliability',
  'transparency',
  'responsiveness',
  'goal_attainment',
  'churn_stage',
  'open_promises',
  'overdue_promises',
] as const;

export type ReviewRow = Record<(typeof REVIEW_COLUMNS)[number], string | number | null>;

const round = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? null : Number(v.toFixed(digits)));

/**
 * A firm's review of its counterparties at `asOf`: `as: 'CLIENT'` reviews its suppliers,
 * `as: 'SUPPLIER'` its clients. Each row is the counterparty's side of the shared scorecard, the
 * relationship's churn stage, and the counterparty's open and overdue promises. Sorted as the
 * API's review: lowest trust score first, unrated last.
 */
export async function reviewRows(store: Store, firmId: string, as: Side, asOf: string): Promise<ReviewRow[]> {
  const items = await reviewItems(store, firmId, as, asOf);
  const names = new Map((await store.firmsByIds([...new Set(items.map((i) => i.counterpartyId))])).map((f) => [f.id, f.name]));
  return items.map(({ rel, counterpartyId, card, score, open, overdue }) => ({
    counterparty: names.get(counterpartyId) ?? counterpartyId,
    counterparty_id: globalIdOf('Firm', counterpartyId),
    relationship_id: globalIdOf('Relationship', rel.id),
    status: rel.status,
    band: score.band,
    trust_score: round(score.trustScore, 1),
    confidence: round(score.confidence, 2),
    reliability: round(score.reliability.score, 1),
    transparency: round(score.transparency.score, 1),
    responsiveness: round(score.responsiveness.score, 1),
    goal_attainment: round(score.goalAttainment.score, 1),
    churn_stage: card.churn.stage,
    open_promises: open,
    overdue_promises: overdue,
  }));
}

/**
 * The review as CSV text with a header row; empty cells where a figure has no evidence. Text
 * cells that a spreadsheet would run as a formula are written as text (spreadsheetSafe), and the
 * text starts with a UTF-8 byte-order mark, without which Excel misreads accents, unless
 * `bom: false`.
 */
export const reviewCsv = (rows: ReviewRow[], options: { bom?: boolean } = {}): string =>
  (options.bom === false ? '' : UTF8_BOM) +
  stringify(
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, spreadsheetSafe(v)]))),
    { header: true, columns: [...REVIEW_COLUMNS] },
  );
