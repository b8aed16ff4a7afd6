import { acceptedBy, pageFilter, reviewTier, staleAt } from '../filters.ts';
import type { LedgerEntry, Side } from '@trustledger/schema';
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, lte, max, ne, or, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { SqliteStore } from '../sqlite/store.ts';
import { rowToEntry } from '../sqlite/write-tx.ts';
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
import { migratePg, pgMigrationsFolder } from './migrate.ts';
import { notifyEventTarget, watcherLeader } from './shared.ts';
import * as t from './schema.ts';
import { PgWriter } from './write-tx.ts';

export type PgDb = NodePgDatabase<typeof t>;

/** How to reach PostgreSQL (see openStore for the environment variables that set these). */
export interface PgStoreOptions {
  /** postgres://user@host:port/database */
  url: string;
  /** Connections per instance. @default 10 */
  poolSize?: number;
  /** A statement running longer is cancelled (ms; 0: none). @default 30000 */
  statementTimeoutMs?: number;
  /**
   * How long a write waits for a lock (a relationship's row, an idempotency key) before it fails
   * with lock_not_available, answered as UNAVAILABLE (HTTP 503, nothing recorded) like SQLite's
   * busy timeout (ms; 0: no limit but the statement timeout). @default 5000
   */
  lockTimeoutMs?: number;
  /** Called with every SQL statement the reads issue through drizzle (tests count them). */
  onQuery?: (sql: string) => void;
}

type KeyedTable = PgTable & { relationshipId: PgColumn; seq: PgColumn };
const SEQ_TABLES: Record<SeqTable, KeyedTable> = {
  entries: t.entries,
  goals: t.goals,
  promises: t.promises,
  interactions: t.interactions,
  measurements: t.measurements,
  policies: t.policies,
};

/**
 * The PostgreSQL store: any number of stateless API instances over one database. Reads are plain
 * queries on a pool; writes go through PgWriter (write-tx.ts): the relationship row is locked
 * (SELECT … FOR UPDATE) so appends to one relationship serialise across instances, and the
 * entry, its projections and the scorecard state commit in one transaction.
 */
