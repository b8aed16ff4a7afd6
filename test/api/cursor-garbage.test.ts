/**
 * A cursor is opaque (DESIGN §4, Relay): one this API did not return, or one edited by hand
 * (a negative or fractional position, a word, a number too large to be a position), is refused
 * with VALIDATION at `after` on every connection, never answered with an empty or shifted page or
 * an unexpected error; the cursors the API returns keep working.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts);
  for (let i = 0; i < 3; i++)
    ok(
      await ts.supplier.gql('mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { message } } }', {
        i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: `Order ${i}`, dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      }),
      'makePromise',
    );
});
afterAll(() => ts?.close());

const cursor = (s: string) => Buffer.from(s).toString('base64url');
const FIELDS: Record<string, string> = {
  review: '{ viewer { review(as: CLIENT, first: 1, after: $after) { edges { cursor } } } }',
  promises: '{ node(id: $id) { ... on Relationship { promises(first: 1, after: $after) { edges { cursor } } } } }',
  goals: '{ node(id: $id) { ... on Relationship { goals(first: 1, after: $after) { edges { cursor } } } } }',
  interactions: '{ node(id: $id) { ... on Relationship { interactions(first: 1, after: $after) { edges { cursor } } } } }',
};
const ask = (field: string, after: string) =>
  field === 'review'
    ? ts.client.gql(`query($after: String) ${FIELDS[field]}`, { after }, 'reader')
    : ts.client.gql(`query($id: ID!, $after: String) ${FIELDS[field]}`, { id: rel, after }, 'reader');

test.each(Object.keys(FIELDS).flatMap((field) => ['c:-5', 'c:abc', 'c:1e9999', 'c:1.5', 'c:', 'c:99999999999999999999'].map((raw) => [field, raw])))(
  '%s refuses the cursor %j with VALIDATION at after',
  async (field, raw) => {
    const res = await ask(field, cursor(raw));
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({ message: 'after is not a cursor this API returned.', extensions: { code: 'VALIDATION', path: ['after'] } });
  },
);

test('the cursors the API returns page on', async () => {
  const first = ok(await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { promises(first: 2) { pageInfo { endCursor } edges { node { description } } } } } }`, { id: rel }, 'reader'));
  const rest = ok(await ask('promises', first.node.promises.pageInfo.endCursor));
  expect(rest.node.promises.edges).toHaveLength(1);
  const page = ok(await ts.client.gql(`{ viewer { review(as: CLIENT, first: 1) { pageInfo { endCursor hasNextPage } } } }`, {}, 'reader'));
  expect(ok(await ask('review', page.viewer.review.pageInfo.endCursor)).viewer.review.edges).toEqual([]);
});
