import { randomBytes } from 'node:crypto';
import { type KeyRole, sha256Hex } from '@trustledger/schema';
import { and, eq } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import type { Viewer } from '../graphql/context.ts';
import { newId } from '../ids.ts';

export type ApiKeyRow = typeof t.apiKeys.$inferSelect;

/** Creates a firm. */
export function createFirm(db: Db, name: string, now = new Date().toISOString()) {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw new Error('A firm name must be 1–200 characters.');
  const firm = { id: newId('frm'), name: trimmed, createdAt: now };
  db.insert(t.firms).values(firm).run();
  return firm;
}

/**
 * Creates an API key for a firm. The secret (`tl_…`) is returned once; only its SHA-256 is stored.
 */
export function createApiKey(db: Db, firmId: string, role: KeyRole, label: string | null = null, now = new Date().toISOString()) {
  const secret = `tl_${randomBytes(24).toString('base64url')}`;
  const row: ApiKeyRow = { id: newId('key'), firmId, role, secretHash: sha256Hex(secret), label, createdAt: now, revokedAt: null };
  db.insert(t.apiKeys).values(row).run();
  return { key: row, secret };
}

/** Revokes a key; returns the row, or null when there is no such key. */
export function revokeApiKey(db: Db, keyId: string, firmId?: string, now = new Date().toISOString()): ApiKeyRow | null {
  const where = firmId ? and(eq(t.apiKeys.id, keyId), eq(t.apiKeys.firmId, firmId)) : eq(t.apiKeys.id, keyId);
  const row = db.select().from(t.apiKeys).where(where).get();
  if (!row) return null;
  if (!row.revokedAt) db.update(t.apiKeys).set({ revokedAt: now }).where(eq(t.apiKeys.id, keyId)).run();
  return db.select().from(t.apiKeys).where(eq(t.apiKeys.id, keyId)).get() ?? null;
}

/** The viewer behind an `Authorization: Bearer …` header; null for a missing, unknown or revoked key. */
export function viewerFromHeader(db: Db, header: string | null): Viewer | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) return null;
  // Plain SQL (prepared once by its text, see sqliteOf): it runs for every request.
  const row = sqliteOf(db)
    .prepare('select id, firm_id as firmId, role from api_keys where secret_hash = ? and revoked_at is null')
    .get(sha256Hex(m[1])) as { id: string; firmId: string; role: KeyRole } | undefined;
  return row ? { firmId: row.firmId, keyId: row.id, role: row.role } : null;
}
