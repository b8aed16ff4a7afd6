/**
 * Request bodies over 25,000,000 bytes are refused whether they say their length (413) or stream
 * it chunked, an invalid Content-Length is refused (400), and nothing of a refused request is written.
 */
import { request } from 'node:http';
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

const LIMIT = 25_000_000;
const mutation = (note: string) =>
  JSON.stringify({ query: `mutation { recordInteraction(input: { relationshipId: "${rel}", kind: NEGATIVE_CONTACT, initiatedBy: CLIENT, note: "${note}" }) { entry { seq } errors { code } } }` });

/** A raw HTTP POST with the headers given (Content-Length as given, or chunked when absent); the status and body. */
function post(headers: Record<string, string>, chunks: (string | Buffer)[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ts.supplier.keys.writer}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer and close before it has read all we send.
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('a body within the limit is served, with its length said or chunked', async () => {
  const before = await head(ts, rel);
  const text = mutation('within');
  expect((await post({ 'content-length': String(Buffer.byteLength(text)) }, [text])).status).toBe(200);
  const chunked = await post({}, [text.slice(0, 10), text.slice(10)]);
  expect(chunked.status).toBe(200);
  expect(JSON.parse(chunked.body).data.recordInteraction.errors).toEqual([]);
  expect((await head(ts, rel)).seq).toBe(before.seq + 2);
});

test('a body over the limit is refused, with 413 when its Content-Length says so, and when it streams chunked past it', async () => {
  const before = await head(ts, rel);
  // The header alone is refused before the body is read.
  const declared = await post({ 'content-length': String(LIMIT + 1) }, ['{"query":']);
  expect(declared.status).toBe(413);
  expect(JSON.parse(declared.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  // Chunked, no length said: counted as it comes. A valid document padded with spaces past the limit.
  const text = mutation('too large');
  const pad = Buffer.alloc(1_000_000, ' ');
  const streamed = await post({}, [text.slice(0, -1), ...Array.from({ length: 26 }, () => pad), '}']);
  // Refused as a body that could not be read (400), as yoga's own check did.
  expect(streamed.status).toBe(400);
  expect((await head(ts, rel)).seq).toBe(before.seq);
  // The server still serves.
  ok(await ts.supplier.gql('{ viewer { role } }'));
});

test('an invalid Content-Length is refused with 400', async () => {
  const text = mutation('bad length');
  const res = await post({ 'content-length': `${Buffer.byteLength(text)}, ${Buffer.byteLength(text)}` }, [text]);
  expect(res.status).toBe(400);
});
