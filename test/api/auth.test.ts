/**
 * Authentication and roles: a reader key cannot write; a request without a key may introspect
 * and ask __typename but reads no data and writes nothing.
 */
import { expect, test } from 'vitest';
import { daysFromNow, fails, head, ledger, must, promise } from '../support/api.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

test('a reader key reads but cannot write: ForbiddenError, nothing written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const entries = await ledger(ts, rel);
  const before = await head(ts, rel);

  const attempts: [string, Record<string, unknown>][] = [
    ['makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'x', dueAt: daysFromNow(3) }],
    ['keepPromise', { promiseId: p.id }],
    ['recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }],
    ['endRelationship', { relationshipId: rel }],
    ['confirmEntry', { entryId: entries[0].id }],
    ['recordEntries', { relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } }] }],
    ['proposeRelationship', { counterpartyId: ts.outsider.id, viewerSide: 'SUPPLIER' }],
  ];
  for (const [name, input] of attempts) {
    const err = await fails(ts.client, name, input, '', 'reader');
    expect(err, name).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(err.message, name).toMatch(/reader key cannot/);
  }
  expect(await head(ts, rel)).toEqual(before);
  expect(ok(await ts.client.gql('{ viewer { relationships { edges { node { id } } } } }', undefined, 'reader')).viewer.relationships.edges).toHaveLength(1);

  // Reading works with the reader key.
  const read = ok(await ts.client.gql('query($id: ID!) { node(id: $id) { ... on Promise { state } } }', { id: p.id }, 'reader'));
  expect(read.node).toEqual({ state: 'OPEN' });
});

test('without a key: introspection and __typename work; viewer and node are null; mutations are refused', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);

  const introspection = await ts.post({ query: '{ __schema { types { name } } }' });
  expect(introspection.status).toBe(200);
  expect(introspection.errors).toBeUndefined();
  const names = (introspection.data as any).__schema.types.map((t: { name: string }) => t.name);
  expect(names).toEqual(expect.arrayContaining(['Relationship', 'LedgerEntry', 'Promise', 'Scorecard', 'Mutation']));

  const typename = await ts.post({ query: '{ __typename }' });
  expect(typename).toMatchObject({ status: 200, data: { __typename: 'Query' } });

  const data = await ts.post({ query: 'query($id: ID!) { viewer { firm { name } } node(id: $id) { id } nodes(ids: [$id]) { id } }', variables: { id: rel } });
  expect(data.errors).toBeUndefined();
  expect(data.data).toEqual({ viewer: null, node: null, nodes: [null] });

  const write = await ts.post({
    query: 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { interaction { id } errors { code } } }',
    variables: { i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } },
  });
  expect(write.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(write.errors?.[0].message).toMatch(/API key/);
  expect(await head(ts, rel)).toEqual(before);

  // An Authorization header that is not a valid key is refused, not treated as anonymous.
  const malformed = await ts.post({ query: '{ viewer { role } }' }, { authorization: 'Basic dXNlcjpwYXNz' });
  expect(malformed.status).toBe(401);
  expect(malformed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('a writer key may record', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, '', 'writer');
  await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, '', 'admin');
  expect((await head(ts, rel)).seq).toBe(4);
});
