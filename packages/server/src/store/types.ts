import type { LedgerEntry, Side } from '@trustledger/schema';
import type * as t from './schema.ts';

/**
 * Row shapes, the same on every store (SQLite and PostgreSQL map their columns to these):
 * times are RFC 3339 strings, flags booleans, JSON columns text.
 */
export type FirmRow = typeof t.firms.$inferSelect;
export type ApiKeyRow = typeof t.apiKeys.$inferSelect;
export type RelationshipRow = typeof t.relationships.$inferSelect;
export type EntryRow = typeof t.entries.$inferSelect;
export type GoalRow = typeof t.goals.$inferSelect;
export type MetricRow = typeof t.metrics.$inferSelect;
export type MeasurementRow = typeof t.measurements.$inferSelect;
export type PromiseRow = typeof t.promises.$inferSelect;
export type InteractionRow = typeof t.interactions.$inferSelect;
export type RepresentativeRow = typeof t.representatives.$inferSelect;
export type PolicyRow = typeof t.policies.$inferSelect;
export type IdempotencyRow = typeof t.idempotency.$inferSelect;

/** The ledger-backed projection tables whose rows are keyed (relationship, seq) and can be voided. */
export type VoidableTable = 'promises' | 'interactions' | 'measurements' | 'goals' | 'metrics';
/** Tables a batched loader reads by `(relationship, seq)` keys. */
export type SeqTable = 'entries' | 'goals' | 'promises' | 'interactions' | 'measurements' | 'policies';
/** Tables served a page per relationship in seq order (loaders' `*Page`). */
export type PagedTable = 'entries' | 'goals' | 'promises' | 'interactions';

/** The row fields of a new entry (its flags start null). */
export type EntryInsert = Omit<EntryRow, 'voidedBySeq' | 'disputedBySeq' | 'confirmedBySeq'>;

/**
 * One open write transaction, as the ledger core sees it: synchronous look-ups and writes (the
 * rules, projections and scorecard state are pure synchronous code over this interface, so a
 * batch of 1,000 entries costs no await per statement). Every method is scoped to what the
 * append path needs; nothing else writes. Only `Store.write` hands one out; it commits when the
 * callback returns and rolls back when it throws.
 */
export interface WriteTx {
  /** The same object for a transaction and its savepoints: key per-transaction memos by it. */
  readonly scope: object;
  /** Runs `fn` in a nested savepoint: a throw undoes only its writes (the CSV check pass, a row at a time). */
  savepoint<T>(fn: (tx: WriteTx) => T): T;
  /** Registers work to run just before commit (once per transaction, in registration order). */
  beforeCommit(fn: () => void): void;

  // Firms, keys, idempotency.
  firm(id: string): FirmRow | undefined;
  insertFirm(row: FirmRow): void;
  insertApiKey(row: ApiKeyRow): void;
  /** A key by id, of `firmId` when given. */
  apiKey(id: string, firmId?: string): ApiKeyRow | undefined;
  /** Sets revokedAt on a key not yet revoked. */
  revokeApiKey(id: string, at: string): void;
  idempotency(firmId: string, key: string): IdempotencyRow | undefined;
  insertIdempotency(row: Omit<IdempotencyRow, 'createdAt'>): void;

  // Relationships and their ledgers.
  /**
   * A relationship row, taken for writing: on PostgreSQL the row is locked (SELECT … FOR UPDATE)
   * until the transaction ends, so appends to one relationship serialise across instances.
   * `partyFirmId`: only if that firm is supplier or client.
   */
  relationship(id: string, partyFirmId?: string): RelationshipRow | undefined;
  insertRelationship(row: RelationshipRow): void;
  updateRelationship(id: string, values: Partial<Omit<RelationshipRow, 'id'>>): void;
  insertEntry(row: EntryInsert): void;
  entry(relId: string, seq: number): EntryRow | undefined;
  /** Entries whose subject_seq is `seq` (follow-ups, confirmations, disputes, …), in seq order. */
  referrers(relId: string, seq: number): EntryRow[];
  /** Standing (not voided) entries of `type` prefix (e.g. 'PROMISE_') that refer to `seq`, in seq order. */
  standingReferrers(relId: string, seq: number, typePrefix: string): EntryRow[];
  /** Standing entries of one type, newest first. */
  standingOfType(relId: string, type: string): EntryRow[];
  /** Sets an entry's links to the entries that voided, disputed or confirmed it. */
  setEntryLinks(relId: string, seq: number, links: Partial<Pick<EntryRow, 'voidedBySeq' | 'disputedBySeq' | 'confirmedBySeq'>>): void;
  /** The whole ledger, in seq order. */
  ledger(relId: string): LedgerEntry[];
  /**
   * The first entry with this type and canonical payload whose occurredAt is `occurredAt`, or is
   * its own recordedAt within [clampedSince, occurredAt) (a time ahead of the clock, recorded as
   * now): the CSV re-import's look-up.
   */
  entrySeqOf(relId: string, type: string, payload: string, occurredAt: string, clampedSince: string): number | null;