export class PgStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly db: PgDb;
  readonly #writer: PgWriter;
  readonly #config: pg.ClientConfig;
  readonly #leader: Awaited<ReturnType<typeof watcherLeader>>;
  #events: ReturnType<typeof notifyEventTarget> | null = null;
  #closed = false;

  private constructor(pool: pg.Pool, config: pg.ClientConfig, leader: Awaited<ReturnType<typeof watcherLeader>>, onQuery?: (sql: string) => void) {
    this.pool = pool;
    this.db = drizzle(pool, { schema: t, logger: onQuery ? { logQuery: (query) => onQuery(query) } : false });
    this.#writer = new PgWriter(pool);
    this.#config = config;
    this.#leader = leader;
  }

  /** Connects, creates the schema if needed and applies pending migrations (once across instances). */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const timeout = Math.max(0, Math.floor(options.statementTimeoutMs ?? 30_000));
    // A statement timeout on every connection, so a stuck query cannot hold a connection forever.
    const config: pg.ClientConfig = { connectionString: options.url, statement_timeout: timeout, lock_timeout: Math.max(0, Math.floor(options.lockTimeoutMs ?? 5_000)) };
    const pool = new pg.Pool({ ...config, max: Math.max(1, Math.floor(options.poolSize ?? 10)) });
    // An idle connection that fails (the server restarted) must not crash the process.
    pool.on('error', (error) => console.error('postgres pool: %s', error.message));
    try {
      await migratePg(pool);
      return new PgStore(pool, config, await watcherLeader(config), options.onQuery);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  write<T>(fn: (tx: WriteTx) => T): Promise<T> {
    return this.#writer.write(fn);
  }

  async readiness(): Promise<{ database: string; migrations: string }> {
    const checks = { database: 'ok', migrations: 'ok' };
    try {
      await this.pool.query('select 1');
    } catch (error) {
      return { database: `the database does not answer: ${(error as Error).message}`, migrations: 'not checked' };
    }
    try {
      // As drizzle's migrator decides: a migration is applied when one as new or newer is recorded.
      const { rows } = await this.pool.query('select max(created_at) as last from drizzle.__drizzle_migrations');
      const newest = rows[0]?.last === null || rows[0]?.last === undefined ? -Infinity : Number(rows[0].last);
      const missing = readMigrationFiles({ migrationsFolder: pgMigrationsFolder }).filter((m) => m.folderMillis > newest);
      if (missing.length > 0) checks.migrations = `${missing.length} migration${missing.length === 1 ? '' : 's'} not applied`;
    } catch (error) {
      checks.migrations = `cannot read the applied migrations: ${(error as Error).message}`;
    }
    return checks;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#leader.close();
    if (this.#events) await (await this.#events).close().catch(() => undefined);
    await this.#writer.close();
    await this.pool.end();
  }

  async firm(id: string): Promise<FirmRow | undefined> {
    return (await this.db.select().from(t.firms).where(eq(t.firms.id, id)))[0];
  }

  async firmsNamed(name: string): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).where(eq(t.firms.name, name));
  }

  async firms(): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).orderBy(asc(t.firms.id));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.db.select({ id: t.firms.id }).from(t.firms).limit(1)).length === 0;
  }

  async activeKeyByHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return (await this.db.select().from(t.apiKeys).where(and(eq(t.apiKeys.secretHash, secretHash), isNull(t.apiKeys.revokedAt))))[0];
  }

  async apiKey(id: string, firmId?: string): Promise<ApiKeyRow | undefined> {
    const where = firmId ? and(eq(t.apiKeys.id, id), eq(t.apiKeys.firmId, firmId)) : eq(t.apiKeys.id, id);
    return (await this.db.select().from(t.apiKeys).where(where))[0];
  }

  async apiKeysOf(firmId: string): Promise<ApiKeyRow[]> {
    return this.db.select().from(t.apiKeys).where(eq(t.apiKeys.firmId, firmId)).orderBy(asc(t.apiKeys.id));
  }

  async relationship(id: string): Promise<RelationshipRow | undefined> {
    return (await this.db.select().from(t.relationships).where(eq(t.relationships.id, id)))[0];
  }

  async entriesOfTypes(relId: string, types: readonly string[]): Promise<EntryRow[]> {
    return this.db
      .select()
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), inArray(t.entries.type, [...types])))
      .orderBy(asc(t.entries.seq));
  }

  async hasReferrer(relId: string, seq: number, type: string): Promise<boolean> {
    const rows = await this.db
      .select({ seq: t.entries.seq })
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), eq(t.entries.subjectSeq, seq), eq(t.entries.type, type)))
      .limit(1);
    return rows.length > 0;
  }

  async relationshipsOf(firmId: string, o: { as?: Side | null; status?: string | null; after?: string | null; limit: number }): Promise<RelationshipRow[]> {
    const r = t.relationships;
    const mine = o.as === 'SUPPLIER' ? eq(r.supplierId, firmId) : o.as === 'CLIENT' ? eq(r.clientId, firmId) : or(eq(r.supplierId, firmId), eq(r.clientId, firmId));
    return this.db
      .select()
      .from(r)
      .where(and(mine, o.status ? eq(r.status, o.status as never) : undefined, o.after ? gt(r.id, o.after) : undefined))
      .orderBy(asc(r.id))
      .limit(o.limit);
  }

  async ledger(relId: string, atSeq?: number): Promise<LedgerEntry[]> {
    const rows = await this.db
      .select()
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), atSeq === undefined ? undefined : lte(t.entries.seq, atSeq)))
      .orderBy(asc(t.entries.seq));
    return rows.map(rowToEntry);
  }

  async lastSeqRecordedBy(relId: string, at: string): Promise<number | null> {
    const [row] = await this.db
      .select({ seq: max(t.entries.seq) })
      .from(t.entries)
      .where(and(eq(t.entries.relationshipId, relId), lte(t.entries.recordedAt, at)));
    return row?.seq ?? null;
  }

  async relationshipsFor(ids: readonly string[], firmId: string): Promise<RelationshipRow[]> {
    return this.db
      .select()
      .from(t.relationships)
      .where(and(inArray(t.relationships.id, [...ids]), or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId))));
  }

  async firmsByIds(ids: readonly string[]): Promise<FirmRow[]> {
    return this.db.select().from(t.firms).where(inArray(t.firms.id, [...ids]));
  }

  async rowsBySeq<R>(table: SeqTable, relIds: readonly string[], seqs: readonly number[]): Promise<R[]> {
    const tbl = SEQ_TABLES[table];
    return (await this.db
      .select()
      .from(tbl)
      .where(and(inArray(tbl.relationshipId, [...relIds]), inArray(tbl.seq, [...seqs])))) as R[];
  }

  async metricsBySeq(relIds: readonly string[], seqs: readonly number[]): Promise<MetricRow[]> {
    return this.db
      .select()
      .from(t.metrics)
      .where(and(inArray(t.metrics.relationshipId, [...relIds]), inArray(t.metrics.seq, [...seqs])));
  }

  async metricsOfGoals(relIds: readonly string[], goalSeqs: readonly number[]): Promise<MetricRow[]> {
    return this.db
      .select()
      .from(t.metrics)
      .where(and(inArray(t.metrics.relationshipId, [...relIds]), inArray(t.metrics.goalSeq, [...goalSeqs]), eq(t.metrics.voided, false)))
      .orderBy(asc(t.metrics.seq), asc(t.metrics.idx));
  }

  async policiesOf(relIds: readonly string[]): Promise<PolicyRow[]> {
    return this.db.select().from(t.policies).where(inArray(t.policies.relationshipId, [...relIds])).orderBy(asc(t.policies.seq));
  }

  async representativesOf(relIds: readonly string[]): Promise<RepresentativeRow[]> {
    return this.db.select().from(t.representatives).where(inArray(t.representatives.relationshipId, [...relIds])).orderBy(asc(t.representatives.side));
  }

  async counterpartiesOf(firmId: string): Promise<string[]> {
    const rows = await this.db
      .select({ s: t.relationships.supplierId, c: t.relationships.clientId })
      .from(t.relationships)
      .where(or(eq(t.relationships.supplierId, firmId), eq(t.relationships.clientId, firmId)));
    return rows.map((r) => (r.s === firmId ? r.c : r.s));
  }

  async entriesAbout(relIds: readonly string[], seqs: readonly number[]): Promise<EntryRow[]> {
    const rels = inArray(t.entries.relationshipId, [...relIds]);
    const [own, refs] = await Promise.all([
      this.db.select().from(t.entries).where(and(rels, inArray(t.entries.seq, [...seqs]))),
      this.db.select().from(t.entries).where(and(rels, inArray(t.entries.subjectSeq, [...seqs]))),
    ]);
    return [...new Map([...own, ...refs].map((e) => [`${e.relationshipId}:${e.seq}`, e])).values()];
  }

  async seqPages<R>(table: PagedTable, relIds: readonly string[], filter: PageFilter, limit: number, after: number): Promise<R[]> {
    const tbl = SEQ_TABLES[table];
    const ranked = this.db
      .select({
        ...getTableColumns(tbl),
        rn: sql<number>`row_number() over (partition by ${tbl.relationshipId} order by ${tbl.seq})`.as('rn'),
      })
      .from(tbl)
      .where(and(inArray(tbl.relationshipId, [...relIds]), gt(tbl.seq, after), pageFilter(t, table, filter)))
      .as('ranked');
    const rows = await this.db.select().from(ranked).where(lte(ranked.rn, limit)).orderBy(sql`relationship_id`, sql`seq`);
    return rows.map(({ rn: _rn, ...row }) => row) as R[];
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
    const rows = await this.db.select().from(ranked).where(lte(ranked.rn, limit)).orderBy(asc(ranked.seq));
    return rows.map(({ rn: _rn, ...row }) => row) as MeasurementRow[];
  }

  async reviewRelationships(firmId: string, as: Side, acceptedAt: string, options: { staleAt?: string } = {}): Promise<RelationshipRow[]> {
    const r = t.relationships;
    const own = as === 'SUPPLIER' ? r.supplierId : r.clientId;
    const stale = options.staleAt === undefined ? undefined : staleAt(t, options.staleAt, own, firmId);
    return this.db
      .select()
      .from(r)
      .where(and(eq(own, firmId), ne(r.status, 'PROPOSED'), acceptedBy(t, acceptedAt), stale))
      .orderBy(r.id);
  }

  async openPromiseCounts(relIds: readonly string[], promisor: Side, asOf: string): Promise<Map<string, { open: number; overdue: number }>> {
    const counts = new Map<string, { open: number; overdue: number }>();
    if (relIds.length === 0) return counts;
    const p = t.promises;
    const dueAtAsOf = sql`coalesce((select r.payload::jsonb ->> 'newDueAt' from ${t.entries} r
      where r.relationship_id = ${p.relationshipId} and r.subject_seq = ${p.seq} and r.type = 'PROMISE_RESCHEDULED'
        and r.voided_by_seq is null and r.occurred_at <= ${asOf} order by r.seq desc limit 1), ${p.originalDueAt})`;
    const rows = await this.db
      .select({
        rid: p.relationshipId,
        open: sql<number>`count(*)::int`,
        overdue: sql<number>`sum(case when ${dueAtAsOf} < ${asOf} then 1 else 0 end)::int`,
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
      .groupBy(p.relationshipId);
    for (const r of rows) counts.set(r.rid, { open: r.open, overdue: r.overdue ?? 0 });
    return counts;
  }

  async staleFigures(at: string, limit: number): Promise<RelationshipRow[]> {
    const r = t.relationships;
    return this.db
      .select()
      .from(r)
      .where(and(ne(r.status, 'PROPOSED'), staleAt(t, at)))
      .orderBy(r.id)
      .limit(limit);
  }

  async storeFigures(at: string, figures: readonly ReviewFigures[]): Promise<void> {
    if (figures.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const f of figures)
        await tx
          .update(t.relationships)
          .set({
            scoredAt: at,
            supplierScore: f.supplierScore,
            supplierBand: f.supplierBand,
            clientScore: f.clientScore,
            clientBand: f.clientBand,
            churnStage: f.churnStage,
            supplierTier: reviewTier(f.supplierBand, f.supplierScore),
            clientTier: reviewTier(f.clientBand, f.clientScore),
          })
          .where(and(eq(t.relationships.id, f.id), eq(t.relationships.headSeq, f.headSeq)));
    });
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
    // backwards (its nulls placement included, or PostgreSQL would sort instead); within a tier
    // every score is null or none is (reviewTier), so nulls need no term of their own.
    const order = q.descending ? [sql`${tier} asc nulls first`, sql`${score} desc nulls first`, sql`${r.id} asc nulls first`] : [asc(tier), asc(score), asc(r.id)];
    return this.db
      .select()
      .from(r)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(q.limit)
      .offset(q.offset);
  }

  sharedEvents(): Promise<EventTarget | undefined> {
    this.#events ??= notifyEventTarget(this.#config, this.pool);
    return this.#events as Promise<EventTarget>;
  }

  sharedRateLimiter(perMinute: number): (keyId: string) => Promise<{ count: number; resetMs: number }> {
    const limiter = new RateLimiterPostgres({ storeClient: this.pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, points: perMinute, duration: 60 });
    return async (keyId) => {
      try {
        const res = await limiter.consume(keyId);
        return { count: res.consumedPoints, resetMs: res.msBeforeNext };
      } catch (rejection) {
        // Over the budget, the library rejects with where the key stands; anything else is a store error.
        if (rejection instanceof RateLimiterRes) return { count: rejection.consumedPoints, resetMs: rejection.msBeforeNext };
        throw rejection;
      }
    };
  }

  leads(): boolean {
    return this.#leader.isLeader();
  }

  async activeRelationships(): Promise<RelationshipRow[]> {
    return this.db
      .select()
      .from(t.relationships)
      .where(and(eq(t.relationships.status, 'ACTIVE'), gt(t.relationships.headSeq, 0)));
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
      );
  }

  async copyRelationship(relId: string): Promise<Store> {
    // One snapshot (REPEATABLE READ, read only) of the relationship's rows, into a private in-memory SQLite store.
    const client = await this.pool.connect();
    const scratch = SqliteStore.open({ path: ':memory:' });
    try {
      await client.query('begin isolation level repeatable read read only');
      const rel = (await client.query('select supplier_id, client_id from relationships where id = $1', [relId])).rows[0];
      if (!rel) throw new Error(`no relationship ${relId}`);
      const sqlite = scratch.db.$client;
      sqlite.pragma('foreign_keys = OFF');
      const copy = async (table: string, where: string, params: unknown[]) => {
        const res = await client.query({ text: `select * from ${table} where ${where}`, values: params });
        if (res.rows.length === 0) return;
        const cols = res.fields.map((f) => f.name);
        const insert = sqlite.prepare(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`);
        sqlite.transaction(() => {
          for (const row of res.rows) insert.run(...cols.map((c) => (typeof row[c] === 'boolean' ? (row[c] ? 1 : 0) : row[c])));
        })();
      };
      await copy('firms', 'id in ($1, $2)', [rel.supplier_id, rel.client_id]);
      await copy('relationships', 'id = $1', [relId]);
      for (const table of ['entries', 'goals', 'metrics', 'measurements', 'promises', 'interactions', 'representatives', 'policies'])
        await copy(table, 'relationship_id = $1', [relId]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      await scratch.close();
      throw error;
    } finally {
      client.release();
    }
    return scratch;
  }
}
