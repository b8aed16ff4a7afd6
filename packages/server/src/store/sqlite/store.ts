import { acceptedBy, pageFilter, reviewTier, staleAt } from '../filters.ts';
import type { LedgerEntry, Side } from '@trustledger/schema';
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, lte, max, ne, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as t from '../schema.ts';
import type {
  ApiKeyRow,
  DuePromise,
  EntryRow,
  FirmRow,
  MeasurementRow,
  MetricRow,
  PagedTable,
  PageFilter,
  PolicyRow,
  RelationshipRow,
  RepresentativeRow,
  ReviewFigures,
  ReviewPageQuery,
  SeqTable,
  Store,
  WriteTx,
} from '../types.ts';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { type Db, migrationsFolder, type OpenDbOptions, openDb, sqliteOf } from './connection.ts';
import { RELATIONSHIP_COLUMNS, rowToEntry, SqliteWriteTx } from './write-tx.ts';

type KeyedTable = SQLiteTable & { relationshipId: SQLiteColumn; seq: SQLiteColumn };
const SEQ_TABLES: Record<SeqTable, KeyedTable> = {
  entries: t.entries,
  goals: t.goals,
  promises: t.promises,
  interactions: t.interactions,
  measurements: t.measurements,
  policies: t.policies,
};

/**
 * The embedded store: one SQLite file (WAL, full fsync) through drizzle and better-sqlite3.
 * Calls are synchronous underneath; each method is one awaited call for its caller.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  /** The drizzle handle (SQLite only: tests and tools that inspect the file). */
  readonly db: Db;
  readonly #owned: boolean;
  #closed = false;

  constructor(db: Db, owned = true) {
    this.db = db;
    this.#owned = owned;
  }

  static open(options: OpenDbOptions = {}): SqliteStore {
    return new SqliteStore(openDb(options));
  }

  /** Runs `fn` synchronously inside an IMMEDIATE transaction (see Store.write). */
  writeSync<T>(fn: (tx: WriteTx) => T): T {
    return this.db.transaction(
      (dtx) => {
        const tx = new SqliteWriteTx(dtx as unknown as Db);
        const out = fn(tx);
        tx.runCommitHooks();
        return out;
      },
      { behavior: 'immediate' },
    );
  }

  async write<T>(fn: (tx: WriteTx) => T): Promise<T> {
    return this.writeSync(fn);
  }

  async readiness(): Promise<{ database: string; migrations: string }> {
    const checks = { database: 'ok', migrations: 'ok' };
    try {
      this.db.$client.prepare('select 1').get();
    } catch (error) {
      return { database: `the database does not answer: ${(error as Error).message}`, migrations: 'not checked' };
    }
    try {
      // As drizzle's migrator decides: a migration is applied when one as new or newer is recorded.
      const last = this.db.$client.prepare('select max(created_at) as last from __drizzle_migrations').get() as { last: number | string | null };
      const newest = last.last === null ? -Infinity : Number(last.last);
      const missing = readMigrationFiles({ migrationsFolder }).filter((m) => m.folderMillis > newest);
      if (missing.length > 0) checks.migrations = `${missing.length} migration${missing.length === 1 ? '' : 's'} not applied`;
    } catch (error) {
      checks.migrations = `cannot read the applied migrations: ${(error as Error).message}`;
    }
    return checks;
  }

  async close(): Promise<void> {
    if (this.#closed || !this.#owned) return;
    this.#closed = true;
    this.db.$client.close();
  }

  async firm(id: string): Promise<FirmRow | undefined> {
    return this.db.select().from(t.firms).where(eq(t.firms.id, id)).get();
  }

  async firmsNamed(name: string): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).where(eq(t.firms.name, name)).all();
  }

  async firms(): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).orderBy(asc(t.firms.id)).all();
  }

  async isEmpty(): Promise<boolean> {
    return this.db.select({ id: t.firms.id }).from(t.firms).limit(1).get() === undefined;
  }

  async activeKeyByHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    // Plain SQL (prepared once by its text, see sqliteOf): it runs for every request.
    return sqliteOf(this.db)
      .prepare(
        'select id, firm_id as firmId, role, secret_hash as secretHash, label, created_at as createdAt, revoked_at as revokedAt from api_keys where secret_hash = ? and revoked_at is null',
      )
      .get(secretHash) as ApiKeyRow | undefined;
  }

  async apiKey(id: string, firmId?: string): Promise<ApiKeyRow | undefined> {
    const where = firmId ? and(eq(t.apiKeys.id, id), eq(t.apiKeys.firmId, firmId)) : eq(t.apiKeys.id, id);
    return this.db.select().from(t.apiKeys).where(where).get();
  }

  async apiKeysOf(firmId: string): Promise<ApiKeyRow[]> {
    return this.db.select().from(t.apiKeys).where(eq(t.apiKeys.firmId, firmId)).all();
  }

  async relationship(id: string): Promise<RelationshipRow | undefined> {
    // Plain SQL (prepared once by its text, see sqliteOf): it runs after every write (alerts).
    return sqliteOf(this.db).prepare(`select ${RELATIONSHIP_COLUMNS} from relationships where id = ?`).get(id) as RelationshipRow | undefined;
  }

  async entriesOfTypes(relId: string, types: readonly string[]): Promise<EntryRow[]> {
    return this.db
      .select()
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), inArray(t.entries.type, [...types])))
      .orderBy(asc(t.entries.seq))
      .all();
  }

  async hasReferrer(relId: string, seq: number, type: string): Promise<boolean> {
    return (
      this.db
        .select({ seq: t.entries.seq })
        .from(t.entries)
        .where(and(eq(t.entries.relationshipId, relId), eq(t.entries.subjectSeq, seq), eq(t.entries.type, type)))
        .get() !== undefined
    );
  }

  async relationshipsOf(firmId: string, o: { as?: Side | null; status?: string | null; after?: string | null; limit: number }): Promise<RelationshipRow[]> {
    const r = t.relationships;
    const mine = o.as === 'SUPPLIER' ? eq(r.supplierId, firmId) : o.as === 'CLIENT' ? eq(r.clientId, firmId) : or(eq(r.supplierId, firmId), eq(r.clientId, firmId));
    return this.db
      .select()
      .from(r)
      .where(and(mine, o.status ? eq(r.status, o.status as never) : undefined, o.after ? gt(r.id, o.after) : undefined))
      .orderBy(asc(r.id))
      .limit(o.limit)
      .all();
  }

  async ledger(relId: string, atSeq?: number): Promise<LedgerEntry[]> {
    return this.db
      .select()
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), atSeq === undefined ? undefined : lte(t.entries.seq, atSeq)))
      .orderBy(asc(t.entries.seq))
      .all()
      .map(rowToEntry);
  }

  async lastSeqRecordedBy(relId: string, at: string): Promise<number | null> {
    return (
      this.db
        .select({ seq: max(t.entries.seq) })
        .from(t.entries)
        .where(and(eq(t.entries.relationshipId, relId), lte(t.entries.recordedAt, at)))
        .get()?.seq ?? null
    );
  }

  async relationshipsFor(ids: readonly string[], firmId: string): Promise<RelationshipRow[]> {
    // One relationship (most requests): plain SQL prepared once by its text (see sqliteOf).
    if (ids.length === 1) {
      const row = sqliteOf(this.db)
        .prepare(`select ${RELATIONSHIP_COLUMNS} from relationships where id = ? and (supplier_id = ? or client_id = ?)`)
        .get(ids[0], firmId, firmId) as RelationshipRow | undefined;
      return row ? [row] : [];
    }
    return this.db
      .select()
      .from(t.relationships)
      .where(and(inArray(t.relationships.id, [...ids]), or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId))))
      .all();
  }

  async firmsByIds(ids: readonly string[]): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).where(inArray(t.firms.id, [...ids])).all();
  }

  async rowsBySeq<R>(table: SeqTable, relIds: readonly string[], seqs: readonly number[]): Promise<R[]> {
    const tbl = SEQ_TABLES[table];
    return this.db
      .select()
      .from(tbl)
      .where(and(inArray(tbl.relationshipId, [...relIds]), inArray(tbl.seq, [...seqs])))
      .all() as R[];
  }

  async metricsBySeq(relIds: readonly string[], seqs: readonly number[]): Promise<MetricRow[]> {
    return this.db
      .select()
      .from(t.metrics)
      .where(and(inArray(t.metrics.relationshipId, [...relIds]), inArray(t.metrics.seq, [...seqs])))
      .all();
  }

  async metricsOfGoals(relIds: readonly string[], goalSeqs: readonly number[]): Promise<MetricRow[]> {
    return this.db
      .select()
      .from(t.metrics)
      .where(and(inArray(t.metrics.relationshipId, [...relIds]), inArray(t.metrics.goalSeq, [...goalSeqs]), eq(t.metrics.voided, false)))
      .orderBy(asc(t.metrics.seq), asc(t.metrics.idx))
      .all();
  }

  async policiesOf(relIds: readonly string[]): Promise<PolicyRow[]> {
    return this.db.select().from(t.policies).where(inArray(t.policies.relationshipId, [...relIds])).orderBy(asc(t.policies.seq)).all();
  }

  async representativesOf(relIds: readonly string[]): Promise<RepresentativeRow[]> {
    return this.db.select().from(t.representatives).where(inArray(t.representatives.relationshipId, [...relIds])).orderBy(asc(t.representatives.side)).all();
  }

  async counterpartiesOf(firmId: string): Promise<string[]> {
    const rows = this.db
      .select({ s: t.relationships.supplierId, c: t.relationships.clientId })
      .from(t.relationships)
      .where(or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId)))
      .all();
    return rows.map((r) => (r.s === firmId ? r.c : r.s));
  }

  async entriesAbout(relIds: readonly string[], seqs: readonly number[]): Promise<EntryRow[]> {
    const rels = inArray(t.entries.relationshipId, [...relIds]);
    // Two index look-ups: the entries themselves, and those that refer to them.
    const own = this.db.select().from(t.entries).where(and(rels, inArray(t.entries.seq, [...seqs]))).all();
    const refs = this.db.select().from(t.entries).where(and(rels, inArray(t.entries.subjectSeq, [...seqs]))).all();
    return [...new Map([...own, ...refs].map((e) => [`${e.relationshipId}:${e.seq}`, e])).values()];
  }

  async seqPages<R>(table: PagedTable, relIds: readonly string[], filter: PageFilter, limit: number, after: number): Promise<R[]> {
    const tbl = SEQ_TABLES[table];
    // One page per parent: a window function partitioned by the relationship, one statement for every parent.
    const ranked = this.db
      .select({
        ...getTableColumns(tbl),
        rn: sql<number>`row_number() over (partition by ${tbl.relationshipId} order by ${tbl.seq})`.as('rn'),
      })
      .from(tbl)
      .where(and(inArray(tbl.relationshipId, [...relIds]), gt(tbl.seq, after), pageFilter(t, table, filter)))
      .as('ranked');
    return this.db.select().from(ranked).where(lte(ranked.rn, limit)).orderBy(sql`relationship_id`, sql`seq`).all() as R[];
  }

  async measurementPages(relIds: readonly string[], metricSeqs: readonly number[], limit: number, after: number): Promise<MeasurementRow[]> {
    const m = t.measurements;
    const ranked = this.db
      .select({
        ...getTableColumns(m),
        rn: sql<number>`row_number() over (partition by ${m.relationshipId}, ${m.metricSeq}, ${m.metricIdx} order by ${m.seq})`.as('rn'),
      })
      .from(m)
      .where(and(inArray(m.relationshipId, [...relIds]), inArray(m.metricSeq, [...metricSeqs]), gt(m.seq, after), eq(m.voided, false)))
      .as('ranked');
    return this.db.select().from(ranked).where(lte(ranked.rn, limit)).orderBy(asc(ranked.seq)).all() as unknown as MeasurementRow[];
  }

  async reviewRelationships(firmId: string, as: Side, acceptedAt: string, options: { staleAt?: string } = {}): Promise<RelationshipRow[]> {
    const r = t.relationships;
    const own = as === 'SUPPLIER' ? r.supplierId : r.clientId;
    const stale = options.staleAt === undefined ? undefined : staleAt(t, options.staleAt, own, firmId);
    return this.db
      .select()
      .from(r)
      .where(and(eq(own, firmId), ne(r.status, 'PROPOSED'), acceptedBy(t, acceptedAt), stale))
      .orderBy(r.id)
      .all();
  }

  async openPromiseCounts(relIds: readonly string[], promisor: Side, asOf: string): Promise<Map<string, { open: number; overdue: number }>> {
    const counts = new Map<string, { open: number; overdue: number }>();
    if (relIds.length === 0) return counts;
    const p = t.promises;
    // The due time in force at asOf: the latest reschedule (in ledger order) that had occurred by
    // then, else the original due time; a reschedule recorded later does not move a past review.
    const dueAtAsOf = sql`coalesce((select json_extract(r.payload, '$.newDueAt') from ${t.entries} r
      where r.relationship_id = ${p.relationshipId} and r.subject_seq = ${p.seq} and r.type = 'PROMISE_RESCHEDULED'
        and r.voided_by_seq is null and r.occurred_at <= ${asOf} order by r.seq desc limit 1), ${p.originalDueAt})`;
    const rows = this.db
      .select({
        rid: p.relationshipId,
        open: sql<number>`count(*)`,
        overdue: sql<number>`sum(case when ${dueAtAsOf} < ${asOf} then 1 else 0 end)`,
      })
      .from(p)
      .where(
        and(
          inArray(p.relationshipId, [...relIds]),
          eq(p.voided, false),
          eq(p.promisor, promisor),
          lte(p.madeAt, asOf),
          or(isNull(p.resolvedAt), gt(p.resolvedAt, asOf)),
        ),
      )
      .groupBy(p.relationshipId)
      .all();
    for (const r of rows) counts.set(r.rid, { open: r.open, overdue: r.overdue ?? 0 });
    return counts;
  }

  async staleFigures(at: string, limit: number): Promise<RelationshipRow[]> {
    const r = t.relationships;
    return this.db
      .select()
      .from(r)
      .where(and(ne(r.status, 'PROPOSED'), staleAt(t, at)))
      .limit(limit)
      .all();
  }

  async storeFigures(at: string, figures: readonly ReviewFigures[]): Promise<void> {
    if (figures.length === 0) return;
    const sqlite = sqliteOf(this.db);
    const update = () =>
      sqlite.prepare(
        'update relationships set scored_at = ?, supplier_score = ?, supplier_band = ?, client_score = ?, client_band = ?, churn_stage = ?, supplier_tier = ?, client_tier = ? where id = ? and head_seq = ?',
      );
    sqlite
      .transaction(() => {
        for (const f of figures) update().run(
            at,
            f.supplierScore,
            f.supplierBand,
            f.clientScore,
            f.clientBand,
            f.churnStage,
            reviewTier(f.supplierBand, f.supplierScore),
            reviewTier(f.clientBand, f.clientScore),
            f.id,
            f.headSeq,
          );
      })
      .immediate();
  }

  async reviewPageRows(q: ReviewPageQuery): Promise<RelationshipRow[]> {
    const r = t.relationships;
    const own = q.as === 'SUPPLIER' ? r.supplierId : r.clientId;
    const score = q.as === 'SUPPLIER' ? r.clientScore : r.supplierScore;
    const band = q.as === 'SUPPLIER' ? r.clientBand : r.supplierBand;
    const tier = q.as === 'SUPPLIER' ? r.clientTier : r.supplierTier;
    const conditions = [eq(own, q.firmId), isNotNull(tier), ne(r.status, 'PROPOSED'), acceptedBy(t, q.acceptedBy)];
    if (q.bands?.length) conditions.push(inArray(band, [...q.bands]));
    if (q.stages?.length) conditions.push(inArray(r.churnStage, [...q.stages]));
    // The order of relationships_*_review (ascending) or of relationships_*_review_desc walked
    // backwards: an index walk that stops after the page, whatever the number of relationships.
    // Within a tier every score is null or none is (reviewTier), so nulls need no term of their own.
    const order = q.descending ? [asc(tier), desc(score), asc(r.id)] : [asc(tier), asc(score), asc(r.id)];
    return this.db
      .select()
      .from(r)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(q.limit)
      .offset(q.offset)
      .all();
  }

  async sharedEvents(): Promise<EventTarget | undefined> {
    return undefined;
  }

  sharedRateLimiter(): undefined {
    return undefined;
  }

  leads(): boolean {
    return true;
  }

  async activeRelationships(): Promise<RelationshipRow[]> {
    return this.db
      .select()
      .from(t.relationships)
      .where(and(eq(t.relationships.status, 'ACTIVE'), gt(t.relationships.headSeq, 0)))
      .all();
  }

  async fallenDue(since: string, until: string): Promise<DuePromise[]> {
    return this.db
      .select({ promise: t.promises, supplierId: t.relationships.supplierId, clientId: t.relationships.clientId })
      .from(t.promises)
      .innerJoin(t.relationships, eq(t.relationships.id, t.promises.relationshipId))
      .where(
        and(
          eq(t.promises.state, 'OPEN'),
          eq(t.promises.voided, false),
          ne(t.relationships.status, 'ENDED'),
          gt(t.promises.dueAt, since),
          lte(t.promises.dueAt, until),
        ),
      )
      .all();
  }

  async copyRelationship(relId: string): Promise<Store> {
    const scratch = openDb({ path: ':memory:' });
    const src = this.db.$client;
    const dst = scratch.$client;
    dst.pragma('foreign_keys = OFF');
    const tables = (
      dst.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`).all() as { name: string }[]
    ).map((r) => r.name);
    try {
      src.transaction(() => {
        const parties = src.prepare('select supplier_id as s, client_id as c from relationships where id = ?').get(relId) as { s: string; c: string } | undefined;
        if (!parties) throw new Error(`no relationship ${relId}`);
        for (const name of tables) {
          const cols = (dst.prepare(`pragma table_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
          const [where, params] =
            name === 'relationships'
              ? ['id = ?', [relId]]
              : name === 'firms'
                ? ['id in (?, ?)', [parties.s, parties.c]]
                : cols.includes('relationship_id')
                  ? ['relationship_id = ?', [relId]]
                  : [null, []];
          if (where === null) continue;
          const list = cols.map((c) => `"${c}"`).join(', ');
          const rows = src.prepare(`select ${list} from "${name}" where ${where}`).raw(true).all(...params) as unknown[][];
          const insert = dst.prepare(`insert into "${name}" (${list}) values (${cols.map(() => '?').join(', ')})`);
          dst.transaction(() => {
            for (const row of rows) insert.run(...row);
          })();
        }
      })();
    } catch (error) {
      scratch.$client.close();
      throw error;
    }
    return new SqliteStore(scratch);
  }
}
