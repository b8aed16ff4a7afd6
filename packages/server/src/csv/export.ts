import type { Side } from '@trustledger/schema';
import { stringify } from 'csv-stringify/sync';
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { globalIdOf } from '../graphql/ids.ts';
import { scorecardOf } from '../scoring/state.ts';

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

/** The scorecard figures the review reads (DESIGN §3). */
interface Dimension {
  score: number | null;
}
interface PartyScore {
  trustScore: number | null;
  band: string;
  confidence: number;
  reliability: Dimension;
  transparency: Dimension;
  responsiveness: Dimension;
  goalAttainment: Dimension;
}
interface Card {
  supplier: PartyScore;
  client: PartyScore;
  churn: { stage: string };
}

export type ReviewRow = Record<(typeof REVIEW_COLUMNS)[number], string | number | null>;

const round = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? null : Number(v.toFixed(digits)));

/**
 * A firm's review of its counterparties at `asOf`: `as: 'CLIENT'` reviews its suppliers,
 * `as: 'SUPPLIER'` its clients. Each row is the counterparty's side of the shared scorecard, the
 * relationship's churn stage, and the counterparty's open and overdue promises. Sorted as the
 * API's review: lowest trust score first, unrated last.
 */
export function reviewRows(db: Db, firmId: string, as: Side, asOf: string): ReviewRow[] {
  const own = as === 'SUPPLIER' ? t.relationships.supplierId : t.relationships.clientId;
  const rels = db
    .select()
    .from(t.relationships)
    .where(and(eq(own, firmId), ne(t.relationships.status, 'PROPOSED')))
    .orderBy(t.relationships.id)
    .all();
  const counterpartySide = as === 'SUPPLIER' ? 'client' : 'supplier';
  const promisor: Side = as === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER';
  const rows = rels.map((rel) => {
    const counterpartyId = as === 'SUPPLIER' ? rel.clientId : rel.supplierId;
    const counterparty = db.select().from(t.firms).where(eq(t.firms.id, counterpartyId)).get();
    const card = scorecardOf(db, rel, asOf) as Card;
    const score = card[counterpartySide];
    const open = db
      .select({ dueAt: t.promises.dueAt })
      .from(t.promises)
      .where(and(eq(t.promises.relationshipId, rel.id), eq(t.promises.state, 'OPEN'), eq(t.promises.voided, false), eq(t.promises.promisor, promisor)))
      .all();
    return {
      counterparty: counterparty?.name ?? counterpartyId,
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
      open_promises: open.length,
      overdue_promises: open.filter((p) => p.dueAt < asOf).length,
    };
  });
  return rows.sort((a, b) => {
    const [x, y] = [a.trust_score, b.trust_score];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x - y;
  });
}

/** The review as CSV text with a header row; empty cells where a figure has no evidence. */
export const reviewCsv = (rows: ReviewRow[]): string => stringify(rows, { header: true, columns: [...REVIEW_COLUMNS] });
