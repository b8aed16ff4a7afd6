/**
 * The server's request log, read as an operator reads it: the `serve` command's standard output,
 * one JSON object per request with its id (X-Request-Id, accepted or generated, echoed back),
 * operation, firm, status, duration and error codes; never an API key; the level set by
 * TRUSTLEDGER_LOG_LEVEL.
 */
import { expect, test } from 'vitest';
import { cliJson, start, tempDb } from '../cli/cli.ts';

const READY = /^trustledger API on (http:\/\/\S+\/graphql)/m;

/** The JSON lines of a process's output (the start-up banner is text). */
const jsonLines = (out: string): Record<string, any>[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

async function setup(db: string) {
  const firm = await cliJson(db, ['firm', 'create', 'Harbor Hotels']);
  const key = await cliJson(db, ['key', 'create', 'Harbor Hotels', '--role', 'writer']);
  const firmId = Buffer.from(firm.id, 'base64').toString().replace(/^Firm:/, '');
  return { firmId, secret: key.secret as string };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('one JSON line per request: id, operation, firm, status, duration, error codes; the key never appears', async () => {
  using tmp = tempDb();
  const { firmId, secret } = await setup(tmp.db);
  await using serve = start(tmp.db, ['serve', '--port', '0', '--no-demo'], { TRUSTLEDGER_RATE_LIMIT: '3', TRUSTLEDGER_LOG_LEVEL: 'debug' });
  const url = READY.exec(await serve.waitFor(READY))![1];
  const base = url.replace(/\/graphql$/, '');
  const auth = { authorization: `Bearer ${secret}` };

  const named = await post(url, { query: 'query WhoAmI { viewer { role } }' }, { ...auth, 'x-request-id': 'erp-sync-42' });
  expect(named.status).toBe(200);
  expect(named.headers.get('x-request-id')).toBe('erp-sync-42');
  const generated = await post(url, { query: '{ viewer { firm { name } } }', operationName: null }, auth);
  const generatedId = generated.headers.get('x-request-id');
  expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
  // A request id that could forge log fields or flood the log is replaced, not echoed.
  const forged = await post(url, { query: '{ __typename }' }, { ...auth, 'x-request-id': 'a"b\\nc'.repeat(3) });
  expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const limited = await post(url, { query: 'query Again { viewer { role } }' }, auth); // 4th request of this key: over 3 a minute
  expect(limited.status).toBe(429);
  const unknownKey = 'tl_not_a_real_key_0123456789';
  const refused = await post(url, { query: '{ viewer { role } }' }, { authorization: `Bearer ${unknownKey}` });
  expect(refused.status).toBe(401);
  const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=mutation' });
  expect(form.status).toBe(415);
  const health = await fetch(`${base}/health`, { headers: { 'x-request-id': 'probe-1' } });
  expect(health.headers.get('x-request-id')).toBe('probe-1');

  const out = await serve.waitFor(/"requestId":"probe-1"/);
  const lines = jsonLines(out);
  expect(lines).toHaveLength(7);
  for (const line of lines) {
    expect(line).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), requestId: expect.any(String), status: expect.any(Number) });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
  }
  const [a, b, c, d, e, f, g] = lines;
  expect(a).toMatchObject({ level: 'info', requestId: 'erp-sync-42', method: 'POST', path: '/graphql', operation: 'WhoAmI', firmId, status: 200 });
  expect(a.errorCodes).toBeUndefined();
  expect(b).toMatchObject({ level: 'info', requestId: generatedId, firmId, status: 200 });
  expect(b.operation).toBeUndefined(); // anonymous
  expect(c.requestId).toBe(forged.headers.get('x-request-id'));
  expect(d).toMatchObject({ level: 'warn', operation: 'Again', firmId, status: 429, errorCodes: ['RATE_LIMITED'] });
  expect(e).toMatchObject({ level: 'warn', status: 401, errorCodes: ['UNAUTHENTICATED'] });
  expect(e.firmId).toBeUndefined();
  expect(f).toMatchObject({ level: 'warn', status: 415, path: '/graphql' }); // refused before GraphQL: no firm, no operation
  expect(g).toMatchObject({ level: 'debug', requestId: 'probe-1', method: 'GET', path: '/health', status: 200 });
  // Keys (good or bad) are never written, nor the word Bearer; no stack trace went to stderr.
  const everything = out + serve.stderr();
  expect(everything).not.toContain(secret);
  expect(everything).not.toContain(unknownKey);
  expect(everything).not.toMatch(/bearer/i);
  expect(serve.stderr()).not.toMatch(/\n\s+at /);
});

test('TRUSTLEDGER_LOG_LEVEL=warn keeps only the failed requests; an unknown level is refused at start', async () => {
  using tmp = tempDb();
  const { secret } = await setup(tmp.db);
  {
    await using serve = start(tmp.db, ['serve', '--port', '0', '--no-demo'], { TRUSTLEDGER_LOG_LEVEL: 'warn' });
    const url = READY.exec(await serve.waitFor(READY))![1];
    for (let i = 0; i < 3; i++) expect((await post(url, { query: '{ viewer { role } }' }, { authorization: `Bearer ${secret}` })).status).toBe(200);
    expect((await post(url, { query: '{ viewer { role } }' }, { authorization: 'Bearer tl_revoked_or_never_was' })).status).toBe(401);
    const lines = jsonLines(await serve.waitFor(/"status":401/));
    expect(lines.map((l) => [l.level, l.status])).toEqual([['warn', 401]]);
  }
  {
    await using serve = start(tmp.db, ['serve', '--port', '0', '--no-demo'], { TRUSTLEDGER_LOG_LEVEL: 'loud' });
    await expect(serve.waitFor(READY, 60_000)).rejects.toThrow(/TRUSTLEDGER_LOG_LEVEL: unknown level "loud"; use one of fatal, error, warn, info, debug, trace, silent/);
  }
});
