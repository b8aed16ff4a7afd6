import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from './store/index.ts';

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
export async function readiness(store: Store): Promise<Readiness> {
  const checks = await store.readiness();
  return { status: checks.database === 'ok' && checks.migrations === 'ok' ? 'ready' : 'not ready', checks };
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
export function handleHealth(req: IncomingMessage, res: ServerResponse, store: Store): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path === '/health') {
    sendJson(req, res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/ready') {
    void readiness(store).then((ready) => sendJson(req, res, ready.status === 'ready' ? 200 : 503, ready));
    return true;
  }
  return false;
}
