import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@trustledger/server';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, testDatabase } from '../support/store.ts';

/** The server's /portal handler over a stand-in build folder (no browser, no Vite). */
let server: RunningServer;
let dir: string;
let database: TestDatabase;
let dist: string;
const previous = process.env.TRUSTLEDGER_PORTAL_DIR;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trustledger-portal-'));
  dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'outside the build');
  process.env.TRUSTLEDGER_PORTAL_DIR = dist;
  database = testDatabase();
  server = await startServer({ port: 0, host: '127.0.0.1', ...database.options });
});

afterEach(() => {
  process.env.TRUSTLEDGER_PORTAL_DIR = dist;
});

afterAll(async () => {
  await server?.close();
  if (previous === undefined) delete process.env.TRUSTLEDGER_PORTAL_DIR;
  else process.env.TRUSTLEDGER_PORTAL_DIR = previous;
  rmSync(dir, { recursive: true, force: true });
  database?.[Symbol.dispose]();
});

/** A request with the path sent exactly as written (fetch would normalise ".."). */
const get = (path: string, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const { port } = server.server.address() as { port: number };
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

test('serves the built files with their content types, and index.html for page routes', async () => {
  const index = await get('/portal/');
  expect(index.status).toBe(200);
  expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(index.headers['cache-control']).toBe('no-cache');
  expect(index.body).toContain('<title>portal</title>');

  const js = await get('/portal/assets/index-abc123.js');
  expect(js.status).toBe(200);
  expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(js.headers['cache-control']).toContain('immutable');
  expect(js.headers['x-content-type-options']).toBe('nosniff');
  expect((await get('/portal/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');

  // A path without an extension is a page route: index.html. A missing asset is a 404, not HTML.
  expect((await get('/portal/relationships/some-id?tab=1')).body).toContain('<title>portal</title>');
  const missing = await get('/portal/assets/gone-123.js');
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).not.toContain('html');

  const head = await get('/portal/assets/index-abc123.js', 'HEAD');
  expect(head.status).toBe(200);
  expect(head.body).toBe('');
  expect((await get('/portal/', 'POST')).status).toBe(405);
});

test('redirects / and /portal to /portal/, and leaves /graphql to the API', async () => {
  for (const path of ['/', '/portal']) {
    const res = await get(path);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/portal/');
  }
  expect((await get('/portal?x=1')).headers.location).toBe('/portal/?x=1');
  const api = await get('/graphql?query=%7B__typename%7D');
  expect(api.status).toBe(200);
  expect(api.body).toContain('Query');
});

test('never serves a file outside the build folder, and survives malformed paths', async () => {
  for (const path of ['/portal/../secret.txt', '/portal/%2e%2e/secret.txt', '/portal/..%2fsecret.txt', '/portal/assets/..%2f..%2fsecret.txt', '/portal/%2e%2e%5csecret.txt', '/portal/%00']) {
    const res = await get(path);
    expect(res.body, path).not.toContain('outside the build');
  }
  const bad = await get('/portal/%E0%A4%A');
  expect(bad.status).toBe(400);
  // The server is still up.
  expect((await get('/portal/')).status).toBe(200);
});

test('before the portal is built, /portal/ says how to build it', async () => {
  process.env.TRUSTLEDGER_PORTAL_DIR = join(dir, 'not-built');
  const res = await get('/portal/');
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.body).toContain('pnpm --filter @trustledger/portal build');
});
