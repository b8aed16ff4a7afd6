/**
 * The Authorization header (RFC 9110 §11.6.2, RFC 6750): the API takes an API key as
 * `Authorization: Bearer <key>`. Another scheme, a key sent without its scheme, a Bearer header
 * without one token, and an unknown key each get UNAUTHENTICATED in words that say what to send,
 * with the RFC 6750 challenge in WWW-Authenticate, no stack trace and nothing written; the
 * credentials sent are never echoed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { head } from '../support/api.ts';
import { activeRelationship, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts);
});
afterAll(() => ts?.close());

const WRITE = 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { interaction { id } errors { code } } }';

async function send(authorization: string) {
  const res = await fetch(ts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: WRITE, variables: { i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } } }),
  });
  const text = await res.text();
  return { status: res.status, challenge: res.headers.get('www-authenticate'), text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

test.each([
  ['Basic', 'Basic dXNlcjpwYXNz', 401, 'Bearer realm="trustledger"', /uses the "Basic" scheme; this API takes an API key as "Authorization: Bearer <key>"/],
  ['Digest', 'Digest username="ops", realm="x", nonce="1"', 401, 'Bearer realm="trustledger"', /uses the "Digest" scheme/],
  ['Token (another API\'s habit)', 'Token tl_abc', 401, 'Bearer realm="trustledger"', /uses the "Token" scheme/],
  ['a key without its scheme', 'tl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 401, 'Bearer realm="trustledger"', /no scheme this API knows \(is the key sent without "Bearer "\?\)/],
  ['Bearer without a token', 'Bearer', 400, 'Bearer realm="trustledger", error="invalid_request", error_description="Bearer takes one token"', /says Bearer but does not hold one key/],
  ['Bearer with two tokens', 'Bearer tl_one tl_two', 400, 'Bearer realm="trustledger", error="invalid_request", error_description="Bearer takes one token"', /does not hold one key/],
  ['an unknown key', 'Bearer tl_never_issued', 401, 'Bearer realm="trustledger", error="invalid_token", error_description="The API key is unknown or revoked"', /unknown or revoked/],
] as const)('%s: UNAUTHENTICATED saying what to send, with the RFC 6750 challenge; nothing written', async (_title, authorization, status, challenge, message) => {
  const before = await head(ts, rel);
  const r = await send(authorization);
  expect(r.status).toBe(status);
  expect(r.challenge).toBe(challenge);
  expect(r.body.data ?? null).toBeNull();
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(r.body.errors?.[0].message).toMatch(message);
  expect(r.text).not.toMatch(/stack|at \w+ \(|\.ts:\d+/);
  // What was sent as credentials is not echoed back.
  for (const secret of ['dXNlcjpwYXNz', 'tl_abc', 'tl_AAAA', 'tl_one', 'tl_never_issued']) expect(r.text).not.toContain(secret);
  expect(await head(ts, rel)).toEqual(before);
});

test('"bearer" in any case is the Bearer scheme (RFC 9110: schemes are case-insensitive)', async () => {
  for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
    const r = await ts.post({ query: '{ viewer { role } }' }, { authorization: `${scheme}  ${ts.client.keys.reader}` });
    expect(r).toMatchObject({ status: 200, data: { viewer: { role: 'READER' } } });
  }
});