  // Projections.
  promise(relId: string, seq: number): PromiseRow | undefined;
  /** Inserts or replaces a promise row (not voided). */
  putPromise(row: Omit<PromiseRow, 'voided'>): void;
  goal(relId: string, seq: number): GoalRow | undefined;
  insertGoal(row: Omit<GoalRow, 'voided'>): void;
  setGoalStatus(relId: string, seq: number, status: GoalRow['status']): void;
  metric(relId: string, seq: number, idx: number): MetricRow | undefined;
  /** The relationship's metrics that are not voided. */
  metrics(relId: string): MetricRow[];
  insertMetric(row: Omit<MetricRow, 'voided'>): void;
  /** Voids the metrics of a goal. */
  voidMetricsOfGoal(relId: string, goalSeq: number): void;
  insertMeasurement(row: Omit<MeasurementRow, 'voided'>): void;
  interaction(relId: string, seq: number): InteractionRow | undefined;
  insertInteraction(row: Omit<InteractionRow, 'voided' | 'firstResponseAt' | 'resolvedAt'>): void;
  setInteractionTimes(relId: string, seq: number, firstResponseAt: string | null, resolvedAt: string | null): void;
  /** Marks the row (relationship, seq) of a projection voided (metrics: every metric the entry defined). */
  voidRow(table: VoidableTable, relId: string, seq: number): void;
  /** Replaces a side's representative (none when `row` is null). */
  setRepresentative(relId: string, side: Side, row: RepresentativeRow | null): void;
  policy(relId: string, seq: number): PolicyRow | undefined;
  insertPolicy(row: PolicyRow): void;
  /** The proposal at `seq` becomes the accepted policy; the one accepted before is superseded. */
  acceptPolicy(relId: string, seq: number): void;
}

/** A relationship's figures for the review columns, at `scoredAt`. */
export interface ReviewFigures {
  id: string;
  /** Written only if the row still has this head (a write since makes them stale anyway). */
  headSeq: number;
  supplierScore: number | null;
  supplierBand: string;
  clientScore: number | null;
  clientBand: string;
  churnStage: string;
}

/** A promise that fell due, with the two firms to tell (the overdue watcher). */
export interface DuePromise {
  promise: PromiseRow;
  supplierId: string;
  clientId: string;
}

/** One page of a review read from the stored figures (see Store.reviewPageRows). */
export interface ReviewPageQuery {
  firmId: string;
  as: Side;
  /** Relationships accepted (RELATIONSHIP_ACCEPTED occurredAt) by this time only. */
  acceptedBy: string;
  bands?: readonly string[] | null;
  stages?: readonly string[] | null;
  descending: boolean;
  offset: number;
  limit: number;
}

/** Filters of the per-relationship pages (loaders' `*Page`): all optional. */
export interface PageFilter {
  status?: string | null;
  promisor?: string | null;
  state?: string | null;
  outcome?: string | null;
  /** With `now`: open and past due (true), or not (false). */
  overdue?: boolean | null;
  now?: string;
  kinds?: readonly string[] | null;
}

