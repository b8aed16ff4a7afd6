import DataLoader from 'dataloader';
import { parseEntityId } from '../ids.ts';
import type {
  EntryRow,
  FirmRow,
  GoalRow,
  InteractionRow,
  MeasurementRow,
  MetricRow,
  PagedTable,
  PageFilter,
  PolicyRow,
  PromiseRow,
  RelationshipRow,
  RepresentativeRow,
  SeqTable,
  Store,
} from '../store/index.ts';
import { pagedLoader } from './pagination.ts';
import type { Viewer } from './context.ts';

export type { EntryRow, FirmRow, GoalRow, InteractionRow, MeasurementRow, MetricRow, PromiseRow, RelationshipRow, RepresentativeRow };

/**
 * Keys per DataLoader batch: each batch is one SQL statement with up to two parameters per key,
 * kept far below SQLite's limit of 32,766 bound variables (SQLITE_MAX_VARIABLE_NUMBER); a larger
 * request is answered in several statements.
 */
export const MAX_BATCH = 500;
const BATCH = { maxBatchSize: MAX_BATCH } as const;

/** Loads rows keyed by `rel:seq` in one statement per batch. */
function bySeq<Row extends { relationshipId: string; seq: number }>(store: Store, table: SeqTable) {
  return new DataLoader<string, Row | null>(async (ids) => {
    const keys = ids.map(parseEntityId);
    const rels = [...new Set(keys.flatMap((k) => (k ? [k.relationshipId] : [])))];
    const seqs = [...new Set(keys.flatMap((k) => (k ? [k.seq] : [])))];
    if (rels.length === 0) return ids.map(() => null);
    const rows = await store.rowsBySeq<Row>(table, rels, seqs);
    const map = new Map(rows.map((r) => [`${r.relationshipId}:${r.seq}`, r]));
    return keys.map((k) => (k ? (map.get(`${k.relationshipId}:${k.seq}`) ?? null) : null));
  }, BATCH);
}

/** Loads the rows of `table` for many parents in one statement, grouped by the parent key. */
function groupLoader<Row>(fetch: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row[]>(async (keys) => {
    const rows = await fetch(keys);
    const map = new Map<string, Row[]>();
    for (const r of rows) map.set(keyOf(r), [...(map.get(keyOf(r)) ?? []), r]);
    return keys.map((k) => map.get(k) ?? []);
  }, BATCH);
}

/**
 * One page per parent for a ledger-backed table, ordered by seq: a window function partitioned
 * by the parent, so one statement serves every parent of a request.
 */
function seqPages<Row>(store: Store, table: PagedTable) {
  return pagedLoader<Row, Record<string, unknown>>(async (parents, args, limit, after) => {
    const rows = await store.seqPages<Row & { relationshipId: string }>(table, parents, args as PageFilter, limit, after);
    return rows.map((r) => ({ ...r, parentKey: r.relationshipId }));
  });
}

/** The request's DataLoaders: every batch is one awaited Store call (store/types.ts). */
export function createLoaders(store: Store, viewer: Viewer | null) {
  const firmId = viewer?.firmId ?? '';
  return {
    /** Relationships the viewer is party to; null for any other id, exactly as for unknown ids. */
    relationship: new DataLoader<string, RelationshipRow | null>(async (ids) => {
      if (!viewer) return ids.map(() => null);
      const rows = await store.relationshipsFor(ids, firmId);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }, BATCH),
    firm: new DataLoader<string, FirmRow | null>(async (ids) => {
      const rows = await store.firmsByIds(ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }, BATCH),
    entry: bySeq<EntryRow>(store, 'entries'),
    goal: bySeq<GoalRow>(store, 'goals'),
    promise: bySeq<PromiseRow>(store, 'promises'),
    interaction: bySeq<InteractionRow>(store, 'interactions'),
    measurement: bySeq<MeasurementRow>(store, 'measurements'),
    policyProposal: bySeq<PolicyRow>(store, 'policies'),
    metric: new DataLoader<string, MetricRow | null>(async (ids) => {
      const keys = ids.map(parseEntityId);
      const rels = [...new Set(keys.flatMap((k) => (k ? [k.relationshipId] : [])))];
      if (rels.length === 0) return ids.map(() => null);
      const rows = await store.metricsBySeq(rels, keys.flatMap((k) => (k ? [k.seq] : [])));
      const map = new Map(rows.map((r) => [`${r.relationshipId}:${r.seq}:${r.idx}`, r]));
      return keys.map((k) => (k ? (map.get(`${k.relationshipId}:${k.seq}:${k.idx}`) ?? null) : null));
    }, BATCH),
    /** Metrics of goals keyed by `rel:goalSeq`. */
    metricsOfGoal: groupLoader(
      async (keys) => {
        const parsed = keys.map(parseEntityId).filter((k) => k !== null);
        if (parsed.length === 0) return [];
        return store.metricsOfGoals([...new Set(parsed.map((k) => k.relationshipId))], parsed.map((k) => k.seq));
      },
      (r) => `${r.relationshipId}:${r.goalSeq}`,
    ),
    /** Policy proposals of relationships, in ledger order. */
    policiesOf: groupLoader(
      (keys) => store.policiesOf(keys),
      (r) => r.relationshipId,
    ),
    /** Firms the viewer may see: itself and its counterparties (one query per request). */
    visibleFirm: new DataLoader<string, boolean>(async (ids) => {
      if (!viewer) return ids.map(() => false);
      const visible = new Set([firmId, ...(await store.counterpartiesOf(firmId))]);
      return ids.map((id) => visible.has(id));
    }, BATCH),
    representatives: groupLoader(
      (keys) => store.representativesOf(keys),
      (r) => r.relationshipId,
    ),
    /** The entries about a promise or complaint (keyed `rel:seq`): the one that made it and those that refer to it. */
    history: groupLoader(
      async (keys) => {
        const parsed = keys.map(parseEntityId).filter((k) => k !== null);
        if (parsed.length === 0) return [];
        const about = await store.entriesAbout([...new Set(parsed.map((k) => k.relationshipId))], parsed.map((k) => k.seq));
        return about
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
    /** Pages filtered by PageFilter (goals: status; promises: promisor, state, outcome, overdue with now; interactions: kinds). */
    goalsPage: seqPages<GoalRow>(store, 'goals'),
    promisesPage: seqPages<PromiseRow>(store, 'promises'),
    interactionsPage: seqPages<InteractionRow>(store, 'interactions'),
    ledgerPage: seqPages<EntryRow>(store, 'entries'),
    /** Measurements of metrics keyed `rel:seq:idx`, one page each. */
    measurementsPage: pagedLoader<MeasurementRow, Record<string, unknown>>(async (parents, _args, limit, after) => {
      const keys = parents.map(parseEntityId).filter((k) => k !== null);
      if (keys.length === 0) return [];
      const rows = await store.measurementPages([...new Set(keys.map((k) => k.relationshipId))], keys.map((k) => k.seq), limit, after);
      return rows
        .map((r) => ({ ...r, parentKey: `${r.relationshipId}:${r.metricSeq}:${r.metricIdx}` }))
        .filter((r) => parents.includes(r.parentKey));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
