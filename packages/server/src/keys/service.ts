import { randomBytes } from 'node:crypto';
import { type KeyRole, LIMITS, sha256Hex } from '@trustledger/schema';
import type { Viewer } from '../graphql/context.ts';
import { validation } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ApiKeyRow, FirmRow, Store, WriteTx } from '../store/index.ts';

export type { ApiKeyRow };

/** Creates a firm in the write transaction `tx`. Throws an Error for a name outside 1–LIMITS.name (200) characters. */
export function createFirmIn(tx: WriteTx, name: string, now = new Date().toISOString()): FirmRow {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > LIMITS.name) throw new Error(`A firm name must be 1–${LIMITS.name} characters.`);
  const firm = { id: newId('frm'), name: trimmed, createdAt: now };
  tx.insertFirm(firm);
  return firm;
}

/** Creates a firm (its own transaction). */
export const createFirm = (store: Store, name: string, now?: string): Promise<FirmRow> => store.write((tx) => createFirmIn(tx, name, now));

/**
 * Creates an API key for a firm in `tx`. The secret (`tl_…`) is returned once; only its SHA-256 is stored.
 * `label` is trimmed (blank: none) and at most LIMITS.name (200) characters, like a firm name; longer is a
 * VALIDATION AppError at input.label.
 */
export function createApiKeyIn(tx: WriteTx, firmId: string, role: KeyRole, label: string | null = null, now = new Date().toISOString()) {
  label = label?.trim() || null;
  if (label !== null && label.length > LIMITS.name) throw validation(`A key label must be at most ${LIMITS.name} characters (got ${label.length}).`, ['input', 'label']);
  const secret = `tl_${randomBytes(24).toString('base64url')}`;
  const row: ApiKeyRow = { id: newId('key'), firmId, role, secretHash: sha256Hex(secret), label, createdAt: now, revokedAt: null };
  tx.insertApiKey(row);
  return { key: row, secret };
}

/** Creates an API key for a firm (its own transaction); see createApiKeyIn. */
export const createApiKey = (store: Store, firmId: string, role: KeyRole, label: string | null = null, now?: string) =>
  store.write((tx) => createApiKeyIn(tx, firmId, role, label, now));

/** Revokes a key in `tx` (of `firmId` only, when given); returns the row, or null when there is no such key. */
export function revokeApiKeyIn(tx: WriteTx, keyId: string, firmId?: string, now = new Date().toISOString()): ApiKeyRow | null {
  const row = tx.apiKey(keyId, firmId);
  if (!row) return null;
  if (!row.revokedAt) tx.revokeApiKey(keyId, now);
  return tx.apiKey(keyId) ?? null;
}

/** Revokes a key (its own transaction); see revokeApiKeyIn. */
export const revokeApiKey = (store: Store, keyId: string, firmId?: string, now?: string): Promise<ApiKeyRow | null> =>
  store.write((tx) => revokeApiKeyIn(tx, keyId, firmId, now));

/**
 * What an `Authorization` header holds (RFC 9110 §11.6.2, RFC 6750 §2.1): `bearer` with its token;
 * `scheme` for another scheme (its name when it is a plausible one: letters, digits, `-`, at most
 * 20 characters, never a secret sent without a scheme); `malformed` for a Bearer header without
 * exactly one token; `none` without a header (or an empty one).
 */
export type AuthorizationHeader =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'scheme'; scheme: string | null }
  | { kind: 'malformed' };

export function parseAuthorization(header: string | null): AuthorizationHeader {
  const value = header?.trim() ?? '';
  if (value === '') return { kind: 'none' };
  const m = /^(\S+)(?:\s+(.*))?$/s.exec(value) as RegExpExecArray;
  const [scheme, rest] = [m[1], m[2]?.trim() ?? ''];
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'scheme', scheme: rest !== '' && /^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(scheme) ? scheme : null };
  return rest !== '' && !/\s/.test(rest) ? { kind: 'bearer', token: rest } : { kind: 'malformed' };
}

/** The viewer behind an `Authorization: Bearer …` header; null for a missing, unknown or revoked key, or another scheme. */
export async function viewerFromHeader(store: Store, header: string | null): Promise<Viewer | null> {
  const parsed = parseAuthorization(header);
  if (parsed.kind !== 'bearer') return null;
  const row = await store.activeKeyByHash(sha256Hex(parsed.token));
  return row ? { firmId: row.firmId, keyId: row.id, role: row.role } : null;
}
