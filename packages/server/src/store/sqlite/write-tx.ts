import type { EntryType, LedgerEntry, Side } from '@trustledger/schema';
import type Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, isNull, lt, or } from 'drizzle-orm';
import * as t from '../schema.ts';
import type {
  ApiKeyRow,
  EntryInsert,
  EntryRow,
  FirmRow,
  GoalRow,
  IdempotencyRow,
  InteractionRow,
  MeasurementRow,
  MetricRow,
  PolicyRow,
  PromiseRow,
  RelationshipRow,
  RepresentativeRow,
  VoidableTable,
  WriteTx,
} from '../types.ts';
import { type Db, sqliteOf } from './connection.ts';

/** An entry row as the ledger holds it (payload parsed back from its canonical text). */
export const rowToEntry = (row: Pick<EntryRow, 'relationshipId' | 'seq' | 'type' | 'payload' | 'actorFirmId' | 'occurredAt' | 'recordedAt' | 'prevHash' | 'hash'>): LedgerEntry => ({
  relationshipId: row.relationshipId,
  seq: row.seq,
  type: row.type as EntryType,
  payload: JSON.parse(row.payload),
  actorFirmId: row.actorFirmId,
  occurredAt: row.occurredAt,
  recordedAt: row.recordedAt,
  prevHash: row.prevHash,
  hash: row.hash,
});

/** Every column of a relationships row under its RelationshipRow name, for plain SQL on hot paths (none is a boolean or JSON column). */
export const RELATIONSHIP_COLUMNS =
  'id, supplier_id as supplierId, client_id as clientId, proposed_by as proposedBy, status, head_seq as headSeq, head_hash as headHash, max_occurred_at as maxOccurredAt, score_state as scoreState, created_at as createdAt, scored_at as scoredAt, supplier_score as supplierScore, supplier_band as supplierBand, client_score as clientScore, client_band as clientBand, churn_stage as churnStage, supplier_tier as supplierTier, client_tier as clientTier';

/** RelationshipRow fields and their columns, for updates written as plain SQL. */
const RELATIONSHIP_COLUMN_OF: Record<string, string> = {
  supplierId: 'supplier_id',
  clientId: 'client_id',
  proposedBy: 'proposed_by',
  status: 'status',
  headSeq: 'head_seq',
  headHash: 'head_hash',
  maxOccurredAt: 'max_occurred_at',
  scoreState: 'score_state',
  createdAt: 'created_at',
  scoredAt: 'scored_at',
  supplierScore: 'supplier_score',
  supplierBand: 'supplier_band',
  clientScore: 'client_score',
  clientBand: 'client_band',
  churnStage: 'churn_stage',
  supplierTier: 'supplier_tier',
  clientTier: 'client_tier',
};

const PROMISE_COLUMNS =
  'relationship_id as relationshipId, seq, promisor, kind, description, amount, currency, made_at as madeAt, original_due_at as originalDueAt, due_at as dueAt, state, outcome, resolved_at as resolvedAt, voided';
const INTERACTION_COLUMNS =
  'relationship_id as relationshipId, seq, kind, initiated_by as initiatedBy, occurred_at as occurredAt, note, volume, score, first_response_at as firstResponseAt, resolved_at as resolvedAt, voided';

const ENTRY_COLUMNS =
  'relationship_id as relationshipId, seq, type, payload, actor_firm_id as actorFirmId, occurred_at as occurredAt, recorded_at as recordedAt, prev_hash as prevHash, hash, subject_seq as subjectSeq, voided_by_seq as voidedBySeq, disputed_by_seq as disputedBySeq, confirmed_by_seq as confirmedBySeq';

const byKey = <T extends { relationshipId: unknown; seq: unknown }>(table: T, relId: string, seq: number) =>
  and(eq(table.relationshipId as never, relId), eq(table.seq as never, seq));

const VOIDABLE = { promises: t.promises, interactions: t.interactions, measurements: t.measurements, goals: t.goals, metrics: t.metrics } as const;

/**
 * Promise and interaction rows written in an open transaction, as written (by its scope, then
 * `rel:seq`): a batch that makes a promise or records a complaint and follows it up reads the row
 * back for its rules and projections, and takes it from here instead of a SELECT (issue 13).
 * Every statement of this class that changes such a row updates or drops its copy; a savepoint
 * that rolls back drops them all. Rows not written in the transaction are read from the table.
 */
interface Written {
  promises: Map<string, PromiseRow>;
  interactions: Map<string, InteractionRow>;
}
const writtenByScope = new WeakMap<object, Written>();

