/**
 * Busy is retryable (issue 11): a write that cannot get the database answers a typed, retryable
 * error (HTTP 503, Retry-After, code UNAVAILABLE) and records nothing; the SDK retries it with the
 * same idempotency key, so it is recorded exactly once; API writes made while the CLI imports a
 * 6,000-row file into another relationship all succeed. On SQLite another connection holds the
 * database's write lock past the busy timeout; on PostgreSQL another session holds the
 * relationship's row lock past the lock timeout (the same busyTimeoutMs): the same answer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, UnavailableError } from '@trustledger/sdk';
import { openDb } from '@trustledger/server';
import pg from 'pg';
import { expect, test } from 'vitest';
import { cli } from '../cli/cli.ts';
import { head, ledger } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

/**
 * Another connection that holds the lock a write to relationship `rel` (a GraphQL id) needs, until
 * released: SQLite's write lock on the whole file (BEGIN IMMEDIATE), or on PostgreSQL the
 * relationship's row (SELECT … FOR UPDATE), which every append to it takes first.
 */
async function holdWriteLock(ts: TestServer, rel: string): Promise<() => Promise<void>> {
  if (ts.store === 'sqlite') {
    const other = openDb({ path: ts.db }).$client;
    other.exec('BEGIN IMMEDIATE');
    return async () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const other = new pg.Client({ connectionString: ts.db });
  await other.connect();
  await other.query('begin');
  const rawId = Buffer.from(rel, 'base64').toString('utf8').replace(/^[^:]*:/, '');
  const locked = await other.query('select id from relationships where id = $1 for update', [rawId]);
  expect(locked.rowCount).toBe(1);
  return async () => {
    await other.query('rollback');
    await other.end();
  };
}

const RECORD = `mutation($input: RecordInteractionInput!) { recordInteraction(input: $input) { entry { seq } errors { code message } } }`;

test('a write that cannot get the database answers 503 UNAVAILABLE with Retry-After, and records nothing', async () => {
  await using ts = await startTestServer({ busyTimeoutMs: 100 });
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const input = { relationshipId: rel, kind: 'NEGATIVE_CONTACT', initiatedBy: 'CLIENT', idempotencyKey: 'late-delivery-call-1' };
  const release = await holdWriteLock(ts, rel);
  let res: Response;
  try {
    res = await fetch(ts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ts.supplier.keys.writer}` },
      body: JSON.stringify({ query: RECORD, variables: { input } }),
    });
  } finally {
    await release();
  }
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions.code).toBe('UNAVAILABLE');
  expect(body.errors[0].message).toMatch(/busy.*nothing was recorded.*retry/i);
  expect(await head(ts, rel)).toEqual(before);
  // Retried with the same key once the database is free: recorded once, and once only.
  const first = ok(await ts.supplier.gql(RECORD, { input }), 'recordInteraction');
  const again = ok(await ts.supplier.gql(RECORD, { input }), 'recordInteraction');
  expect(first.entry.seq).toBe(before.seq + 1);
  expect(again.entry.seq).toBe(before.seq + 1);
  expect((await head(ts, rel)).seq).toBe(before.seq + 1);
});

test('the SDK retries UNAVAILABLE with the same idempotency key: recorded exactly once; after its retries it throws UnavailableError', async () => {
  await using ts = await startTestServer({ busyTimeoutMs: 50 });
  const rel = await activeRelationship(ts);
  const bodies: string[] = [];
  const statuses: number[] = [];
  let seen503 = () => {};
  const supplier = createClient({
    url: ts.url,
    apiKey: ts.supplier.keys.writer,
    retry: { retries: 5, minDelayMs: 50, maxDelayMs: 2000 },
    fetch: async (url, init) => {
      bodies.push(String(init.body));
      const r = await fetch(url, init);
      statuses.push(r.status);
      seen503();
      return r;
    },
  });
  // The lock is let go once the server has answered 503 twice, whatever the timing: the SDK has
  // then retried once with the lock still held, and its next retry finds the database free.
  const release = await holdWriteLock(ts, rel);
  let released: Promise<void> | null = null;
  seen503 = () => {
    if (statuses.filter((s) => s === 503).length >= 2 && !released) released = release();
  };
  let interaction;
  try {
    ({ interaction } = await supplier.interactions.record({ relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'SUPPLIER', note: 'Chairs arrived scratched' }));
  } finally {
    await (released ?? release());
  }
  expect(interaction.kind).toBe('COMPLAINT');
  expect(statuses).toEqual([503, 503, 200]);
  // Every attempt sent the same body, so the same idempotency key.
  expect(new Set(bodies).size).toBe(1);
  expect(JSON.parse(bodies[0]).variables.input.idempotencyKey).toEqual(expect.any(String));
  const complaints = (await ledger(ts, rel)).filter((e) => e.type === 'INTERACTION_RECORDED');
  expect(complaints).toHaveLength(1);

  // A lock that outlasts every retry: a typed, retryable error, and still nothing recorded.
  const impatient = createClient({ url: ts.url, apiKey: ts.supplier.keys.writer, retry: { retries: 1, minDelayMs: 10, maxDelayMs: 1000 } });
  const before = await head(ts, rel);
  const hold = await holdWriteLock(ts, rel);
  try {
    const error = await impatient.interactions.record({ relationshipId: rel, kind: 'NEGATIVE_CONTACT', initiatedBy: 'SUPPLIER' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, retryAfterMs: 1000 });
  } finally {
    await hold();
  }
  expect(await head(ts, rel)).toEqual(before);
});

test('API writes to another relationship during a 6,000-row CSV import all succeed, each recorded once; the import records every row', async () => {
  await using ts = await startTestServer({ busyTimeoutMs: 200 });
  const imported = await activeRelationship(ts, '2026-01-01T00:00:00Z');
  const other = await ts.firm('Lakeside Linen');
  // A second relationship between the client and another supplier, written to over the API.
  const proposed = ok(
    await other.gql(
      `mutation($input: ProposeRelationshipInput!) { proposeRelationship(input: $input) { relationship { id } errors { message } } }`,
      { input: { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' } },
    ),
    'proposeRelationship',
  );
  const busyRel = proposed.relationship.id as string;
  ok(await ts.client.gql(`mutation($input: AcceptRelationshipInput!) { acceptRelationship(input: $input) { errors { message } } }`, { input: { relationshipId: busyRel } }), 'acceptRelationship');

  const rows = Array.from({ length: 6000 }, (_, i) => {
    const at = new Date(Date.parse('2026-01-02T00:00:00Z') + i * 60_000).toISOString();
    return `interaction,${at},activity,client,${(i % 50) + 1},Order ${i + 1}`;
  });
  const file = join(ts.dir, 'orders.csv');
  writeFileSync(file, `type,occurred_at,interaction_kind,initiated_by,volume,note\n${rows.join('\n')}\n`);
  const importing = cli(ts.db, ['import', file, '--relationship', imported, '--as-firm', ts.supplier.rawId, '--json']);
  let done = false;
  void importing.then(() => (done = true));
  // The writes start once the import is writing (its first transactions are in the ledger): no
  // timing is assumed, only the order of events. Every write waits for the lock as long as it
  // takes (the SDK retries each 503, after its Retry-After), so none can fail for being slow.
  while (!done && (await head(ts, imported)).seq <= 2) await new Promise((r) => setTimeout(r, 20));

  const writer = createClient({ url: ts.url, apiKey: other.keys.writer, retry: { retries: 1000, minDelayMs: 100, maxDelayMs: 2000 } });
  const notes: string[] = [];
  for (let i = 1; i <= 10; i++) {
    const note = `Call ${i}`;
    const { interaction } = await writer.interactions.record({ relationshipId: busyRel, kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER', note });
    expect(interaction.kind).toBe('POSITIVE_CONTACT');
    notes.push(note);
  }
  const result = await importing;
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ rows: 6000, recorded: 6000, duplicates: 0, bad: [], written: true });
  // Every acknowledged API write is in its ledger, once.
  const written = (await ledger(ts, busyRel, other)).filter((e) => e.type === 'INTERACTION_RECORDED').map((e) => (e.payload as { note: string }).note);
  expect(written).toEqual(notes);
  expect((await head(ts, imported)).seq).toBe(2 + 6000);

  // Importing the file again records nothing new.
  const again = await cli(ts.db, ['import', file, '--relationship', imported, '--as-firm', ts.supplier.rawId, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ rows: 6000, recorded: 0, duplicates: 6000, written: false });
  expect((await head(ts, imported)).seq).toBe(2 + 6000);
}, 240_000);
