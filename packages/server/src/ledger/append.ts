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
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { AppError, validation } from '../errors.ts';
import { newId } from '../ids.ts';
import { beforeWrite } from '../alerts/service.ts';
import { initialScoreState, nextScoreState } from '../scoring/state.ts';
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
 */
export function occurredAtOf(value: string | null | undefined, now: string, path: (string | number)[]): string {
  if (value === undefined || value === null) return now;
  const parsed = parseDateTime(value);
  if (!parsed.ok) throw validation(`${parsed.message}.`, [...path, 'occurredAt']);
  const outside = checkOccurredAt(parsed.time, now);
  if (outside) throw validation(outside, [...path, 'occurredAt']);
  return parsed.time;
}

function insertEntry(db: Db, rel: RelationshipRow, actorFirmId: string, type: EntryType, payload: object, occurredAt: string, now: string): LedgerEntry {
  const fields = {
    relationshipId: rel.id,
    seq: rel.headSeq + 1,
    type,
    payload: JSON.parse(canonicalJson(payload)),
    actorFirmId,
    occurredAt,
    recordedAt: now,
    prevHash: rel.headSeq === 0 ? GENESIS_HASH : rel.headHash,
  };
  const entry = { ...fields, hash: hashEntry(fields) } as LedgerEntry;
  db.insert(t.entries)
    .values({ ...fields, payload: canonicalJson(fields.payload), hash: entry.hash, subjectSeq: subjectSeqOf(type, fields.payload) })
    .run();
  return entry;
}

/** Moves the relationship's head and its incremental scorecard state past a new entry. */
function advance(db: Db, rel: RelationshipRow, entry: LedgerEntry): RelationshipRow {
  const maxOccurredAt = rel.maxOccurredAt && rel.maxOccurredAt > entry.occurredAt ? rel.maxOccurredAt : entry.occurredAt;
  const scoreState = nextScoreState(db, rel, entry);
  db.update(t.relationships)
    .set({ headSeq: entry.seq, headHash: entry.hash, maxOccurredAt, scoreState })
    .where(eq(t.relationships.id, rel.id))
    .run();
  // Projections may have changed the status: read the row back for the next entry of a batch.
  return db.select().from(t.relationships).where(eq(t.relationships.id, rel.id)).get() as RelationshipRow;
}

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
  };
  db.insert(t.relationships).values(row).run();
  const entry = insertEntry(db, row, proposer.firmId, 'RELATIONSHIP_PROPOSED', { supplierFirmId: supplierId, clientFirmId: clientId }, occurredAt, now);
  return { entry, rel: advance(db, row, entry) };
}