/**
 * The data-access module (DESIGN §4 "Storage"): the only place SQL lives. Asynchronous and
 * coarse-grained: one awaited call per operation (a write transaction, a batch of loader keys,
 * a review page), so the embedded SQLite store keeps its speed and PostgreSQL serves several
 * API instances. Open one with `openStore` (store/index.ts).
 *
 * Reads see committed data. Keys `rel:seq` are `entityId(relationshipId, seq)` (ids.ts).
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one write transaction and resolves with its result once committed; a throw
   * rolls everything back and rejects with it. `fn` is synchronous: every look-up and write
   * goes through `tx` (see WriteTx). On SQLite the transaction is IMMEDIATE (it takes the write
   * lock first); when the lock stays busy past the busy timeout it rejects with SQLITE_BUSY.
   */
  write<T>(fn: (tx: WriteTx) => T): Promise<T>;
  /**
   * Readiness (GET /ready): `database` is 'ok' when it answers a query, `migrations` 'ok' when
   * every migration shipped with this build is applied; otherwise a sentence saying what is wrong.
   * Never rejects.
   */
  readiness(): Promise<{ database: string; migrations: string }>;
  /** Closes the connections (idempotent). */
  close(): Promise<void>;

  // Firms and keys.
  firm(id: string): Promise<FirmRow | undefined>;
  firmsNamed(name: string): Promise<FirmRow[]>;
  /** Every firm, in creation order. */
  firms(): Promise<FirmRow[]>;
  /** Whether there is no firm yet (a first run). */
  isEmpty(): Promise<boolean>;
  /** The key with this secret hash (SHA-256 hex) if not revoked. */
  activeKeyByHash(secretHash: string): Promise<ApiKeyRow | undefined>;
  /** A key by id, of `firmId` when given. */
  apiKey(id: string, firmId?: string): Promise<ApiKeyRow | undefined>;
  apiKeysOf(firmId: string): Promise<ApiKeyRow[]>;

  // Relationships and ledgers.
  relationship(id: string): Promise<RelationshipRow | undefined>;
  /** The viewer's relationships in id order after `after`, at most `limit`. */
  relationshipsOf(firmId: string, options: { as?: Side | null; status?: string | null; after?: string | null; limit: number }): Promise<RelationshipRow[]>;
  /** The ledger in seq order, up to and including `atSeq` when given. */
  ledger(relId: string, atSeq?: number): Promise<LedgerEntry[]>;
  /** The relationship's entries of these types, in seq order (a dispute's life, ledger/disputes.ts). */
  entriesOfTypes(relId: string, types: readonly string[]): Promise<EntryRow[]>;
  /** Whether an entry of `type` refers to entry `seq` (was it ever disputed?). */
  hasReferrer(relId: string, seq: number, type: string): Promise<boolean>;
  /** The last seq recorded (recordedAt) at or before `at`; null when none. */
  lastSeqRecordedBy(relId: string, at: string): Promise<number | null>;

  // Loaders' batched reads: one statement per batch.
  /** Of `ids`, the relationships `firmId` is party to. */
  relationshipsFor(ids: readonly string[], firmId: string): Promise<RelationshipRow[]>;
  firmsByIds(ids: readonly string[]): Promise<FirmRow[]>;
  /** Rows of `table` whose relationship is in `relIds` and seq in `seqs` (the caller matches pairs). */
  rowsBySeq<R>(table: SeqTable, relIds: readonly string[], seqs: readonly number[]): Promise<R[]>;
  metricsBySeq(relIds: readonly string[], seqs: readonly number[]): Promise<MetricRow[]>;
  /** Standing metrics of goals, in (seq, idx) order. */
  metricsOfGoals(relIds: readonly string[], goalSeqs: readonly number[]): Promise<MetricRow[]>;
  policiesOf(relIds: readonly string[]): Promise<PolicyRow[]>;
  representativesOf(relIds: readonly string[]): Promise<RepresentativeRow[]>;
  /** Firm ids on the other side of `firmId`'s relationships. */
  counterpartiesOf(firmId: string): Promise<string[]>;
  /** Entries with these seqs, and entries referring to them (subject_seq), of these relationships. */
  entriesAbout(relIds: readonly string[], seqs: readonly number[]): Promise<EntryRow[]>;
  /** Up to `limit` rows per relationship after seq `after`, standing and filtered, in (relationship, seq) order. */
  seqPages<R>(table: PagedTable, relIds: readonly string[], filter: PageFilter, limit: number, after: number): Promise<R[]>;
  /** Up to `limit` standing measurements per metric after seq `after`, in seq order. */
  measurementPages(relIds: readonly string[], metricSeqs: readonly number[], limit: number, after: number): Promise<MeasurementRow[]>;

  // Review (scorecard/review.ts).
  /**
   * `firmId`'s relationships on side `as`, accepted by `acceptedBy` (not PROPOSED), in id order;
   * with `staleAt`, only those whose stored figures are not at that refresh instant.
   */
  reviewRelationships(firmId: string, as: Side, acceptedBy: string, options?: { staleAt?: string }): Promise<RelationshipRow[]>;
  /** Open and overdue promises of `promisor` at asOf, per relationship. */
  openPromiseCounts(relIds: readonly string[], promisor: Side, asOf: string): Promise<Map<string, { open: number; overdue: number }>>;
  /** Relationships (not PROPOSED) whose stored figures are not at `at`, at most `limit`. */
  staleFigures(at: string, limit: number): Promise<RelationshipRow[]>;
  /** Stores review figures at `at`, in one transaction. */
  storeFigures(at: string, figures: readonly ReviewFigures[]): Promise<void>;
  /** One page of a review in the stored figures' order (band tier, score, id). */
  reviewPageRows(query: ReviewPageQuery): Promise<RelationshipRow[]>;

  // Alerts.
  /**
   * Where alerts travel between instances: an EventTarget every instance on this store shares
   * (PostgreSQL: LISTEN/NOTIFY, store/pg/shared.ts), or undefined for the in-process default
   * (SQLite serves one instance).
   */
  sharedEvents(): Promise<EventTarget | undefined>;
  /**
   * A per-minute request budget per API key that every instance on this store shares (PostgreSQL:
   * rate-limiter-flexible's RateLimiterPostgres), or undefined when one process's memory is the
   * right place to count (SQLite). Counts one request of `keyId` and tells where it stands.
   */
  sharedRateLimiter(perMinute: number): ((keyId: string) => Promise<{ count: number; resetMs: number }>) | undefined;
  /** Whether this instance runs the background watchers: always on SQLite; on PostgreSQL the one instance holding the leader lock. */
  leads(): boolean;
  /** ACTIVE relationships with at least one entry (the stage watcher). */
  activeRelationships(): Promise<RelationshipRow[]>;
  /** Open, standing promises of relationships not ended, due in (since, until]. */
  fallenDue(since: string, until: string): Promise<DuePromise[]>;

  /**
   * A private in-memory SQLite store holding one relationship as this store has it now (its row,
   * its two firms, every ledger and projection row), read in one snapshot without the write lock:
   * the CSV import checks a whole file against it.
   */
  copyRelationship(relId: string): Promise<Store>;
}
