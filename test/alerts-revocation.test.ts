/**
 * Revocation bites (issue 11), over real server-sent events: a stream whose API key is revoked
 * ends within seconds, while the firm's other streams go on; a relationship that has ended sends
 * its parties no more alerts.
 */
import { createApiKey } from '@trustledger/server';
import { expect, test } from 'vitest';
import { ALERTS_SUBSCRIPTION, alertStream } from './support/alerts.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from './support/server.ts';

/** Opens an alert stream with `key`; collects alerts and resolves `closed` when the server ends it. */
const stream = (ts: TestServer, key: string) => alertStream(ts.url, key);

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);

async function waitFor(pred: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const makePromise = async (ts: TestServer, relationshipId: string, description: string, dueInMs: number) =>
  ok(
    await ts.supplier.gql(`mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } errors { message } } }`, {
      i: { relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description, dueAt: new Date(Date.now() + dueInMs).toISOString() },
    }),
    'makePromise',
  );

test('a revoked key’s open alert stream ends within seconds; the firm’s other stream keeps receiving alerts', async () => {
  await using ts = await startTestServer({ overdueCheckMs: 200 });
  const rel = await activeRelationship(ts);
  const doomed = await createApiKey(ts.server.store, ts.client.rawId, 'READER', 'ops dashboard');
  const revokedFeed = await stream(ts, doomed.secret);
  const otherFeed = await stream(ts, ts.client.keys.reader);
  try {
    // Both streams are live: an overdue promise reaches both.
    await makePromise(ts, rel, 'ship the chairs', 1200);
    await waitFor(() => revokedFeed.alerts.length > 0 && otherFeed.alerts.length > 0, 10_000, 'the first alert');

    const revoked = ok(
      await ts.client.gql(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { apiKey { revokedAt } errors { message } } }`, { i: { keyId: doomed.key.id } }, 'admin'),
      'revokeApiKey',
    );
    expect(revoked.apiKey.revokedAt).toEqual(expect.any(String));
    expect(await within(revokedFeed.closed, 10_000, 'the revoked stream closing')).toBe(true);

    // A later alert (with the counterparty's promise description) reaches the live stream only.
    await makePromise(ts, rel, 'hang the curtains', 1200);
    await waitFor(() => otherFeed.alerts.some((a) => a.promise?.description === 'hang the curtains'), 10_000, 'the second alert');
    expect(revokedFeed.alerts.map((a) => a.promise?.description)).toEqual(['ship the chairs']);
    // And the revoked key can open no new stream.
    const again = await fetch(`${ts.url}?query=${encodeURIComponent(ALERTS_SUBSCRIPTION)}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${doomed.secret}` } });
    expect(await again.text()).toContain('UNAUTHENTICATED');
  } finally {
    revokedFeed.close();
    otherFeed.close();
  }
}, 60_000);

test('a relationship that has ended sends no more alerts to its parties’ open streams', async () => {
  await using ts = await startTestServer({ overdueCheckMs: 200 });
  const ending = await activeRelationship(ts);
  const going = await activeRelationship(ts);
  const feed = await stream(ts, ts.client.keys.reader);
  try {
    // Promises in both relationships fall due at the same moment, after one of them has ended.
    await makePromise(ts, ending, 'deliver the sofas', 2500);
    await makePromise(ts, going, 'deliver the lamps', 2500);
    ok(
      await ts.supplier.gql(`mutation($i: EndRelationshipInput!) { endRelationship(input: $i) { relationship { status } errors { message } } }`, {
        i: { relationshipId: ending, reason: 'We are leaving this contract' },
      }),
      'endRelationship',
    );
    await waitFor(() => feed.alerts.some((a) => a.promise?.description === 'deliver the lamps'), 15_000, 'the alert of the ongoing relationship');
    await new Promise((r) => setTimeout(r, 600));
    expect(feed.alerts.filter((a) => a.relationship?.id === ending || a.promise?.description === 'deliver the sofas')).toEqual([]);
  } finally {
    feed.close();
  }
}, 60_000);
