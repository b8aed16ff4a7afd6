import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built partner portal lives. @default examples/portal/dist of this repository */
export const portalDir = (): string =>
  process.env.TRUSTLEDGER_PORTAL_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/portal/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>trustledger portal</title>
<p>The partner portal has not been built. Run <code>pnpm --filter @trustledger/portal build</code> (<code>pnpm start</code> does it), then reload.</p>`;

/**
 * Serves the built portal under /portal: static files with their content types, index.html for
 * anything else under /portal (the page routes by #hash), nothing outside the build folder.
 */
export function servePortal(req: IncomingMessage, res: ServerResponse): void {
  const root = portalDir();
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/portal\/?/, '');
  const file = normalize(join(root, path));
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(404).end();
    return;
  }
  const target = path && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  if (!existsSync(target)) {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
    return;
  }
  const immutable = target.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(readFileSync(target));
}

/** Whether a request is for the portal (or the bare root, which leads there). */
export const isPortalRequest = (url: string | undefined): boolean => url === '/' || url === '/portal' || (url ?? '').startsWith('/portal/');