/**
 * The SQLite write transaction: synchronous drizzle over better-sqlite3 inside one IMMEDIATE
 * transaction. The hot statements of the append path are plain SQL prepared once by their text
 * (connection.ts caches them): drizzle builds a query's SQL anew on every call.
 */
export class SqliteWriteTx implements WriteTx {
  readonly #db: Db;
  readonly #sqlite: Database.Database;
  readonly #commitHooks: (() => void)[];
  readonly scope: object;

  constructor(db: Db, hooks: (() => void)[] = [], scope: object = {}) {
    this.#db = db;
    this.#sqlite = sqliteOf(db);
    this.#commitHooks = hooks;
    this.scope = scope;
  }

  /** For SqliteStore.write: runs the registered hooks, before commit. */
  runCommitHooks(): void {
    // A hook may register another (nothing does today); run until none is left.
    while (this.#commitHooks.length) this.#commitHooks.shift()?.();
  }

  savepoint<T>(fn: (tx: WriteTx) => T): T {
    try {
      return this.#db.transaction((sp) => fn(new SqliteWriteTx(sp as unknown as Db, this.#commitHooks, this.scope)));
    } catch (error) {
      // Rolled back to the savepoint: rows held as written inside it may no longer be.
      writtenByScope.delete(this.scope);
      throw error;
    }
  }

  #written(): Written {
    let w = writtenByScope.get(this.scope);
    if (!w) writtenByScope.set(this.scope, (w = { promises: new Map(), interactions: new Map() }));
    return w;
  }

  beforeCommit(fn: () => void): void {
    this.#commitHooks.push(fn);
  }

  firm(id: string): FirmRow | undefined {
    return this.#db.select().from(t.firms).where(eq(t.firms.id, id)).get();
  }

  insertFirm(row: FirmRow): void {
    this.#db.insert(t.firms).values(row).run();
  }

  insertApiKey(row: ApiKeyRow): void {
    this.#db.insert(t.apiKeys).values(row).run();
  }

  apiKey(id: string, firmId?: string): ApiKeyRow | undefined {
    const where = firmId ? and(eq(t.apiKeys.id, id), eq(t.apiKeys.firmId, firmId)) : eq(t.apiKeys.id, id);
    return this.#db.select().from(t.apiKeys).where(where).get();
  }

  revokeApiKey(id: string, at: string): void {
    this.#db.update(t.apiKeys).set({ revokedAt: at }).where(and(eq(t.apiKeys.id, id), isNull(t.apiKeys.revokedAt))).run();
  }

  idempotency(firmId: string, key: string): IdempotencyRow | undefined {
    return this.#db
      .select()
      .from(t.idempotency)
      .where(and(eq(t.idempotency.firmId, firmId), eq(t.idempotency.key, key)))
      .get();
  }

  insertIdempotency(row: Omit<IdempotencyRow, 'createdAt'>): void {
    this.#db.insert(t.idempotency).values(row).run();
  }

  relationship(id: string, partyFirmId?: string): RelationshipRow | undefined {
    // Plain SQL (prepared once by its text, see sqliteOf): it runs for every write.
    const row = this.#sqlite.prepare(`select ${RELATIONSHIP_COLUMNS} from relationships where id = ?`).get(id) as RelationshipRow | undefined;
    if (!row || (partyFirmId !== undefined && row.supplierId !== partyFirmId && row.clientId !== partyFirmId)) return undefined;
    return row;
  }

  insertRelationship(row: RelationshipRow): void {
    this.#db.insert(t.relationships).values(row).run();
  }

  updateRelationship(id: string, values: Partial<Omit<RelationshipRow, 'id'>>): void {
    // Plain SQL, prepared once per set of columns: one per write (drizzle would build it anew each time).
    const fields = Object.keys(values).filter((k) => (values as Record<string, unknown>)[k] !== undefined);
    if (fields.length === 0) return;
    const columns = fields.map((f) => {
      const column = RELATIONSHIP_COLUMN_OF[f];
      if (!column) throw new Error(`relationships has no field ${f}`);
      return `${column} = ?`;
    });
    this.#sqlite.prepare(`update relationships set ${columns.join(', ')} where id = ?`).run(...fields.map((f) => (values as Record<string, unknown>)[f]), id);
  }

