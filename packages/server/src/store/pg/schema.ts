import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL tables: the same tables, columns and indexes as the SQLite schema
 * (store/schema.ts, which documents them), so every row reads back in the same shape. Times
 * stay RFC 3339 text (canonical UTC, so text order is time order on both stores); flags are
 * booleans; numbers double precision. Migrations: drizzle-kit with drizzle.pg.config.ts, in
 * drizzle/pg/.
 */

export const firms = pgTable('firms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    firmId: text('firm_id').notNull().references(() => firms.id),
    role: text('role', { enum: ['ADMIN', 'WRITER', 'READER'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    label: text('label'),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_secret_hash').on(t.secretHash), index('api_keys_firm').on(t.firmId)],
);

export const relationships = pgTable(
  'relationships',
  {
    id: text('id').primaryKey(),
    supplierId: text('supplier_id').notNull().references(() => firms.id),
    clientId: text('client_id').notNull().references(() => firms.id),
    proposedBy: text('proposed_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    status: text('status', { enum: ['PROPOSED', 'ACTIVE', 'ENDED'] }).notNull(),
    headSeq: integer('head_seq').notNull(),
    headHash: text('head_hash').notNull(),
    maxOccurredAt: text('max_occurred_at').notNull(),
    scoreState: text('score_state').notNull(),
    createdAt: text('created_at').notNull(),
    scoredAt: text('scored_at'),
    supplierScore: doublePrecision('supplier_score'),
    supplierBand: text('supplier_band'),
    clientScore: doublePrecision('client_score'),
    clientBand: text('client_band'),
    churnStage: text('churn_stage'),
    /**
     * Each side's place in a review's order before its score (see store/filters.ts reviewTier):
     * banded, Provisional, Unrated, each with a null score after, so one index walk serves a page.
     */
    supplierTier: integer('supplier_tier'),
    clientTier: integer('client_tier'),
  },
  (t) => [
    index('relationships_supplier').on(t.supplierId),
    index('relationships_client').on(t.clientId),
    // The review's pages: a firm's counterparties in its order (tier, score, id), ascending, and
    // descending by score (walked backwards); and its relationships whose figures are stale.
    index('relationships_supplier_review').on(t.supplierId, t.clientTier, t.clientScore, t.id),
    index('relationships_client_review').on(t.clientId, t.supplierTier, t.supplierScore, t.id),
    index('relationships_supplier_review_desc').on(t.supplierId, t.clientTier.desc(), t.clientScore, t.id.desc()),
    index('relationships_client_review_desc').on(t.clientId, t.supplierTier.desc(), t.supplierScore, t.id.desc()),
    index('relationships_supplier_scored').on(t.supplierId, t.scoredAt),
    index('relationships_client_scored').on(t.clientId, t.scoredAt),
  ],
);

export const entries = pgTable(
  'entries',
  {
    relationshipId: text('relationship_id').notNull().references(() => relationships.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    actorFirmId: text('actor_firm_id').notNull(),
    occurredAt: text('occurred_at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    subjectSeq: integer('subject_seq'),
    voidedBySeq: integer('voided_by_seq'),
    disputedBySeq: integer('disputed_by_seq'),
    confirmedBySeq: integer('confirmed_by_seq'),
  },
  (t) => [
    // (relationship, seq) is the key: two instances can never write the same seq of one chain.
    primaryKey({ columns: [t.relationshipId, t.seq] }),
    index('entries_subject_seq').on(t.relationshipId, t.subjectSeq, t.seq),
    index('entries_type_seq').on(t.relationshipId, t.type, t.seq),
  ],
);

export const goals = pgTable(
  'goals',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    proposedBy: text('proposed_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    status: text('status', { enum: ['PROPOSED', 'AGREED', 'REJECTED', 'RETIRED'] }).notNull(),
    voided: boolean('voided').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] })],
);

export const metrics = pgTable(
  'metrics',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    idx: integer('idx').notNull(),
    goalSeq: integer('goal_seq').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    direction: text('direction', { enum: ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] }).notNull(),
    target: doublePrecision('target').notNull(),
    baseline: doublePrecision('baseline'),
    accountable: text('accountable', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    voided: boolean('voided').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq, t.idx] }), index('metrics_goal').on(t.relationshipId, t.goalSeq)],
);

export const measurements = pgTable(
  'measurements',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    metricSeq: integer('metric_seq').notNull(),
    metricIdx: integer('metric_idx').notNull(),
    value: doublePrecision('value').notNull(),
    observedAt: text('observed_at').notNull(),
    recordedBy: text('recorded_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    voided: boolean('voided').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] }), index('measurements_metric').on(t.relationshipId, t.metricSeq, t.metricIdx)],
);

export const promises = pgTable(
  'promises',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    promisor: text('promisor', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    amount: doublePrecision('amount'),
    currency: text('currency'),
    madeAt: text('made_at').notNull(),
    originalDueAt: text('original_due_at').notNull(),
    dueAt: text('due_at').notNull(),
    state: text('state', { enum: ['PROPOSED', 'OPEN', 'KEPT', 'BROKEN', 'CANCELLED'] }).notNull(),
    outcome: text('outcome'),
    resolvedAt: text('resolved_at'),
    voided: boolean('voided').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] }), index('promises_open_due').on(t.state, t.dueAt)],
);

export const interactions = pgTable(
  'interactions',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    initiatedBy: text('initiated_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    occurredAt: text('occurred_at').notNull(),
    note: text('note'),
    volume: doublePrecision('volume'),
    score: integer('score'),
    firstResponseAt: text('first_response_at'),
    resolvedAt: text('resolved_at'),
    voided: boolean('voided').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] })],
);

export const representatives = pgTable(
  'representatives',
  {
    relationshipId: text('relationship_id').notNull(),
    side: text('side', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    name: text('name').notNull(),
    since: text('since').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.side] })],
);

export const policies = pgTable(
  'policies',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    proposedBy: text('proposed_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    policy: text('policy').notNull(),
    status: text('status', { enum: ['PROPOSED', 'ACCEPTED', 'SUPERSEDED'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] })],
);

export const idempotency = pgTable(
  'idempotency',
  {
    firmId: text('firm_id').notNull(),
    key: text('key').notNull(),
    mutation: text('mutation').notNull(),
    requestHash: text('request_hash').notNull(),
    result: text('result').notNull(),
    createdAt: text('created_at')
      .notNull()
      .default(sql`to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.key] })],
);

/**
 * Request counts per API key and window, shared by every instance: rate-limiter-flexible's
 * RateLimiterPostgres table (its columns, created here by migration rather than by the library
 * at run time, so instances started together do not race to create it).
 */
export const rateLimits = pgTable('rate_limits', {
  key: varchar('key', { length: 255 }).primaryKey(),
  points: integer('points').notNull().default(0),
  expire: bigint('expire', { mode: 'number' }),
});
