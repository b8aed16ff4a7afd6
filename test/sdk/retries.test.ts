import { createClient, type FetchLike, NetworkError, RateLimitError, ServerError } from '@trustledger/sdk';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair, sdk } from './helpers.ts';

const RETRY = { retries: 3, minDelayMs: 1, maxDelayMs: 20 };

it('retries a write whose response was lost after the server committed, recording each entry exactly once', async () => {
  await using ts = await startTestServer();
  const { relationshipId } = await activePair(ts);
  const bodies: string[] = [];
  let dropped = 0;
  // Every mutation's first attempt reaches the server and commits; then the connection "drops".
  const flaky: FetchLike = async (input, init) => {
    const body = String(init.body);
    bodies.push(body);
    const response = await globalThis.fetch(input, init);
    if (body.includes('mutation') && bodies.filter((b) => b === body).length === 1) {
      await response.text();
      dropped++;
      throw new TypeError('network');
    }
    return response;
  };
  const supplier = sdk(ts, ts.supplier, 'writer', { fetch: flaky });
  const ids = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const { promise, entry } = await supplier.promises.make({
      relationshipId,
      promisor: 'SUPPLIER',
      kind: 'DELIVERY',
      description: `Delivery ${i}`,
      dueAt: '2027-01-01T00:00:00Z',
    });
    ids.add(promise.id);
    expect(entry.payload).toMatchObject({ description: `Delivery ${i}` });
  }
  const { interaction } = await supplier.interactions.record({ relationshipId, kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER' });
  expect(interaction.kind).toBe('POSITIVE_CONTACT');
  expect(dropped).toBe(11);
  expect(ids.size).toBe(10);

  const ledger = await sdk(ts, ts.client).relationships.ledgerEntries(relationshipId);
  expect(ledger.map((e) => e.type)).toEqual([
    'RELATIONSHIP_PROPOSED',
    'RELATIONSHIP_ACCEPTED',
    ...Array(10).fill('PROMISE_MADE'),
    'INTERACTION_RECORDED',
  ]);
  // each retry sent the very same body, idempotency key included
  const mutationBodies = bodies.filter((b) => b.includes('mutation'));
  expect(mutationBodies).toHaveLength(22);
  expect(new Set(mutationBodies).size).toBe(11);
});

it('gives up with NetworkError after the configured retries, or at once with retry: false', async () => {
  let calls = 0;
  const down: FetchLike = async () => {
    calls++;
    throw new TypeError('fetch failed');
  };
  const client = createClient({ url: 'http://127.0.0.1:9/graphql', apiKey: 'k', fetch: down, retry: RETRY });
  const error = await client.viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
  expect(calls).toBe(4);

  calls = 0;
  await expect(createClient({ url: 'http://127.0.0.1:9/graphql', apiKey: 'k', fetch: down, retry: false }).viewer()).rejects.toBeInstanceOf(NetworkError);
  expect(calls).toBe(1);
});

it('retries HTTP 5xx, then surfaces ServerError', async () => {
  await using ts = await startTestServer();
  let failures = 2;
  let calls = 0;
  const unstable: FetchLike = async (input, init) => {
    calls++;
    if (failures-- > 0) return new Response('upstream unavailable', { status: 503 });
    return globalThis.fetch(input, init);
  };
  const viewer = await sdk(ts, ts.supplier, 'reader', { fetch: unstable }).viewer();
  expect(viewer.firm.name).toBe('Oak & Sons Furniture');
  expect(calls).toBe(3);

  calls = 0;
  const broken: FetchLike = async () => {
    calls++;
    return new Response('', { status: 502 });
  };
  const error = await createClient({ url: ts.url, apiKey: 'k', fetch: broken, retry: RETRY }).viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServerError);
  expect((error as ServerError).status).toBe(502);
  expect(calls).toBe(4);
});

it('waits out a 429 Retry-After within maxDelayMs, then succeeds', async () => {
  await using ts = await startTestServer();
  let calls = 0;
  const limited: FetchLike = async (input, init) => {
    calls++;
    if (calls === 1) return Response.json({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { status: 429, headers: { 'retry-after': '1' } });
    return globalThis.fetch(input, init);
  };
  const started = Date.now();
  const client = createClient({ url: ts.url, apiKey: ts.supplier.keys.reader, fetch: limited, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2000 } });
  await client.viewer();
  expect(calls).toBe(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});

it('the real server rate limit: Retry-After beyond maxDelayMs throws RateLimitError with retryAfterMs, without sleeping', async () => {
  await using ts = await startTestServer({ rateLimitPerMinute: 2 });
  let calls = 0;
  const counting: FetchLike = (input, init) => {
    calls++;
    return globalThis.fetch(input, init);
  };
  const reader = sdk(ts, ts.supplier, 'reader', { fetch: counting });
  await reader.viewer();
  await reader.viewer();
  const error = await reader.viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(1000);
  expect(calls).toBe(3);
});
