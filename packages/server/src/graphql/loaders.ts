import DataLoader from 'dataloader';
import { and, asc, eq, getTableColumns, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { parseEntityId } from '../ids.ts';
import { pagedLoader } from './pagination.ts';
import type { Viewer } from './context.ts';

export type FirmRow = typeof t.firms.$inferSelect;
export type RelationshipRow = typeof t.relationships.$inferSelect;
export type EntryRow = typeof t.entries.$inferSelect;
export type GoalRow = typeof t.goals.$inferSelect;
export type MetricRow = typeof t.metrics.$inferSelect;
export type MeasurementRow = typeof t.measurements.$inferSelect;
export type PromiseRow = typeof t.promises.$inferSelect;
export type InteractionRow = typeof t.interactions.$inferSelect;
export type RepresentativeRow = typeof t.representatives.$inferSelect;

/**
 * Keys per DataLoader batch: each batch is one SQL statement with up to two parameters per key,
 * kept far below SQLite's limit of 32,766 bound variables (SQLITE_MAX_VARIABLE_NUMBER); a larger
 * request is answered in several statements.
 */
export const MAX_BATCH = 500;
const BATCH = { maxBatchSize: MAX_BATCH } as const;

type SeqTable = SQLiteTable & { relationshipId: SQLiteColumn; seq: SQLiteColumn };

/** Loads rows keyed by `rel:seq` in one statement per batch. */
function bySeq<Row extends { relationshipId: string; seq: number }>(db: Db, table: SeqTable) {
  return new DataLoader<string, Row | null>(async (ids) => {
    const keys = ids.map(parseEntityId);
    const rels = [...new Set(keys.flatMap((k) => (k ? [k.relationshipId] : [])))];
    const seqs = [...new Set(keys.flatMap((k) => (k ? [k.seq] : [])))];
    if (rels.length === 0) return ids.map(() => null);
    const rows = db
      .select()
      .from(table)
      .where(and(inArray(table.relationshipId, rels), inArray(table.seq, seqs)))
      .all() as unknown as Row[];
    const map = new Map(rows.map((r) => [`${r.relationshipId}:${r.seq}`, r]));
    return keys.map((k) => (k ? (map.get(`${k.relationshipId}:${k.seq}`) ?? null) : null));
  }, BATCH);
}

/** Loads the rows of `table` for many parents in one statement, grouped by the parent key. */
function groupLoader<Row>(fetch: (keys: readonly string[]) => Row[], keyOf: (row: Row) => string) {
  return new DataLoader<string, Row[]>(async (keys) => {
    const rows = fetch(keys);
    const map = new Map<string, Row[]>();
    for (const r of rows) map.set(keyOf(r), [...(map.get(keyOf(r)) ?? []), r]);
    return keys.map((k) => map.get(k) ?? []);
  }, BATCH);
}

/**
 * One page per parent for a ledger-backed table, ordered by seq: a window function partitioned
 * by the parent, so one statement serves every parent of a request.
 */
function seqPages<Row>(db: Db, table: SeqTable, filter: (args: Record<string, unknown>) => SQL | undefined) {
  return pagedLoader<Row, Record<string, unknown>>((parents, args, limit, after) => {
    const ranked = db
      .select({
        ...getTableColumns(table),
        rn: sql<number>`row_number() over (partition by ${table.relationshipId} order by ${table.seq})`.as('rn'),
      })
      .from(table)
      .where(and(inArray(table.relationshipId, parents), gt(table.seq, after), filter(args)))
      .as('ranked');
    const rows = db.select().from(ranked).where(lte(ranked.rn, limit)).orderBy(sql`relationship_id`, sql`seq`).all();
    return (rows as unknown as (Row & { relationshipId: string })[]).map((r) => ({ ...r, parentKey: r.relationshipId }));
  });
}

export function createLoaders(db: Db, viewer: Viewer | null) {
  const firmId = viewer?.firmId ?? '';
  return {
    /** Relationships the viewer is party to; null for any other id, exactly as for unknown ids. */
    relationship: new DataLoader<string, RelationshipRow | null>(async (ids) => {
      if (!viewer) return ids.map(() => null);
      const rows = db
        .select()
        .from(t.relationships)
        .where(and(inArray(t.relationships.id, [...ids]), or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId))))
        .all();
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }, BATCH),
    firm: new DataLoader<string, FirmRow | null>(async (ids) => {
      const rows = db.select().from(t.firms).where(inArray(t.firms.id, [...ids])).all();
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }, BATCH),
    entry: bySeq<EntryRow>(db, t.entries),
    goal: bySeq<GoalRow>(db, t.goals),
    promise: bySeq<PromiseRow>(db, t.promises),
    interaction: bySeq<InteractionRow>(db, t.interactions),
    measurement: bySeq<MeasurementRow>(db, t.measurements),
    policyProposal: bySeq<typeof t.policies.$inferSelect>(db, t.policies),
    metric: new DataLoader<string, MetricRow | null>(async (ids) => {
      const keys = ids.map(parseEntityId);
      const rels = [...new Set(keys.flatMap((k) => (k ? [k.relationshipId] : [])))];
      if (rels.length === 0) return ids.map(() => null);
      const rows = db
        .select()
        .from(t.metrics)
        .where(and(inArray(t.metrics.relationshipId, rels), inArray(t.metrics.seq, keys.flatMap((k) => (k ? [k.seq] : [])))))
        .all();
      const map = new Map(rows.map((r) => [`${r.relationshipId}:${r.seq}:${r.idx}`, r]));
      return keys.map((k) => (k ? (map.get(`${k.relationshipId}:${k.seq}:${k.idx}`) ?? null) : null));
    }, BATCH),
    /** Metrics of goals keyed by `rel:goalSeq`. */
    metricsOfGoal: groupLoader(
      (keys) => {
        const parsed = keys.map(parseEntityId).filter((k) => k !== null);
        if (parsed.length === 0) return [];
        return db
          .select()
          .from(t.metrics)
          .where(
            and(
              inArray(t.metrics.relationshipId, [...new Set(parsed.map((k) => k.relationshipId))]),
              inArray(t.metrics.goalSeq, parsed.map((k) => k.seq)),
              eq(t.metrics.voided, false),
            ),
          )
          .orderBy(asc(t.metrics.seq), asc(t.metrics.idx))
          .all();
      },
      (r) => `${r.relationshipId}:${r.goalSeq}`,
    ),
    /** Policy proposals of relationships, in ledger order. */
    policiesOf: groupLoader(
      (keys) => db.select().from(t.policies).where(inArray(t.policies.relationshipId, [...keys])).orderBy(asc(t.policies.seq)).all(),
      (r) => r.relationshipId,
    ),
    /** Firms the viewer may see: itself and its counterparties (one query per request). */
    visibleFirm: new DataLoader<string, boolean>(async (ids) => {
      if (!viewer) return ids.map(() => false);
      const rows = db
        .select({ s: t.relationships.supplierId, c: t.relationships.clientId })
        .from(t.relationships)
        .where(or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId)))
        .all();
      const visible = new Set([firmId, ...rows.flatMap((r) => [r.s, r.c])]);
      return ids.map((id) => visible.has(id));
    }, BATCH),
    representatives: groupLoader(
      (keys) => db.select().from(t.representatives).where(inArray(t.representatives.relationshipId, [...keys])).orderBy(asc(t.representatives.side)).all(),
      (r) => r.relationshipId,
    ),
    /** The entries about a promise or complaint (keyed `rel:seq`): the one that made it and those that refer to it. */
    history: groupLoader(
      (keys) => {
        const parsed = keys.map(parseEntityId).filter((k) => k !== null);
        if (parsed.length === 0) return [];
        const seqs = parsed.map((k) => k.seq);
        const rels = inArray(t.entries.relationshipId, [...new Set(parsed.map((k) => k.relationshipId))]);
        // Two index look-ups: the entries themselves, and those that refer to them.
        const own = db.select().from(t.entries).where(and(rels, inArray(t.entries.seq, seqs))).all();
        const refs = db.select().from(t.entries).where(and(rels, inArray(t.entries.subjectSeq, seqs))).all();
        return [...new Map([...own, ...refs].map((e) => [`${e.relationshipId}:${e.seq}`, e])).values()]
          .sort((a, b) => a.seq - b.seq)
          .flatMap((e) => {
            // An entry belongs to its own history and to its subject's.
            const own = `${e.relationshipId}:${e.seq}`;
            const subject = e.subjectSeq === null ? null : `${e.relationshipId}:${e.subjectSeq}`;
            return [{ ...e, historyKey: own }, ...(subject ? [{ ...e, historyKey: subject }] : [])];
          })
          .filter((e) => keys.includes(e.historyKey));
      },
      (r) => r.historyKey,
    ),
    goalsPage: seqPages<GoalRow>(db, t.goals, (a) =>
      and(eq(t.goals.voided, false), a.status ? eq(t.goals.status, a.status as GoalRow['status']) : undefined),
    ),
    promisesPage: seqPages<PromiseRow>(db, t.promises, (a) =>
      and(
        eq(t.promises.voided, false),
        a.promisor ? eq(t.promises.promisor, a.promisor as PromiseRow['promisor']) : undefined,
        a.state ? eq(t.promises.state, a.state as PromiseRow['state']) : undefined,
        a.outcome ? eq(t.promises.outcome, a.outcome as string) : undefined,
        a.overdue === true ? and(eq(t.promises.state, 'OPEN'), sql`${t.promises.dueAt} < ${a.now as string}`) : undefined,
        a.overdue === false ? or(sql`${t.promises.state} <> 'OPEN'`, sql`${t.promises.dueAt} >= ${a.now as string}`) : undefined,
      ),
    ),
    interactionsPage: seqPages<InteractionRow>(db, t.interactions, (a) =>
      and(eq(t.interactions.voided, false), Array.isArray(a.kinds) && a.kinds.length > 0 ? inArray(t.interactions.kind, a.kinds as string[]) : undefined),
    ),
    ledgerPage: seqPages<EntryRow>(db, t.entries, () => undefined),
    /** Measurements of metrics keyed `rel:seq:idx`, one page each. */
    measurementsPage: pagedLoader<MeasurementRow, Record<string, unknown>>((parents, _args, limit, after) => {
      const keys = parents.map(parseEntityId).filter((k) => k !== null);
      if (keys.length === 0) return [];
      const m = t.measurements;
      const ranked = db
        .select({
          ...getTableColumns(m),
          rn: sql<number>`row_number() over (partition by ${m.relationshipId}, ${m.metricSeq}, ${m.metricIdx} order by ${m.seq})`.as('rn'),
        })
        .from(m)
        .where(
          and(
            inArray(m.relationshipId, [...new Set(keys.map((k) => k.relationshipId))]),
            inArray(m.metricSeq, keys.map((k) => k.seq)),
            gt(m.seq, after),
            eq(m.voided, false),
          ),
        )
        .as('ranked');
      return db
        .select()
        .from(ranked)
        .where(lte(ranked.rn, limit))
        .orderBy(asc(ranked.seq))
        .all()
        .map((r) => ({ ...(r as unknown as MeasurementRow), parentKey: `${r.relationshipId}:${r.metricSeq}:${r.metricIdx}` }))
        .filter((r) => parents.includes(r.parentKey));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
