import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  graphql,
  LimitExceededError,
  NotFoundError,
  ServerError,
  TrustledgerError,
  ValidationError,
} from '@trustledger/sdk';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair, countingFetch, sdk } from './helpers.ts';

const promise = (relationshipId: string) =>
  ({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: '2027-01-01T00:00:00Z' }) as const;

it('throws typed errors from mutation payloads, without retrying them', async () => {
  await using ts = await startTestServer();
  const { relationshipId } = await activePair(ts);
  const { fetch, calls } = countingFetch();
  const supplier = sdk(ts, ts.supplier, 'writer', { fetch });

  const invalid = await supplier.promises.make({ ...promise(relationshipId), description: 'x'.repeat(2001) }).catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(ValidationError);
  expect(invalid).toBeInstanceOf(TrustledgerError);
  expect(invalid).toMatchObject({ code: 'VALIDATION', path: ['input', 'description'], message: expect.stringContaining('2000 characters') });
  expect((invalid as ValidationError).issues[0].path).toEqual(['input', 'description']);
  expect(calls).toHaveLength(1);

  // What the shared input checks refuse, the SDK refuses before sending, in the same words.
  const local = await supplier.promises.make({ ...promise(relationshipId), dueAt: 'tomorrow' }).catch((e: unknown) => e);
  expect(local).toBeInstanceOf(ValidationError);
  expect(local).toMatchObject({ code: 'VALIDATION', path: ['input', 'dueAt'], message: expect.stringContaining('"tomorrow"') });
  expect(calls).toHaveLength(1);

  const { promise: made } = await supplier.promises.make(promise(relationshipId));
  const notFound = await sdk(ts, ts.outsider).promises.keep({ promiseId: made.id }).catch((e: unknown) => e);
  expect(notFound).toBeInstanceOf(NotFoundError);
  expect((notFound as NotFoundError).code).toBe('NOT_FOUND');

  const forbidden = await sdk(ts, ts.supplier, 'reader').promises.make(promise(relationshipId)).catch((e: unknown) => e);
  expect(forbidden).toBeInstanceOf(ForbiddenError);
  expect((forbidden as ForbiddenError).message).toMatch(/reader key/);
});

it('replays a reused idempotency key with the same input and refuses it with other input', async () => {
  await using ts = await startTestServer();
  const { supplier, relationshipId } = await activePair(ts);
  const first = await supplier.promises.make({ ...promise(relationshipId), idempotencyKey: 'po-1042' });
  const again = await supplier.promises.make({ ...promise(relationshipId), idempotencyKey: 'po-1042' });
  expect(again.entry).toEqual(first.entry);
  const conflict = await supplier.promises.make({ ...promise(relationshipId), description: 'Tables', idempotencyKey: 'po-1042' }).catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(ConflictError);
  expect((conflict as ConflictError).path).toEqual(['input', 'idempotencyKey']);
  expect((await supplier.relationships.ledgerEntries(relationshipId)).length).toBe(3);
});

it('throws AuthenticationError for an unknown key, once, without retrying', async () => {
  await using ts = await startTestServer();
  const { createClient } = await import('@trustledger/sdk');
  const { fetch, calls } = countingFetch();
  const stranger = createClient({ url: ts.url, apiKey: 'tl_not_a_key', fetch, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 } });
  const error = await stranger.viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  expect(calls).toHaveLength(1);
});

it('maps top-level errors: LIMIT_EXCEEDED, a rejected document, a masked error', async () => {
  await using ts = await startTestServer();
  const supplier = sdk(ts, ts.supplier);
  const tooMany = graphql(`query TooMany($first: Int!) { viewer { relationships(first: $first) { edges { cursor } } } }`);
  const limit = await supplier.query(tooMany, { first: 101 }).catch((e: unknown) => e);
  expect(limit).toBeInstanceOf(LimitExceededError);
  expect(limit).toMatchObject({ code: 'LIMIT_EXCEEDED', path: ['first'] });
  expect(() => supplier.promises.list('x', { pageSize: 101 })).toThrow(RangeError);

  const deep = graphql(`query Deep { viewer { firm { name } } }`);
  const masked = await createMaskedClient(ts.url);
  await expect(masked.query(deep)).rejects.toBeInstanceOf(ServerError);
});

it('runs raw typed queries and mutations; raw mutations get an idempotency key', async () => {
  await using ts = await startTestServer();
  const { relationshipId } = await activePair(ts);
  const { fetch, calls } = countingFetch();
  const supplier = sdk(ts, ts.supplier, 'writer', { fetch });
  const Head = graphql(`query Head($id: ID!) { node(id: $id) { ... on Relationship { head { seq hash } } } }`);
  const data = await supplier.query(Head, { id: relationshipId });
  expect(data.node && 'head' in data.node ? data.node.head.seq : null).toBe(2);

  const Make = graphql(`
    mutation Make($input: MakePromiseInput!) { makePromise(input: $input) { promise { description } errors { code path } } }
  `);
  const made = await supplier.mutate(Make, { input: promise(relationshipId) });
  expect(made.makePromise).toEqual({ promise: { description: 'Chairs' }, errors: [] });
  const sent = JSON.parse(calls.at(-1)?.body ?? '{}') as { variables: { input: { idempotencyKey?: string } } };
  expect(sent.variables.input.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  const invalid = await supplier.mutate(Make, { input: { ...promise(relationshipId), description: '' } });
  expect(invalid.makePromise.errors).toEqual([{ code: 'VALIDATION', path: ['input', 'description'] }]);
});

/** A client whose fetch answers as graphql-yoga does for an unexpected (masked) error. */
async function createMaskedClient(url: string) {
  const { createClient } = await import('@trustledger/sdk');
  return createClient({
    url,
    apiKey: 'k',
    retry: false,
    fetch: async () =>
      Response.json({ data: { viewer: null }, errors: [{ message: 'Unexpected error.', path: ['viewer'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
  });
}

it('createClient without an API key (an unset environment variable) fails at once, saying what is missing, instead of sending "Bearer undefined"', async () => {
  const { createClient } = await import('@trustledger/sdk');
  let sent = 0;
  const fetch = async () => {
    sent++;
    return Response.json({ data: { viewer: null } });
  };
  for (const apiKey of [undefined, '', '  ', null]) {
    let thrown: unknown;
    try {
      createClient({ url: 'http://127.0.0.1:1/graphql', apiKey: apiKey as unknown as string, fetch });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthenticationError);
    expect(thrown).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((thrown as Error).message).toMatch(/createClient needs apiKey/);
  }
  const unset = () => createClient({ url: 'http://127.0.0.1:1/graphql', apiKey: process.env.TRUSTLEDGER_TEST_UNSET_KEY as string, fetch });
  expect(unset).toThrow(/got undefined \(is the environment variable you read it from, e\.g\. TRUSTLEDGER_KEY, set\?\)/);
  expect(sent).toBe(0);
});
