/**
 * Browser safety (issue 11): GraphQL only from `application/json`, so a cross-site form or
 * text/plain POST (no preflight) cannot run a mutation; CORS is off unless
 * TRUSTLEDGER_CORS_ORIGINS names the portals allowed.
 */
import { createApiKey, createApp, createFirm, openStore } from '@trustledger/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { head } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts);
});
afterAll(() => ts?.close());

const mutation = (rel: string) =>
  `mutation { recordInteraction(input: { relationshipId: "${rel}", kind: NEGATIVE_CONTACT, initiatedBy: CLIENT }) { entry { seq } errors { code } } }`;

test('a form-encoded or text/plain POST runs no mutation and says why', async () => {
  const before = await head(ts, rel);
  const bodies: [string, string][] = [
    ['application/x-www-form-urlencoded', new URLSearchParams({ query: mutation(rel) }).toString()],
    ['text/plain', JSON.stringify({ query: mutation(rel) })],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation(rel)}\r\n--x--\r\n`],
  ];
  for (const [type, body] of bodies) {
    const res = await fetch(ts.url, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${ts.supplier.keys.writer}` }, body });
    expect(res.status, type).toBe(415);
    const json = (await res.json()) as { errors: { message: string }[] };
    expect(json.errors[0].message).toMatch(/application\/json/);
  }
  expect(await head(ts, rel)).toEqual(before);
  // The same mutation as JSON is recorded.
  const data = ok(await ts.supplier.gql(mutation(rel)));
  expect(data.recordInteraction.entry.seq).toBe(before.seq + 1);
});

test('a GET cannot run a mutation either', async () => {
  const before = await head(ts, rel);
  const res = await fetch(`${ts.url}?query=${encodeURIComponent(mutation(rel))}`, { headers: { authorization: `Bearer ${ts.supplier.keys.writer}` } });
  expect(res.status).toBe(405);
  expect(await head(ts, rel)).toEqual(before);
});

test('CORS is off by default: another origin gets no allow-origin header, preflight included', async () => {
  const preflight = await fetch(ts.url, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  const res = await fetch(ts.url, {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'content-type': 'application/json', authorization: `Bearer ${ts.supplier.keys.reader}` },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
});

test('TRUSTLEDGER_CORS_ORIGINS allows the portals it names, without credentials, and no other origin', async () => {
  const previous = process.env.TRUSTLEDGER_CORS_ORIGINS;
  process.env.TRUSTLEDGER_CORS_ORIGINS = 'https://portal.example.com, https://ops.example.com/';
  try {
    const store = await openStore({ path: ':memory:' });
    const firm = await createFirm(store, 'Portal Co');
    const { secret } = await createApiKey(store, firm.id, 'READER');
    const app = createApp({ store });
    const preflight = (origin: string) =>
      app.fetch('http://localhost/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    for (const origin of ['https://portal.example.com', 'https://ops.example.com']) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(res.headers.get('access-control-allow-credentials')).not.toBe('true');
    }
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { origin: 'https://portal.example.com', 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
    expect(((await res.json()) as any).data.viewer.role).toBe('READER');
    await store.close();
  } finally {
    if (previous === undefined) delete process.env.TRUSTLEDGER_CORS_ORIGINS;
    else process.env.TRUSTLEDGER_CORS_ORIGINS = previous;
  }
});
