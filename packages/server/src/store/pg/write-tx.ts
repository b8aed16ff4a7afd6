import type { Side } from '@trustledger/schema';
import { and, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { SqliteStore } from '../sqlite/store.ts';
import { SqliteWriteTx } from '../sqlite/write-tx.ts';
import type { EntryRow, RelationshipRow, VoidableTable, WriteTx } from '../types.ts';
import * as t from './schema.ts';

/** What a write needs that the mirror does not hold yet (see PgWriter). */
type Need = { kind: 'rel'; id: string } | { kind: 'firm'; id: string } | { kind: 'key'; id: string } | { kind: 'idem'; firmId: string; key: string };

/** Thrown inside the synchronous write to ask for data; PgWriter loads it and runs the write again. */
class Miss extends Error {
  constructor(readonly need: Need) {
    super('internal: the write needs data not loaded yet (it is loaded and the write runs again)');
  }
}

/** WriteTx methods that change data: recorded, then replayed on PostgreSQL before commit. */
type WriteMethod =
  | 'insertFirm'
  | 'insertApiKey'
  | 'revokeApiKey'
  | 'insertIdempotency'
  | 'insertRelationship'
  | 'updateRelationship'
  | 'insertEntry'
  | 'setEntryLinks'
  | 'putPromise'
  | 'insertGoal'
  | 'setGoalStatus'
  | 'insertMetric'
  | 'voidMetricsOfGoal'
  | 'insertMeasurement'
  | 'insertInteraction'
  | 'setInteractionTimes'
  | 'voidRow'
  | 'setRepresentative'
  | 'insertPolicy'
  | 'acceptPolicy';

interface Op {
  method: WriteMethod;
  // biome-ignore lint: each method's own arguments
  args: any[];
}

/** One attempt of a write transaction. */
interface Attempt {
  scope: object;
  log: Op[];
  hooks: (() => void)[];
  missed: Miss | null;
  /** Loaded (and locked) in this transaction, across attempts. */
  rels: Set<string>;
  keys: Set<string>;
  idem: Set<string>;
  /** Firms this attempt created. */
  newFirms: Set<string>;
}

const MIRROR_TABLES = ['entries', 'goals', 'metrics', 'measurements', 'promises', 'interactions', 'representatives', 'policies'] as const;
/** Relationships kept in the mirror between writes; past it the mirror starts empty again. */
const MIRROR_MAX = 2000;

/**
 * The WriteTx a write runs on, over PostgreSQL: reads come from the mirror (an in-memory SQLite
 * copy of what the write needs, loaded under the relationship's row lock), writes go to the
 * mirror, so later reads of the same write see them, and to a log that PgWriter replays on
 * PostgreSQL. The ledger core (rules, projections, state) is the same synchronous code on both stores.
 */
class RecordingTx implements WriteTx {
  readonly #inner: SqliteWriteTx;
  readonly #a: Attempt;
  readonly #firms: Set<string>;

  constructor(inner: SqliteWriteTx, attempt: Attempt, firms: Set<string>) {
    this.#inner = inner;
    this.#a = attempt;
    this.#firms = firms;
  }

  get scope(): object {
    return this.#a.scope;
  }

  #need(need: Need): never {
    const miss = new Miss(need);
    this.#a.missed ??= miss;
    throw miss;
  }

  #rel(id: string): void {
    if (!this.#a.rels.has(id)) this.#need({ kind: 'rel', id });
  }

  #log(method: WriteMethod, args: unknown[]): void {
    this.#a.log.push({ method, args });
  }

  savepoint<T>(fn: (tx: WriteTx) => T): T {
    const mark = this.#a.log.length;
    try {
      return this.#inner.savepoint((child) => fn(new RecordingTx(child as SqliteWriteTx, this.#a, this.#firms)));
    } catch (error) {
      this.#a.log.length = mark;
      throw error;
    }
  }

  beforeCommit(fn: () => void): void {
    this.#a.hooks.push(fn);
  }

  firm(id: string) {
    if (!this.#firms.has(id) && !this.#a.newFirms.has(id)) this.#need({ kind: 'firm', id });
    return this.#inner.firm(id);
  }
  insertFirm(row: Parameters<WriteTx['insertFirm']>[0]) {
    this.#a.newFirms.add(row.id);
    this.#log('insertFirm', [row]);
    this.#inner.insertFirm(row);
  }
  insertApiKey(row: Parameters<WriteTx['insertApiKey']>[0]) {
    this.#a.keys.add(row.id);
    this.#log('insertApiKey', [row]);
    this.#inner.insertApiKey(row);
  }
  apiKey(id: string, firmId?: string) {
    if (!this.#a.keys.has(id)) this.#need({ kind: 'key', id });
    return this.#inner.apiKey(id, firmId);
  }
  revokeApiKey(id: string, at: string) {
    if (!this.#a.keys.has(id)) this.#need({ kind: 'key', id });
    this.#log('revokeApiKey', [id, at]);
    this.#inner.revokeApiKey(id, at);
  }
  idempotency(firmId: string, key: string) {
    if (!this.#a.idem.has(`${firmId}\u0000${key}`)) this.#need({ kind: 'idem', firmId, key });
    return this.#inner.idempotency(firmId, key);
  }
  insertIdempotency(row: Parameters<WriteTx['insertIdempotency']>[0]) {
    this.#log('insertIdempotency', [row]);
    this.#inner.insertIdempotency(row);
  }
  relationship(id: string, partyFirmId?: string) {
    this.#rel(id);
    return this.#inner.relationship(id, partyFirmId);
  }
  insertRelationship(row: RelationshipRow) {
    this.#a.rels.add(row.id);
    this.#log('insertRelationship', [row]);
    this.#inner.insertRelationship(row);
  }
  updateRelationship(id: string, values: Parameters<WriteTx['updateRelationship']>[1]) {
    this.#rel(id);
    this.#log('updateRelationship', [id, values]);
    this.#inner.updateRelationship(id, values);
  }
  insertEntry(row: Parameters<WriteTx['insertEntry']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertEntry', [row]);
    this.#inner.insertEntry(row);
  }
  entry(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.entry(relId, seq);
  }
  referrers(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.referrers(relId, seq);
  }
  standingReferrers(relId: string, seq: number, typePrefix: string) {
    this.#rel(relId);
    return this.#inner.standingReferrers(relId, seq, typePrefix);
  }
  standingOfType(relId: string, type: string) {
    this.#rel(relId);
    return this.#inner.standingOfType(relId, type);
  }
  setEntryLinks(relId: string, seq: number, links: Parameters<WriteTx['setEntryLinks']>[2]) {
    this.#rel(relId);
    this.#log('setEntryLinks', [relId, seq, links]);
    this.#inner.setEntryLinks(relId, seq, links);
  }
  ledger(relId: string) {
    this.#rel(relId);
    return this.#inner.ledger(relId);
  }
  entrySeqOf(relId: string, type: string, payload: string, occurredAt: string, clampedSince: string) {
    this.#rel(relId);
    return this.#inner.entrySeqOf(relId, type, payload, occurredAt, clampedSince);
  }
  promise(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.promise(relId, seq);
  }
  putPromise(row: Parameters<WriteTx['putPromise']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('putPromise', [row]);
    this.#inner.putPromise(row);
  }
  goal(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.goal(relId, seq);
  }
  insertGoal(row: Parameters<WriteTx['insertGoal']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertGoal', [row]);
    this.#inner.insertGoal(row);
  }
  setGoalStatus(relId: string, seq: number, status: Parameters<WriteTx['setGoalStatus']>[2]) {
    this.#rel(relId);
    this.#log('setGoalStatus', [relId, seq, status]);
    this.#inner.setGoalStatus(relId, seq, status);
  }
  metric(relId: string, seq: number, idx: number) {
    this.#rel(relId);
    return this.#inner.metric(relId, seq, idx);
  }
  metrics(relId: string) {
    this.#rel(relId);
    return this.#inner.metrics(relId);
  }
  insertMetric(row: Parameters<WriteTx['insertMetric']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertMetric', [row]);
    this.#inner.insertMetric(row);
  }
  voidMetricsOfGoal(relId: string, goalSeq: number) {
    this.#rel(relId);
    this.#log('voidMetricsOfGoal', [relId, goalSeq]);
    this.#inner.voidMetricsOfGoal(relId, goalSeq);
  }
  insertMeasurement(row: Parameters<WriteTx['insertMeasurement']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertMeasurement', [row]);
    this.#inner.insertMeasurement(row);
  }
  interaction(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.interaction(relId, seq);
  }
  insertInteraction(row: Parameters<WriteTx['insertInteraction']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertInteraction', [row]);
    this.#inner.insertInteraction(row);
  }
  setInteractionTimes(relId: string, seq: number, firstResponseAt: string | null, resolvedAt: string | null) {
    this.#rel(relId);
    this.#log('setInteractionTimes', [relId, seq, firstResponseAt, resolvedAt]);
    this.#inner.setInteractionTimes(relId, seq, firstResponseAt, resolvedAt);
  }
  voidRow(table: VoidableTable, relId: string, seq: number) {
    this.#rel(relId);
    this.#log('voidRow', [table, relId, seq]);
    this.#inner.voidRow(table, relId, seq);
  }
  setRepresentative(relId: string, side: Side, row: Parameters<WriteTx['setRepresentative']>[2]) {
    this.#rel(relId);
    this.#log('setRepresentative', [relId, side, row]);
    this.#inner.setRepresentative(relId, side, row);
  }
  policy(relId: string, seq: number) {
    this.#rel(relId);
    return this.#inner.policy(relId, seq);
  }
  insertPolicy(row: Parameters<WriteTx['insertPolicy']>[0]) {
    this.#rel(row.relationshipId);
    this.#log('insertPolicy', [row]);
    this.#inner.insertPolicy(row);
  }
  acceptPolicy(relId: string, seq: number) {
    this.#rel(relId);
    this.#log('acceptPolicy', [relId, seq]);
    this.#inner.acceptPolicy(relId, seq);
  }
}

const VOIDABLE = { promises: t.promises, interactions: t.interactions, measurements: t.measurements, goals: t.goals, metrics: t.metrics } as const;
/** Inserts replayed as one multi-row statement when consecutive (a batch of 1,000 entries: a few statements, not 1,000). */
const INSERT_TABLE = {
  insertFirm: t.firms,
  insertApiKey: t.apiKeys,
  insertEntry: t.entries,
  insertGoal: t.goals,
  insertMetric: t.metrics,
  insertMeasurement: t.measurements,
  insertInteraction: t.interactions,
  insertPolicy: t.policies,
} as const;
const ROWS_PER_INSERT = 500;
/** PostgreSQL errors after which the whole write is run again: unique violation, serialization failure, deadlock. */
const RETRYABLE = new Set(['23505', '40001', '40P01']);

/**
 * Writes on PostgreSQL. `write(fn)` runs the synchronous `fn` against a RecordingTx in one
 * PostgreSQL transaction: whenever `fn` needs a relationship (or a firm, key, idempotency
 * record) the mirror does not hold yet, the write stops, the data is loaded (the relationship
 * row with SELECT … FOR UPDATE, then its ledger and projections unless the mirror already holds
 * them at that head; an idempotency key under pg_advisory_xact_lock), and `fn` runs again from
 * the start. When it returns, its recorded writes are replayed (multi-row inserts) and the
 * transaction commits. So two instances appending to one relationship serialise on its row, the
 * second one reads the head the first committed, and (relationship, seq) stays unique.
 * One write at a time per instance (the mirror is one SQLite connection); instances write in parallel.
 */
export class PgWriter {
  readonly #pool: pg.Pool;
  readonly #mirror: SqliteStore;
  /** Relationships the mirror holds, at which head. */
  readonly #loaded = new Map<string, { seq: number; hash: string }>();
  /** Firms the mirror holds (firms never change). */
  readonly #firms = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#mirror = SqliteStore.open({ path: ':memory:' });
    this.#mirror.db.$client.pragma('foreign_keys = OFF');
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.#mirror.close();
  }

  write<T>(fn: (tx: WriteTx) => T): Promise<T> {
    const run = this.#queue.then(
      () => this.#writeRetrying(fn),
      () => this.#writeRetrying(fn),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeRetrying<T>(fn: (tx: WriteTx) => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#writeOnce(fn);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  }

  async #writeOnce<T>(fn: (tx: WriteTx) => T): Promise<T> {
    if (this.#loaded.size > MIRROR_MAX) this.#reset();
    const client = await this.#pool.connect();
    const sqlite = this.#mirror.db.$client;
    const touched = { rels: new Set<string>(), keys: new Set<string>(), idem: new Set<string>() };
    try {
      await client.query('begin');
      for (;;) {
        const attempt: Attempt = { scope: {}, log: [], hooks: [], missed: null, ...touched, newFirms: new Set() };
        sqlite.exec('begin');
        let out: T;
        try {
          out = fn(new RecordingTx(new SqliteWriteTx(this.#mirror.db), attempt, this.#firms));
          while (attempt.hooks.length) attempt.hooks.shift()?.();
        } catch (error) {
          sqlite.exec('rollback');
          const miss = attempt.missed ?? (error instanceof Miss ? error : null);
          if (!miss) throw error;
          await this.#load(client, miss.need, touched);
          continue;
        }
        try {
          await this.#replay(client, attempt.log);
          await client.query('commit');
        } catch (error) {
          sqlite.exec('rollback');
          // What the mirror holds of these relationships is no longer known to match: load again next time.
          for (const id of touched.rels) this.#loaded.delete(id);
          throw error;
        }
        sqlite.exec('commit');
        for (const id of attempt.newFirms) this.#firms.add(id);
        for (const id of touched.rels) {
          const row = sqlite.prepare('select head_seq as seq, head_hash as hash from relationships where id = ?').get(id) as { seq: number; hash: string } | undefined;
          if (row) this.#loaded.set(id, row);
          else this.#loaded.delete(id);
        }
        return out;
      }
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Empties the mirror (it is a cache: everything in it is loaded again when needed). */
  #reset(): void {
    const sqlite = this.#mirror.db.$client;
    for (const table of [...MIRROR_TABLES, 'relationships', 'api_keys', 'idempotency', 'firms']) sqlite.prepare(`delete from "${table}"`).run();
    this.#loaded.clear();
    this.#firms.clear();
  }

  /** Copies rows from PostgreSQL into a mirror table (booleans as SQLite's 0/1). */
  #put(table: string, rows: Record<string, unknown>[], fields: string[]): void {
    if (rows.length === 0) return;
    const sqlite = this.#mirror.db.$client;
    const insert = sqlite.prepare(`insert or replace into "${table}" (${fields.map((c) => `"${c}"`).join(', ')}) values (${fields.map(() => '?').join(', ')})`);
    for (const row of rows) insert.run(...fields.map((c) => (typeof row[c] === 'boolean' ? (row[c] ? 1 : 0) : row[c])));
  }

  async #load(client: pg.PoolClient, need: Need, touched: { rels: Set<string>; keys: Set<string>; idem: Set<string> }): Promise<void> {
    const sqlite = this.#mirror.db.$client;
    switch (need.kind) {
      case 'firm': {
        const res = await client.query('select * from firms where id = $1', [need.id]);
        this.#put('firms', res.rows, res.fields.map((f) => f.name));
        this.#firms.add(need.id);
        return;
      }
      case 'key': {
        const res = await client.query('select * from api_keys where id = $1 for update', [need.id]);
        sqlite.prepare('delete from api_keys where id = ?').run(need.id);
        this.#put('api_keys', res.rows, res.fields.map((f) => f.name));
        touched.keys.add(need.id);
        return;
      }
      case 'idem': {
        // Requests with one key wait for each other here, on any instance: the second sees the first's result.
        await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`idempotency:${need.firmId.length}:${need.firmId}:${need.key}`]);
        const res = await client.query('select * from idempotency where firm_id = $1 and key = $2', [need.firmId, need.key]);
        sqlite.prepare('delete from idempotency where firm_id = ? and key = ?').run(need.firmId, need.key);
        this.#put('idempotency', res.rows, res.fields.map((f) => f.name));
        touched.idem.add(`${need.firmId}\u0000${need.key}`);
        return;
      }
      case 'rel': {
        // The lock that serialises appends to this relationship across instances, until commit.
        const res = await client.query('select * from relationships where id = $1 for update', [need.id]);
        const row = res.rows[0] as { head_seq: number; head_hash: string } | undefined;
        const held = this.#loaded.get(need.id);
        touched.rels.add(need.id);
        if (row && held && held.seq === row.head_seq && held.hash === row.head_hash) {
          // The mirror holds this head already: only the row itself (review figures) may have moved.
          this.#put('relationships', res.rows, res.fields.map((f) => f.name));
          return;
        }
        sqlite.prepare('delete from relationships where id = ?').run(need.id);
        for (const table of MIRROR_TABLES) sqlite.prepare(`delete from "${table}" where relationship_id = ?`).run(need.id);
        this.#loaded.delete(need.id);
        if (!row) return;
        this.#put('relationships', res.rows, res.fields.map((f) => f.name));
        for (const table of MIRROR_TABLES) {
          const rows = await client.query(`select * from ${table} where relationship_id = $1`, [need.id]);
          this.#put(table, rows.rows, rows.fields.map((f) => f.name));
        }
        this.#loaded.set(need.id, { seq: row.head_seq, hash: row.head_hash });
        return;
      }
    }
  }

  /** Replays the recorded writes on PostgreSQL, in order; consecutive inserts into one table as one statement. */
  async #replay(client: pg.PoolClient, log: Op[]): Promise<void> {
    const d = drizzle(client, { schema: t });
    for (let i = 0; i < log.length; ) {
      const op = log[i];
      if (op.method in INSERT_TABLE) {
        const table = INSERT_TABLE[op.method as keyof typeof INSERT_TABLE];
        let j = i;
        while (j < log.length && log[j].method === op.method && j - i < ROWS_PER_INSERT) j++;
        await d.insert(table).values(log.slice(i, j).map((o) => o.args[0]));
        i = j;
        continue;
      }
      i++;
      const a = op.args;
      switch (op.method) {
        case 'revokeApiKey':
          await d.update(t.apiKeys).set({ revokedAt: a[1] }).where(and(eq(t.apiKeys.id, a[0]), isNull(t.apiKeys.revokedAt)));
          break;
        case 'insertIdempotency':
          await d.insert(t.idempotency).values(a[0]);
          break;
        case 'insertRelationship':
          await d.insert(t.relationships).values(a[0]);
          break;
        case 'updateRelationship':
          await d.update(t.relationships).set(a[1]).where(eq(t.relationships.id, a[0]));
          break;
        case 'setEntryLinks':
          await d
            .update(t.entries)
            .set(a[2] as Partial<EntryRow>)
            .where(and(eq(t.entries.relationshipId, a[0]), eq(t.entries.seq, a[1])));
          break;
        case 'putPromise': {
          const row = { ...a[0], voided: false };
          await d
            .insert(t.promises)
            .values(row)
            .onConflictDoUpdate({ target: [t.promises.relationshipId, t.promises.seq], set: row });
          break;
        }
        case 'setGoalStatus':
          await d.update(t.goals).set({ status: a[2] }).where(and(eq(t.goals.relationshipId, a[0]), eq(t.goals.seq, a[1])));
          break;
        case 'voidMetricsOfGoal':
          await d.update(t.metrics).set({ voided: true }).where(and(eq(t.metrics.relationshipId, a[0]), eq(t.metrics.goalSeq, a[1])));
          break;
        case 'setInteractionTimes':
          await d
            .update(t.interactions)
            .set({ firstResponseAt: a[2], resolvedAt: a[3] })
            .where(and(eq(t.interactions.relationshipId, a[0]), eq(t.interactions.seq, a[1])));
          break;
        case 'voidRow': {
          const table = VOIDABLE[a[0] as VoidableTable];
          await d.update(table).set({ voided: true }).where(and(eq(table.relationshipId, a[1]), eq(table.seq, a[2])));
          break;
        }
        case 'setRepresentative':
          await d.delete(t.representatives).where(and(eq(t.representatives.relationshipId, a[0]), eq(t.representatives.side, a[1])));
          if (a[2]) await d.insert(t.representatives).values(a[2]);
          break;
        case 'acceptPolicy':
          await d.update(t.policies).set({ status: 'SUPERSEDED' }).where(and(eq(t.policies.relationshipId, a[0]), eq(t.policies.status, 'ACCEPTED')));
          await d.update(t.policies).set({ status: 'ACCEPTED' }).where(and(eq(t.policies.relationshipId, a[0]), eq(t.policies.seq, a[1])));
          break;
        default:
          throw new Error(`internal: no replay for ${op.method}`);
      }
    }
  }
}