  insertEntry(row: EntryInsert): void {
    this.#sqlite
      .prepare(
        'insert into entries (relationship_id, seq, type, payload, actor_firm_id, occurred_at, recorded_at, prev_hash, hash, subject_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.relationshipId, row.seq, row.type, row.payload, row.actorFirmId, row.occurredAt, row.recordedAt, row.prevHash, row.hash, row.subjectSeq);
  }

  entry(relId: string, seq: number): EntryRow | undefined {
    return this.#sqlite.prepare(`select ${ENTRY_COLUMNS} from entries where relationship_id = ? and seq = ?`).get(relId, seq) as EntryRow | undefined;
  }

  referrers(relId: string, seq: number): EntryRow[] {
    return this.#db.select().from(t.entries).where(and(eq(t.entries.relationshipId, relId), eq(t.entries.subjectSeq, seq))).orderBy(t.entries.seq).all();
  }

  standingReferrers(relId: string, seq: number, typePrefix: string): EntryRow[] {
    // Plain SQL (prepared once by its text): this runs for every promise entry of a batch.
    return this.#sqlite
      .prepare(`select ${ENTRY_COLUMNS} from entries where relationship_id = ? and subject_seq = ? and type like ? and voided_by_seq is null order by seq`)
      .all(relId, seq, `${typePrefix}%`) as EntryRow[];
  }

  standingOfType(relId: string, type: string): EntryRow[] {
    return this.#db
      .select()
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), eq(t.entries.type, type), isNull(t.entries.voidedBySeq)))
      .orderBy(desc(t.entries.seq))
      .all();
  }

  setEntryLinks(relId: string, seq: number, links: Partial<Pick<EntryRow, 'voidedBySeq' | 'disputedBySeq' | 'confirmedBySeq'>>): void {
    this.#db.update(t.entries).set(links).where(byKey(t.entries, relId, seq)).run();
  }

  ledger(relId: string): LedgerEntry[] {
    return this.#db.select().from(t.entries).where(eq(t.entries.relationshipId, relId)).orderBy(asc(t.entries.seq)).all().map(rowToEntry);
  }

  entrySeqOf(relId: string, type: string, payload: string, occurredAt: string, clampedSince: string): number | null {
    const row = this.#db
      .select({ seq: t.entries.seq })
      .from(t.entries)
      .where(
        and(
          eq(t.entries.relationshipId, relId),
          eq(t.entries.type, type),
          eq(t.entries.payload, payload),
          or(
            eq(t.entries.occurredAt, occurredAt),
            and(eq(t.entries.occurredAt, t.entries.recordedAt), lt(t.entries.recordedAt, occurredAt), gte(t.entries.recordedAt, clampedSince)),
          ),
        ),
      )
      .orderBy(t.entries.seq)
      .get();
    return row?.seq ?? null;
  }

  promise(relId: string, seq: number): PromiseRow | undefined {
    const written = writtenByScope.get(this.scope)?.promises.get(`${relId}:${seq}`);
    if (written) return written;
    // Plain SQL (prepared once by its text): this runs for every promise entry of a batch.
    const row = this.#sqlite.prepare(`select ${PROMISE_COLUMNS} from promises where relationship_id = ? and seq = ?`).get(relId, seq) as (Omit<PromiseRow, 'voided'> & { voided: number }) | undefined;
    return row && { ...row, voided: row.voided !== 0 };
  }

  putPromise(p: Omit<PromiseRow, 'voided'>): void {
    this.#sqlite
      .prepare(
        `insert into promises (relationship_id, seq, promisor, kind, description, amount, currency, made_at, original_due_at, due_at, state, outcome, resolved_at, voided)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
         on conflict (relationship_id, seq) do update set promisor = excluded.promisor, kind = excluded.kind, description = excluded.description,
           amount = excluded.amount, currency = excluded.currency, made_at = excluded.made_at, original_due_at = excluded.original_due_at,
           due_at = excluded.due_at, state = excluded.state, outcome = excluded.outcome, resolved_at = excluded.resolved_at, voided = 0`,
      )
      .run(p.relationshipId, p.seq, p.promisor, p.kind, p.description, p.amount, p.currency, p.madeAt, p.originalDueAt, p.dueAt, p.state, p.outcome, p.resolvedAt);
    this.#written().promises.set(`${p.relationshipId}:${p.seq}`, {
      relationshipId: p.relationshipId,
      seq: p.seq,
      promisor: p.promisor,
      kind: p.kind,
      description: p.description,
      amount: p.amount,
      currency: p.currency,
      madeAt: p.madeAt,
      originalDueAt: p.originalDueAt,
      dueAt: p.dueAt,
      state: p.state,
      outcome: p.outcome,
      resolvedAt: p.resolvedAt,
      voided: false,
    });
  }

  goal(relId: string, seq: number): GoalRow | undefined {
    return this.#db.select().from(t.goals).where(byKey(t.goals, relId, seq)).get();
  }

  insertGoal(row: Omit<GoalRow, 'voided'>): void {
    this.#db.insert(t.goals).values(row).run();
  }

  setGoalStatus(relId: string, seq: number, status: GoalRow['status']): void {
    this.#db.update(t.goals).set({ status }).where(byKey(t.goals, relId, seq)).run();
  }

  metric(relId: string, seq: number, idx: number): MetricRow | undefined {
    return this.#db
      .select()
      .from(t.metrics)
      .where(and(eq(t.metrics.relationshipId, relId), eq(t.metrics.seq, seq), eq(t.metrics.idx, idx)))
      .get();
  }

  metrics(relId: string): MetricRow[] {
    return this.#db
      .select()
      .from(t.metrics)
      .where(and(eq(t.metrics.relationshipId, relId), eq(t.metrics.voided, false)))
      .all();
  }

  insertMetric(row: Omit<MetricRow, 'voided'>): void {
    this.#db.insert(t.metrics).values(row).run();
  }

  voidMetricsOfGoal(relId: string, goalSeq: number): void {
    this.#db.update(t.metrics).set({ voided: true }).where(and(eq(t.metrics.relationshipId, relId), eq(t.metrics.goalSeq, goalSeq))).run();
  }

  insertMeasurement(row: Omit<MeasurementRow, 'voided'>): void {
    this.#db.insert(t.measurements).values(row).run();
  }

  interaction(relId: string, seq: number): InteractionRow | undefined {
    const written = writtenByScope.get(this.scope)?.interactions.get(`${relId}:${seq}`);
    if (written) return written;
    // Plain SQL, as promise(): this runs for every complaint follow-up of a batch.
    const row = this.#sqlite.prepare(`select ${INTERACTION_COLUMNS} from interactions where relationship_id = ? and seq = ?`).get(relId, seq) as (Omit<InteractionRow, 'voided'> & { voided: number }) | undefined;
    return row && { ...row, voided: row.voided !== 0 };
  }

  insertInteraction(r: Omit<InteractionRow, 'voided' | 'firstResponseAt' | 'resolvedAt'>): void {
    this.#sqlite
      .prepare('insert into interactions (relationship_id, seq, kind, initiated_by, occurred_at, note, volume, score) values (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.relationshipId, r.seq, r.kind, r.initiatedBy, r.occurredAt, r.note, r.volume, r.score);
    this.#written().interactions.set(`${r.relationshipId}:${r.seq}`, {
      relationshipId: r.relationshipId,
      seq: r.seq,
      kind: r.kind,
      initiatedBy: r.initiatedBy,
      occurredAt: r.occurredAt,
      note: r.note,
      volume: r.volume,
      score: r.score,
      firstResponseAt: null,
      resolvedAt: null,
      voided: false,
    });
  }

  setInteractionTimes(relId: string, seq: number, firstResponseAt: string | null, resolvedAt: string | null): void {
    this.#sqlite.prepare('update interactions set first_response_at = ?, resolved_at = ? where relationship_id = ? and seq = ?').run(firstResponseAt, resolvedAt, relId, seq);
    const written = writtenByScope.get(this.scope)?.interactions.get(`${relId}:${seq}`);
    if (written) {
      written.firstResponseAt = firstResponseAt;
      written.resolvedAt = resolvedAt;
    }
  }

  voidRow(table: VoidableTable, relId: string, seq: number): void {
    const target = VOIDABLE[table];
    this.#db.update(target).set({ voided: true }).where(byKey(target, relId, seq)).run();
    if (table === 'promises' || table === 'interactions') writtenByScope.get(this.scope)?.[table].delete(`${relId}:${seq}`);
  }

  setRepresentative(relId: string, side: Side, row: RepresentativeRow | null): void {
    this.#db.delete(t.representatives).where(and(eq(t.representatives.relationshipId, relId), eq(t.representatives.side, side))).run();
    if (row) this.#db.insert(t.representatives).values(row).run();
  }

  policy(relId: string, seq: number): PolicyRow | undefined {
    return this.#db.select().from(t.policies).where(byKey(t.policies, relId, seq)).get();
  }

  insertPolicy(row: PolicyRow): void {
    this.#db.insert(t.policies).values(row).run();
  }

  acceptPolicy(relId: string, seq: number): void {
    this.#db.update(t.policies).set({ status: 'SUPERSEDED' }).where(and(eq(t.policies.relationshipId, relId), eq(t.policies.status, 'ACCEPTED'))).run();
    this.#db.update(t.policies).set({ status: 'ACCEPTED' }).where(byKey(t.policies, relId, seq)).run();
  }
}

