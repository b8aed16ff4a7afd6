import {
  canonicalJson,
  checkOccurredAt,
  entryTimeIssues,
  type EntryType,
  GENESIS_HASH,
  hashEntry,
  isEntryType,
  type LedgerEntry,
  parseDateTime,
  validatePayload,
} from '@trustledger/schema';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { AppError, validation } from '../errors.ts';
import { newId } from '../ids.ts';
import { beforeWrite } from '../alerts/service.ts';
import { advanceState, initialScoreState, pendingRow } from '../scoring/state.ts';
import { project, subjectSeqOf } from './projections.ts';
import { checkRules, type RelationshipRow, sideOf } from './rules.ts';

export interface AppendRequest {
  type: string;
  payload: unknown;
  /** RFC 3339; defaults to now. */
  occurredAt?: string | null;
  /** Where this entry sits in the GraphQL input, for error paths (e.g. ['entries', 3]). */
  path?: (string | number)[];
}

/**
 * Normalises occurredAt: now when absent; rejects what is not RFC 3339 and business times outside
 * the plausible window (before 2000, or in the future beyond clock skew; @trustledger/schema inputs).
 * A time ahead of the server's clock within the skew is the other firm's clock running fast, not
 * an event in the future: it is recorded as the server's now, so no entry's business time lies
 * after its recordedAt, and the incremental scorecard state can answer for now at once (issue 13).
 */
export function occurredAtOf(value: string | null | undefined, now: string, path: (string | number)[]): string {
  if (value === undefined || value === null) return now;
  const parsed = parseDateTime(value);
  if (!parsed.ok) throw validation(`${parsed.message}.`, [...path, 'occurredAt']);
  const outside = checkOccurredAt(parsed.time, now);
  if (outside) throw validation(outside, [...path, 'occurredAt']);
  return parsed.time > now ? now : parsed.time;
}

function insertEntry(db: Db, rel: RelationshipRow, actorFirmId: string, type: EntryType, payload: object, occurredAt: string, now: string): LedgerEntry {
  // Canonical once: the stored payload is this text, and parsing it back gives the hashed value.
  const canonicalPayload = canonicalJson(payload);
  const fields = {
    relationshipId: rel.id,
    seq: rel.headSeq + 1,
    type,
    payload: JSON.parse(canonicalPayload),
    actorFirmId,
    occurredAt,
    recordedAt: now,
    prevHash: rel.headSeq === 0 ? GENESIS_HASH : rel.headHash,
  };
  const entry = { ...fields, hash: hashEntry(fields) } as LedgerEntry;
  sqliteOf(db)
    .prepare(
      'insert into entries (relationship_id, seq, type, payload, actor_firm_id, occurred_at, recorded_at, prev_hash, hash, subject_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(rel.id, fields.seq, type, canonicalPayload, actorFirmId, occurredAt, now, fields.prevHash, entry.hash, subjectSeqOf(type, fields.payload));
  return entry;
}

/**
 * Moves the relationship's head and its incremental scorecard state past a new entry, in memory;
 * the row is written once per transaction (inTransaction → flushPending).
 */
function advance(db: Db, rel: RelationshipRow, entry: LedgerEntry): RelationshipRow {
  const maxOccurredAt = rel.maxOccurredAt && rel.maxOccurredAt > entry.occurredAt ? rel.maxOccurredAt : entry.occurredAt;
  const next = advanceState(db, rel, entry, maxOccurredAt);
  // The projections change the status for these two (and only these).
  if (entry.type === 'RELATIONSHIP_ACCEPTED') next.status = 'ACTIVE';
  else if (entry.type === 'RELATIONSHIP_ENDED') next.status = 'ENDED';
  return next;
}

/** Transactions open through inTransaction: appends are written at its end, so they must run inside one. */
let openTransactions = 0;
/** For inTransaction only. */
export const transactionDepth = (delta: number): number => (openTransactions += delta);

/**
 * Appends one entry to a relationship's ledger: validates the payload, checks the rules against
 * the projections, chains and hashes it, writes projections and the scorecard state. Must run
 * inside a transaction; throws AppError for anything a person should fix.
 * Returns the entry and the relationship row as it stands after it.
 */
export function appendEntry(
  db: Db,
  rel: RelationshipRow,
  actorFirmId: string,
  req: AppendRequest,
  now: string,
): { entry: LedgerEntry; rel: RelationshipRow } {
  if (openTransactions === 0) throw new Error('appendEntry must run inside inTransaction (it writes the relationship row before commit).');
  // Earlier appends of this transaction moved the row in memory: the caller's copy may lag.
  rel = pendingRow(rel.id) ?? rel;
  const path = req.path ?? [];
  if (!isEntryType(req.type)) throw validation(`"${String(req.type)}" is not an entry type.`, [...path, 'type']);
  const occurredAt = occurredAtOf(req.occurredAt, now, path);
  const checked = validatePayload(req.type, req.payload, [...path, 'payload']);
  if (!checked.success) throw AppError.validation(checked.issues);
  const timeIssues = entryTimeIssues(req.type, checked.data, occurredAt, path);
  if (timeIssues.length) throw AppError.validation(timeIssues);
  const side = sideOf(rel, actorFirmId);
  beforeWrite(db, rel);
  checkRules({ db, rel, side, type: req.type, payload: checked.data, occurredAt, now, at: [...path, 'payload'] });
  const entry = insertEntry(db, rel, actorFirmId, req.type, checked.data as object, occurredAt, now);
  project(db, rel, entry, now);
  return { entry, rel: advance(db, rel, entry) };
}

/** Creates a proposed relationship whose ledger starts with RELATIONSHIP_PROPOSED. Runs in a transaction. */
export function createRelationship(
  db: Db,
  proposer: { firmId: string; side: 'SUPPLIER' | 'CLIENT' },
  counterpartyId: string,
  occurredAt: string,
  now: string,
): { entry: LedgerEntry; rel: RelationshipRow } {
  const supplierId = proposer.side === 'SUPPLIER' ? proposer.firmId : counterpartyId;
  const clientId = proposer.side === 'SUPPLIER' ? counterpartyId : proposer.firmId;
  const id = newId('rel');
  const row: RelationshipRow = {
    id,
    supplierId,
    clientId,
    proposedBy: proposer.side,
    status: 'PROPOSED',
    headSeq: 0,
    headHash: GENESIS_HASH,
    maxOccurredAt: occurredAt,
    scoreState: initialScoreState(),
    createdAt: now,
    scoredAt: null,
    supplierScore: null,
    supplierBand: null,
    clientScore: null,
    clientBand: null,
    churnStage: null,
  };
  if (openTransactions === 0) throw new Error('createRelationship must run inside inTransaction.');
  db.insert(t.relationships).values(row).run();
  const entry = insertEntry(db, row, proposer.firmId, 'RELATIONSHIP_PROPOSED', { supplierFirmId: supplierId, clientFirmId: clientId }, occurredAt, now);
  return { entry, rel: advance(db, row, entry) };
}
