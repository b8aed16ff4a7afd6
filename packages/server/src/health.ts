import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { type Db, migrationsFolder } from './db/client.ts';

/** What `GET /ready` reports: each check `ok`, or a sentence saying what is wrong. */
export interface Readiness {
  status: 'ready' | 'not ready';
  checks: { database: string; migrations: string };
}

/**
 * Whether the server can serve requests: the database answers a query, and every migration
 * shipped with this build is applied (a server started on a database another version migrated
 * further, or one whose migrations failed, is not ready). Never throws.
 */
export function readiness(db: Db): Readiness {
  const checks = { database: 'ok', migrations: 'ok' };
  try {
    db.$client.prepare('select 1').get();
  } catch (error) {
    checks.database = `the database does not answer: ${(error as Error).message}`;
    checks.migrations = 'not checked';
    return { status: 'not ready', checks };
  }
  try {
    // As drizzle's migrator decides: a migration is applied when one as new or newer is recorded.
    const last = db.$client.prepare('select max(created_at) as last from __drizzle_migrations').get() as { last: number | string | null };
    const newest = last.last === null ? -Infinity : Number(last.last);
    const missing = readMigrationFiles({ migrationsFolder }).filter((m) => m.folderMillis > newest);
    if (missing.length > 0) checks.migrations = `${missing.length} migration${missing.length === 1 ? '' : 's'} not applied`;
  } catch (error) {
    checks.migrations = `cannot read the applied migrations: ${(error as Error).message}`;
  }
  return { status: checks.migrations === 'ok' ? 'ready' : 'not ready', checks };
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
}

/**
 * `GET /health` (liveness: the process answers HTTP; always 200 `{"status":"ok"}`) and
 * `GET /ready` (readiness, see readiness(): 200 when ready, 503 when not, with the checks).
 * Returns whether it answered the request.
 */
export function handleHealth(req: IncomingMessage, res: ServerResponse, db: Db): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path === '/health') {
    sendJson(req, res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/ready') {
    const ready = readiness(db);
    sendJson(req, res, ready.status === 'ready' ? 200 : 503, ready);
    return true;
  }
  return false;
}
