import {
  canonicalJson,
  checkOccurredAt,
  entryTimeIssues,
  type EntryType,
  GENESIS_HASH,
  hashEntryWithPayloadText,
  isEntryType,
  type LedgerEntry,
  parseDateTime,
  validatePayload,
} from '@trustledger/schema';
import type { EntryRow, WriteTx } from '../store/index.ts';
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
  /**
   * Every string of the payload was checked for well-formed Unicode with the request's input
   * (graphql/mutation.ts does so for every mutation): validatePayload's `wellFormed`. @default false
   */
  wellFormed?: boolean;
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

function insertEntry(tx: WriteTx, rel: RelationshipRow, actorFirmId: string, type: EntryType, payload: object, occurredAt: string, now: string): { entry: LedgerEntry; row: EntryRow } {
  // Canonical once: the stored payload is this text, parsing it back gives the hashed value, and
  // the hash is taken around the text (hashEntryWithPayloadText) instead of canonicalising it again.
  const canonicalPayload = canonicalJson(payload);
  const parsed = JSON.parse(canonicalPayload);
  const seq = rel.headSeq + 1;
  const prevHash = rel.headSeq === 0 ? GENESIS_HASH : rel.headHash;
  // Object literals, not spreads: a spread copies property by property and cost more than the
  // rest of this function in a batch of 1,000 (issue 13).
  const hash = hashEntryWithPayloadText({ relationshipId: rel.id, seq, type, actorFirmId, occurredAt, recordedAt: now, prevHash }, canonicalPayload);
  const entry: LedgerEntry = { relationshipId: rel.id, seq, type, payload: parsed, actorFirmId, occurredAt, recordedAt: now, prevHash, hash };
  const row: EntryRow = {
    relationshipId: rel.id,
    seq,
    type,
    payload: canonicalPayload,
    actorFirmId,
    occurredAt,
    recordedAt: now,
    prevHash,
    hash,
    subjectSeq: subjectSeqOf(type, parsed),
    voidedBySeq: null,
    disputedBySeq: null,
    confirmedBySeq: null,
  };
  tx.insertEntry(row);
  return { entry, row };
}

/**
 * Moves the relationship's head and its incremental scorecard state past a new entry, in memory;
 * the row is written once per transaction, just before commit (scoring/state.ts).
 */
function advance(tx: WriteTx, rel: RelationshipRow, entry: LedgerEntry): RelationshipRow {
  const maxOccurredAt = rel.maxOccurredAt && rel.maxOccurredAt > entry.occurredAt ? rel.maxOccurredAt : entry.occurredAt;
  const next = advanceState(tx, rel, entry, maxOccurredAt);
  // The projections change the status for these two (and only these).
  if (entry.type === 'RELATIONSHIP_ACCEPTED') next.status = 'ACTIVE';
  else if (entry.type === 'RELATIONSHIP_ENDED') next.status = 'ENDED';
  return next;
}

/**
 * Appends one entry to a relationship's ledger: validates the payload, checks the rules against
 * the projections, chains and hashes it, writes projections and the scorecard state, in the
 * write transaction `tx` (Store.write); throws AppError for anything a person should fix.
 * Returns the entry, its row as inserted (no confirmation, dispute or void yet: a later entry of
 * the same transaction may add one) and the relationship row as it stands after it.
 */
export function appendEntry(
  tx: WriteTx,
  rel: RelationshipRow,
  actorFirmId: string,
  req: AppendRequest,
  now: string,
): { entry: LedgerEntry; row: EntryRow; rel: RelationshipRow } {
  // Earlier appends of this transaction moved the row in memory: the caller's copy may lag.
  rel = pendingRow(tx, rel.id) ?? rel;
  const path = req.path ?? [];
  if (!isEntryType(req.type)) throw validation(`"${String(req.type)}" is not an entry type.`, [...path, 'type']);
  const occurredAt = occurredAtOf(req.occurredAt, now, path);
  const checked = validatePayload(req.type, req.payload, [...path, 'payload'], { wellFormed: req.wellFormed === true });
  if (!checked.success) throw AppError.validation(checked.issues);
  const timeIssues = entryTimeIssues(req.type, checked.data, occurredAt, path);
  if (timeIssues.length) throw AppError.validation(timeIssues);
  const side = sideOf(rel, actorFirmId);
  beforeWrite(tx, rel);
  checkRules({ tx, rel, side, type: req.type, payload: checked.data, occurredAt, now, at: [...path, 'payload'] });
  const { entry, row } = insertEntry(tx, rel, actorFirmId, req.type, checked.data as object, occurredAt, now);
  project(tx, rel, entry, now);
  return { entry, row, rel: advance(tx, rel, entry) };
}

/** Creates a proposed relationship whose ledger starts with RELATIONSHIP_PROPOSED, in the write transaction `tx`. */
export function createRelationship(
  tx: WriteTx,
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
    supplierTier: null,
    clientTier: null,
  };
  tx.insertRelationship(row);
  const { entry } = insertEntry(tx, row, proposer.firmId, 'RELATIONSHIP_PROPOSED', { supplierFirmId: supplierId, clientFirmId: clientId }, occurredAt, now);
  return { entry, rel: advance(tx, row, entry) };
}
