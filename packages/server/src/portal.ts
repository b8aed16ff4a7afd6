import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { serverRoot } from './paths.ts';

/** Where the built partner portal lives. @default examples/portal/dist of this repository */
export const portalDir = (): string =>
  resolve(process.env.TRUSTLEDGER_PORTAL_DIR ?? resolve(serverRoot, '../../examples/portal/dist'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>trustledger portal</title>
<h1>The partner portal has not been built</h1>
<p>Run <code>pnpm --filter @trustledger/portal build</code> in the repository (<code>pnpm start</code> does it), then reload.</p></html>`;

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer = ''): void {
  res.writeHead(status, { 'x-content-type-options': 'nosniff', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves the built portal under /portal/: static files with their content types; index.html for
 * any other path without a file extension (the page routes by #hash); 404 for a missing asset;
 * nothing outside the build folder. Before the portal is built, a page that says how to build it.
 */
export function servePortal(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, { allow: 'GET, HEAD' });
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://portal.invalid').pathname).replace(/^\/portal\/?/, '');
  } catch {
    return send(req, res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad request path');
  }
  const root = portalDir();
  const file = resolve(root, `.${sep}${path}`);
  if (path.includes('\0') || (file !== root && !file.startsWith(root + sep))) return send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found');
  const index = resolve(root, 'index.html');
  const target = path && isFile(file) ? file : extname(path) ? null : index;
  if (!isFile(index)) return send(req, res, 503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, NOT_BUILT);
  if (!target) return send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found');
  let body: Buffer;
  try {
    body = readFileSync(target);
  } catch {
    return send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found');
  }
  // Vite names assets by content hash: they never change, index.html always may.
  const immutable = target.startsWith(resolve(root, 'assets') + sep);
  send(req, res, 200, {
    'content-type': TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(body.length),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  }, body);
}

/**
 * Handles the portal's requests: `/` and `/portal` redirect to `/portal/`, anything under
 * `/portal/` is served from the build. Returns false for every other request (the API's).
 */
export function handlePortal(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = (req.url ?? '/').split('?')[0] as string;
  if (pathname === '/' || pathname === '/portal') {
    res.writeHead(302, { location: `/portal/${(req.url ?? '').slice(pathname.length)}` }).end();
    return true;
  }
  if (!pathname.startsWith('/portal/')) return false;
  try {
    servePortal(req, res);
  } catch {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal error');
  }
  return true;
}
