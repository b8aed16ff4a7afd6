/**
 * Operating the server: `/health` (liveness) and `/ready` (the database answers, every migration
 * applied) as JSON, and the IETF RateLimit headers on every keyed GraphQL response, with
 * Retry-After on 429, read back through the SDK.
 */
import { createClient, RateLimitError } from '@trustledger/sdk';
import { expect, test } from 'vitest';
import { startTestServer } from '../support/server.ts';

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
};

test('/health answers JSON while the process runs; /ready says whether the database answers and is migrated', async () => {
  await using ts = await startTestServer();
  const base = ts.url.replace(/\/graphql$/, '');
  expect(await get(`${base}/health`)).toEqual({ status: 200, type: 'application/json; charset=utf-8', body: { status: 'ok' } });
  expect(await get(`${base}/ready`)).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok', migrations: 'ok' } } });

  // A database another (older) build migrated: the newest migration is missing → not ready.
  // drizzle records migrations in __drizzle_migrations (on PostgreSQL in its own schema, drizzle).
  const applied = ts.store === 'postgres' ? 'drizzle.__drizzle_migrations' : '__drizzle_migrations';
  const removed = await ts.rawSql(`delete from ${applied} where created_at = (select max(created_at) from ${applied})`);
  expect(removed.changes).toBe(1);
  const behind = await get(`${base}/ready`);
  expect(behind.status).toBe(503);
  expect(behind.body).toEqual({ status: 'not ready', checks: { database: 'ok', migrations: '1 migration not applied' } });
  expect((await get(`${base}/health`)).status).toBe(200);
});

test('/ready is 503 when the database does not answer; /health still 200', async () => {
  await using ts = await startTestServer();
  const base = ts.url.replace(/\/graphql$/, '');
  ts.cutOff();
  const ready = await get(`${base}/ready`);
  expect(ready.status).toBe(503);
  expect(ready.body.status).toBe('not ready');
  expect(ready.body.checks.database).toMatch(/^the database does not answer: /);
  expect(await get(`${base}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
});

const VIEWER = JSON.stringify({ query: '{ viewer { role } }' });
const post = (url: string, key?: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: VIEWER });

test('every keyed response carries RateLimit-Policy and RateLimit counting down per key; over the quota, 429 with Retry-After', async () => {
  await using ts = await startTestServer({ rateLimitPerMinute: 3 });
  const seen: { r: number; t: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await post(ts.url, ts.supplier.keys.reader);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toBe('"per-key";q=3;w=60');
    const m = /^"per-key";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
    expect(m, res.headers.get('ratelimit') ?? 'no RateLimit header').not.toBeNull();
    seen.push({ r: Number(m![1]), t: Number(m![2]) });
    expect(res.headers.get('retry-after')).toBeNull();
  }
  expect(seen.map((s) => s.r)).toEqual([2, 1, 0]);
  for (const s of seen) expect(s.t).toBeGreaterThanOrEqual(1), expect(s.t).toBeLessThanOrEqual(60);

  const refused = await post(ts.url, ts.supplier.keys.reader);
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(refused.headers.get('ratelimit')).toBe(`"per-key";r=0;t=${retryAfter}`);
  expect(refused.headers.get('ratelimit-policy')).toBe('"per-key";q=3;w=60');
  expect(((await refused.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');

  // Another key of the same firm, and another firm's key, have their own quota.
  expect((await post(ts.url, ts.supplier.keys.writer)).headers.get('ratelimit')).toMatch(/^"per-key";r=2;t=\d+$/);
  expect((await post(ts.url, ts.client.keys.reader)).headers.get('ratelimit')).toMatch(/^"per-key";r=2;t=\d+$/);
  // A request without a key is not counted against any quota and states none.
  const anonymous = await post(ts.url);
  expect(anonymous.status).toBe(200);
  expect(anonymous.headers.get('ratelimit')).toBeNull();
});

test('a request refused by a query limit still counts against its key and carries the headers; an unknown key gets 401 whatever it sent', async () => {
  await using ts = await startTestServer({ rateLimitPerMinute: 3 });
  const deep = JSON.stringify({ query: `{ viewer { ${'firm { '.repeat(12)}id${' }'.repeat(12)} } }` });
  const send = (key: string) => fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: deep });
  const refused = await send(ts.supplier.keys.reader);
  expect(((await refused.json()) as any).errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  expect(refused.headers.get('ratelimit')).toMatch(/^"per-key";r=2;t=\d+$/);
  await send(ts.supplier.keys.reader);
  await send(ts.supplier.keys.reader);
  // The quota is spent on refused documents as on any other: the fourth is 429, not another LIMIT_EXCEEDED.
  const limited = await send(ts.supplier.keys.reader);
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  const unknown = await send('tl_unknown_key');
  expect(unknown.status).toBe(401);
  expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('with rate limiting off, no RateLimit headers are sent', async () => {
  await using ts = await startTestServer({ rateLimitPerMinute: 0 });
  const res = await post(ts.url, ts.supplier.keys.reader);
  expect(res.status).toBe(200);
  expect(res.headers.get('ratelimit')).toBeNull();
  expect(res.headers.get('ratelimit-policy')).toBeNull();
});

test('the SDK surfaces the quota: client.rateLimit(), onRateLimit, and RateLimitError.rateLimit with Retry-After', async () => {
  await using ts = await startTestServer({ rateLimitPerMinute: 2 });
  const reported: number[] = [];
  const client = createClient({ url: ts.url, apiKey: ts.client.keys.reader, retry: false, onRateLimit: (s) => reported.push(s.remaining) });
  expect(client.rateLimit()).toBeUndefined();
  await client.viewer();
  expect(client.rateLimit()).toMatchObject({ policy: 'per-key', remaining: 1, quota: 2, windowMs: 60_000 });
  expect(client.rateLimit()!.resetMs).toBeGreaterThanOrEqual(1000);
  await client.viewer();
  expect(client.rateLimit()).toMatchObject({ remaining: 0 });
  const error = await client.viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RateLimitError);
  const limited = error as RateLimitError;
  expect(limited.status).toBe(429);
  expect(limited.rateLimit).toMatchObject({ policy: 'per-key', remaining: 0, quota: 2 });
  expect(limited.retryAfterMs).toBe(limited.rateLimit!.resetMs);
  expect(reported).toEqual([1, 0, 0]);
});
