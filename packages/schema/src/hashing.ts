import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalizeImpl from 'canonicalize';

/** The first entry's prevHash: 64 zeros (DESIGN §2). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields of an entry that are hashed, exactly as they are hashed: ids as the raw strings
 * the server stores (not the opaque GraphQL ids), times as canonical UTC strings.
 */
export interface HashedEntryFields {
  relationshipId: string;
  seq: number;
  type: string;
  payload: unknown;
  actorFirmId: string;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
}

/** The names of the hashed fields, in the order a reader can list them. */
export const HASHED_FIELDS = [
  'relationshipId',
  'seq',
  'type',
  'payload',
  'actorFirmId',
  'occurredAt',
  'recordedAt',
  'prevHash',
] as const satisfies readonly (keyof HashedEntryFields)[];

const canonicalize = canonicalizeImpl as unknown as (value: unknown) => string | undefined;

/** Canonical JSON per RFC 8785 (JCS): sorted keys, no whitespace, ECMAScript number form. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value cannot be represented as JSON');
  return out;
}

/**
 * Node's own crypto when running in Node (process.getBuiltinModule, Node ≥ 20.16: no import, so
 * browsers load this module too); elsewhere @noble/hashes. Both give the same digest.
 */
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | {
      createHash(algorithm: 'sha256'): { update(text: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
      /** One-shot digest (Node ≥ 20.12): no Hash object per call, about half the cost for an entry's text. */
      hash?(algorithm: 'sha256', text: string, encoding: 'hex'): string;
    }
  | undefined;
const oneShot = nodeCrypto?.hash?.bind(nodeCrypto);

/** Lower-case hex SHA-256 of a UTF-8 string (lone surrogates as U+FFFD, as TextEncoder writes them). */
export const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : nodeCrypto
    ? (text) => nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex')
    : (text) => bytesToHex(sha256(utf8ToBytes(text)));

/** hash = SHA-256(canonical JSON of every hashed field), DESIGN §2. Extra fields are ignored. */
export function hashEntry(entry: HashedEntryFields): string {
  const fields: Record<string, unknown> = {};
  for (const name of HASHED_FIELDS) fields[name] = entry[name];
  return sha256Hex(canonicalJson(fields));
}

/**
 * hashEntry for an entry whose payload is already canonical JSON text (`payloadText`, as the
 * server stores it): the hashed text is assembled around it instead of canonicalising the payload
 * a second time. Byte-identical to `hashEntry({ ...fields, payload: JSON.parse(payloadText) })`:
 * the keys below are the hashed fields in RFC 8785 order (UTF-16 code units), strings and the
 * integer seq written as canonicalJson writes them, and canonical text parses back to a value
 * whose canonical text is itself. `payloadText` must come from canonicalJson.
 */
export function hashEntryWithPayloadText(fields: Omit<HashedEntryFields, 'payload'>, payloadText: string): string {
  if (!Number.isSafeInteger(fields.seq)) throw new TypeError('seq must be a safe integer');
  const str = JSON.stringify;
  return sha256Hex(
    `{"actorFirmId":${str(fields.actorFirmId)},"occurredAt":${str(fields.occurredAt)},"payload":${payloadText},"prevHash":${str(fields.prevHash)},"recordedAt":${str(fields.recordedAt)},"relationshipId":${str(fields.relationshipId)},"seq":${fields.seq},"type":${str(fields.type)}}`,
  );
}

export interface ChainEntry extends HashedEntryFields {
  hash: string;
}

export type ChainCheck =
  | { ok: true; head: { seq: number; hash: string } | null }
  | { ok: false; seq: number; reason: 'SEQ_GAP' | 'PREV_HASH_MISMATCH' | 'HASH_MISMATCH'; message: string };

/**
 * Checks that entries (in seq order, starting at `from`) form an unbroken chain.
 * `prev` is the hash the first given entry must point at (GENESIS_HASH when starting at seq 1).
 */
export function checkChain(
  entries: readonly ChainEntry[],
  start: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH },
): ChainCheck {
  let expectedSeq = start.seq;
  let prev = start.prevHash;
  for (const e of entries) {
    if (e.seq !== expectedSeq)
      return { ok: false, seq: e.seq, reason: 'SEQ_GAP', message: `expected entry ${expectedSeq}, found ${e.seq}` };
    if (e.prevHash !== prev)
      return { ok: false, seq: e.seq, reason: 'PREV_HASH_MISMATCH', message: `entry ${e.seq} does not point at the hash of entry ${e.seq - 1}` };
    const actual = hashEntry(e);
    if (actual !== e.hash)
      return { ok: false, seq: e.seq, reason: 'HASH_MISMATCH', message: `entry ${e.seq}'s content does not match its hash` };
    prev = e.hash;
    expectedSeq++;
  }
  const last = entries[entries.length - 1];
  return { ok: true, head: last ? { seq: last.seq, hash: last.hash } : null };
}
