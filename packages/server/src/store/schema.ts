import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Tables. `entries` is the ledger; everything else but firms, keys and idempotency is a projection of it. */

export const firms = sqliteTable('firms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull(),
});

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    firmId: text('firm_id').notNull().references(() => firms.id),
    role: text('role', { enum: ['ADMIN', 'WRITER', 'READER'] }).notNull(),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    secretHash: text('secret_hash').notNull(),
    label: text('label'),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_secret_hash').on(t.secretHash), index('api_keys_firm').on(t.firmId)],
);

export const relationships = sqliteTable(
  'relationships',
  {
    id: text('id').primaryKey(),
    supplierId: text('supplier_id').notNull().references(() => firms.id),
    clientId: text('client_id').notNull().references(() => firms.id),
    proposedBy: text('proposed_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    status: text('status', { enum: ['PROPOSED', 'ACTIVE', 'ENDED'] }).notNull(),
    headSeq: integer('head_seq').notNull(),
    headHash: text('head_hash').notNull(),
    /** Latest occurredAt in the ledger: a scorecard asOf at or after it can be served from scoreState. */
    maxOccurredAt: text('max_occurred_at').notNull(),
    /** The scorecard engine's incremental state (JSON), updated with every entry. */
    scoreState: text('score_state').notNull(),
    createdAt: text('created_at').notNull(),
    /**
     * The review's figures (scorecard/review.ts), computed at `scoredAt`, the review's refresh
     * instant: each side's trust score and band and the churn stage. Null, or another instant,
     * when they must be computed again (a write with an occurredAt at or before it, a new row).
     */
    scoredAt: text('scored_at'),
    supplierScore: real('supplier_score'),
    supplierBand: text('supplier_band'),
    clientScore: real('client_score'),
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
    index('relationships_supplier_review_desc').on(t.supplierId, sql`${t.clientTier} desc`, t.clientScore, sql`${t.id} desc`),
    index('relationships_client_review_desc').on(t.clientId, sql`${t.supplierTier} desc`, t.supplierScore, sql`${t.id} desc`),
    index('relationships_supplier_scored').on(t.supplierId, t.scoredAt),
    index('relationships_client_scored').on(t.clientId, t.scoredAt),
  ],
);

export const entries = sqliteTable(
  'entries',
  {
    relationshipId: text('relationship_id').notNull().references(() => relationships.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    /** Canonical JSON of the payload, exactly as hashed. */
    payload: text('payload').notNull(),
    actorFirmId: text('actor_firm_id').notNull(),
    occurredAt: text('occurred_at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** The seq of the entry this one refers to (promiseSeq, goalSeq, entrySeq, …), for history look-ups. */
    subjectSeq: integer('subject_seq'),
    voidedBySeq: integer('voided_by_seq'),
    disputedBySeq: integer('disputed_by_seq'),
    confirmedBySeq: integer('confirmed_by_seq'),
  },
  (t) => [
    primaryKey({ columns: [t.relationshipId, t.seq] }),
    // History look-ups (a promise's or complaint's follow-ups) in seq order, without a sort.
    index('entries_subject_seq').on(t.relationshipId, t.subjectSeq, t.seq),
    index('entries_type_seq').on(t.relationshipId, t.type, t.seq),
  ],
);

export const goals = sqliteTable(
  'goals',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    proposedBy: text('proposed_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    status: text('status', { enum: ['PROPOSED', 'AGREED', 'REJECTED', 'RETIRED'] }).notNull(),
    voided: integer('voided', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] })],
);

export const metrics = sqliteTable(
  'metrics',
  {
    relationshipId: text('relationship_id').notNull(),
    /** The entry that defined the metric (GOAL_PROPOSED or METRIC_ADDED) and its index there. */
    seq: integer('seq').notNull(),
    idx: integer('idx').notNull(),
    goalSeq: integer('goal_seq').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    direction: text('direction', { enum: ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] }).notNull(),
    target: real('target').notNull(),
    baseline: real('baseline'),
    accountable: text('accountable', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    voided: integer('voided', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq, t.idx] }), index('metrics_goal').on(t.relationshipId, t.goalSeq)],
);

export const measurements = sqliteTable(
  'measurements',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    metricSeq: integer('metric_seq').notNull(),
    metricIdx: integer('metric_idx').notNull(),
    value: real('value').notNull(),
    observedAt: text('observed_at').notNull(),
    recordedBy: text('recorded_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    voided: integer('voided', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] }), index('measurements_metric').on(t.relationshipId, t.metricSeq, t.metricIdx)],
);

export const promises = sqliteTable(
  'promises',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    promisor: text('promisor', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    amount: real('amount'),
    currency: text('currency'),
    madeAt: text('made_at').notNull(),
    originalDueAt: text('original_due_at').notNull(),
    dueAt: text('due_at').notNull(),
    state: text('state', { enum: ['PROPOSED', 'OPEN', 'KEPT', 'BROKEN', 'CANCELLED'] }).notNull(),
    outcome: text('outcome'),
    resolvedAt: text('resolved_at'),
    voided: integer('voided', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.relationshipId, t.seq] }),
    index('promises_open_due').on(t.state, t.dueAt),
  ],
);

export const interactions = sqliteTable(
  'interactions',
  {
    relationshipId: text('relationship_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    initiatedBy: text('initiated_by', { enum: ['SUPPLIER', 'CLIENT'] }).notNull(),
    occurredAt: text('occurred_at').notNull(),
    note: text('note'),
    volume: real('volume'),
    score: integer('score'),
    firstResponseAt: text('first_response_at'),
    resolvedAt: text('resolved_at'),
    voided: integer('voided', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.relationshipId, t.seq] })],
);

export const representatives = sqliteTable(
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

export const policies = sqliteTable(
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

export const idempotency = sqliteTable(
  'idempotency',
  {
    firmId: text('firm_id').notNull(),
    key: text('key').notNull(),
    mutation: text('mutation').notNull(),
    requestHash: text('request_hash').notNull(),
    /** What the first call returned, as references that resolve to the same nodes again. */
    result: text('result').notNull(),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.key] })],
);
