/**
 * Masking: no error response, expected or not, carries a stack trace, a file path or an
 * internal message; unexpected errors reach the client as a generic message.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { STACK_TRACE } from '../support/api.ts';
import { activeRelationship, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts);
});
afterAll(() => ts?.close());

/** Codes of expected errors: the contract's, and GraphQL's/yoga's own for malformed requests. */
const KNOWN_CODES = new Set([
  'VALIDATION', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'UNAUTHENTICATED', 'RATE_LIMITED', 'LIMIT_EXCEEDED',
  'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST',
]);

type Role = 'reader' | 'writer' | 'none' | 'bogus';
const q = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
const REQUESTS: Record<string, (rel: string) => { body: string; as: Role }> = {
  'syntax error': () => ({ body: q('{ viewer { '), as: 'reader' }),
  'unknown field': () => ({ body: q('{ viewer { password } }'), as: 'reader' }),
  'body is not JSON': () => ({ body: '{"query": ', as: 'reader' }),
  'no query': () => ({ body: JSON.stringify({ variables: {} }), as: 'reader' }),
  'unknown key': () => ({ body: q('{ viewer { role } }'), as: 'bogus' }),
  'anonymous mutation': (r) => ({ body: q(`mutation { endRelationship(input: { relationshipId: "${r}" }) { errors { code } } }`), as: 'none' }),
  'bad cursor': () => ({ body: q('{ viewer { relationships(after: "garbage!!") { edges { cursor } } } }'), as: 'reader' }),
  'first too large': () => ({ body: q('{ viewer { relationships(first: 1000) { edges { cursor } } } }'), as: 'reader' }),
  'Int overflow': (r) => ({ body: q(`{ node(id: "${r}") { ... on Relationship { ledger(afterSeq: 99999999999) { edges { cursor } } } } }`), as: 'reader' }),
  'wrong variable types': () => ({ body: q('mutation($i: KeepPromiseInput!) { keepPromise(input: $i) { errors { code } } }', { i: { promiseId: 5, inFull: 'yes' } }), as: 'writer' }),
  'typed payload error': () => ({ body: q('mutation { keepPromise(input: { promiseId: "nope" }) { errors { __typename code message path } } }'), as: 'writer' }),
  'scorecardSeries with a bad point': (r) => ({ body: q(`{ node(id: "${r}") { ... on Relationship { scorecardSeries(points: ["soon"]) { asOf } } } }`), as: 'reader' }),
  'review with an impossible asOf': () => ({ body: q('{ viewer { review(as: SUPPLIER, asOf: "2026-02-30T00:00:00Z") { edges { cursor } } } }'), as: 'reader' }),
  'recordEntries with junk payloads': (r) => ({
    body: q('mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { code message path } } }', {
      i: { relationshipId: r, entries: [{ type: 'PROMISE_KEPT', payload: 'not an object' }, { type: 'PROMISE_MADE', payload: null }] },
    }),
    as: 'writer',
  }),
  'proposePolicy with a non-object policy': (r) => ({
    body: q('mutation($i: ProposePolicyInput!) { proposePolicy(input: $i) { errors { code message path } } }', { i: { relationshipId: r, policy: [1, 2, 3] } }),
    as: 'writer',
  }),
};

test.each(Object.keys(REQUESTS))('%s: an error without stack trace or internals; anything unexpected is masked', async (name) => {
  const { body, as } = REQUESTS[name](rel);
  const auth: Record<string, string> = as === 'none' ? {} : { authorization: `Bearer ${as === 'bogus' ? 'tl_not-a-key' : ts.supplier.keys[as]}` };
  const res = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...auth }, body });
  const text = await res.text();
  expect(text).not.toMatch(STACK_TRACE);
  expect(text).not.toMatch(/\.ts:\d+|\.js:\d+|node_modules|\/work\/|"stack"/);
  expect(text).not.toMatch(/SQLITE_|no such table|drizzle|better-sqlite3|TypeError|ReferenceError|Cannot read prop|is not a function/);
  expect(res.status).toBeLessThan(500);

  const json = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: Record<string, any> | null };
  const payloadErrors = Object.values(json.data ?? {}).flatMap((v) => (v && Array.isArray(v.errors) ? v.errors : []));
  // Every request here is wrong somehow: it must say so.
  expect([...(json.errors ?? []), ...payloadErrors].length).toBeGreaterThan(0);
  for (const e of (json.errors ?? []) as { message: string; path?: unknown[]; extensions?: { code?: string } }[]) {
    const code = e.extensions?.code;
    // Errors raised while executing (they have a path) are either expected, with a contract code,
    // or masked. Request errors (parse, validation, variable coercion) are GraphQL's own words.
    if (e.path && (!code || !KNOWN_CODES.has(code))) expect(e.message).toBe('Unexpected error.');
    expect(e.message.length).toBeGreaterThan(5);
  }
  for (const e of payloadErrors) expect(KNOWN_CODES.has(e.code)).toBe(true);
});
