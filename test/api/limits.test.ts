/**
 * Limits: `first` above 100 is an error (LIMIT_EXCEEDED), never silently clamped; queries deeper
 * than the depth limit, with too many aliases or too many tokens are refused with a clear error
 * before anything runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { head, must } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts);
  await must(ts.supplier, 'recordEntries', {
    relationshipId: rel,
    entries: Array.from({ length: 120 }, () => ({ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } })),
  });
});
afterAll(() => ts?.close());

describe('first: 101 on a connection is LIMIT_EXCEEDED, not clamped', () => {
  const connections: [string, string][] = [
    ['viewer.relationships', '{ viewer { relationships(first: 101) { edges { node { id } } } } }'],
    ['Relationship.interactions', `query($id: ID!) { node(id: $id) { ... on Relationship { interactions(first: 101) { edges { node { id } } } } } }`],
    ['Relationship.promises', `query($id: ID!) { node(id: $id) { ... on Relationship { promises(first: 101) { edges { node { id } } } } } }`],
    ['Relationship.goals', `query($id: ID!) { node(id: $id) { ... on Relationship { goals(first: 101) { edges { node { id } } } } } }`],
    ['Relationship.ledger', `query($id: ID!) { node(id: $id) { ... on Relationship { ledger(first: 101) { edges { node { seq } } } } } }`],
  ];
  test.each(connections)('%s', async (_name, query) => {
    const res = await ts.supplier.gql(query, { id: rel });
    expect(res.errors?.length).toBeGreaterThan(0);
    const err = res.errors![0];
    expect(err.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/first must be between 0 and 100 \(got 101\)/);
    // No page came back, clamped or otherwise.
    expect(JSON.stringify(res.data ?? null)).not.toMatch(/"edges":\[\{/);
  });

  test('first: -1 is refused the same way; first: 100 works', async () => {
    const negative = await ts.supplier.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { interactions(first: -1) { edges { node { id } } } } } }`, { id: rel });
    expect(negative.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
    const full = ok(await ts.supplier.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { interactions(first: 100) { pageInfo { hasNextPage } edges { node { id } } } } } }`, { id: rel }));
    expect(full.node.interactions.edges).toHaveLength(100);
    expect(full.node.interactions.pageInfo.hasNextPage).toBe(true);
  });
});

test('a query deeper than the depth limit is refused, naming the limit', async () => {
  // viewer › relationships › edges › node › goals › edges › node › metrics › measurements › edges › node › entry › actor › name
  const deep = `{ viewer { relationships { edges { node { goals { edges { node { metrics { measurements { edges { node { entry { actor { name } } } } } } } } } } } } } }`;
  const res = await ts.supplier.gql(deep);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].message).toMatch(/depth limit of 8 exceeded/i);
  // The limit cannot be dodged with fragments.
  const viaFragments = `
    fragment M on Metric { measurements { edges { node { entry { actor { name } } } } } }
    fragment G on Goal { metrics { ...M } }
    { viewer { relationships { edges { node { goals { edges { node { ...G } } } } } } } }`;
  const fr = await ts.supplier.gql(viaFragments);
  expect(fr.data ?? null).toBeNull();
  expect(fr.errors?.[0].message).toMatch(/depth limit/i);
  // At the limit works.
  const shallow = `{ viewer { relationships { edges { node { goals { edges { node { id } } } } } } } }`;
  expect(ok(await ts.supplier.gql(shallow)).viewer.relationships.edges).toHaveLength(1);
});

test('too many aliases are refused, and an aliased mutation batch writes nothing', async () => {
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { role }`).join(' ');
  const res = await ts.supplier.gql(`{ ${aliases(16)} }`);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].message).toMatch(/aliases limit of 15 exceeded/i);
  const nested = await ts.supplier.gql(`{ viewer { ${Array.from({ length: 16 }, (_, i) => `r${i}: role`).join(' ')} } }`);
  expect(nested.errors?.[0].message).toMatch(/aliases limit of 15 exceeded/i);
  expect(ok(await ts.supplier.gql(`{ ${aliases(15)} }`)).a14).toEqual({ role: 'WRITER' });

  const before = await head(ts, rel);
  const writes = Array.from(
    { length: 16 },
    (_, i) => `w${i}: recordInteraction(input: { relationshipId: "${rel}", kind: NEGATIVE_CONTACT, initiatedBy: CLIENT }) { errors { code } }`,
  ).join(' ');
  const many = await ts.supplier.gql(`mutation { ${writes} }`);
  expect(many.data ?? null).toBeNull();
  expect(many.errors?.[0].message).toMatch(/aliases limit/i);
  expect(await head(ts, rel)).toEqual(before);
});

test('a document with too many tokens is refused', async () => {
  const fields = Array.from({ length: 1200 }, () => '__typename').join(' ');
  const res = await ts.supplier.gql(`{ ${fields} }`);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].message).toMatch(/token limit of 1000 exceeded/i);
});

test('a document with thousands of repeated fields is refused with an error that says what is too large', async () => {
  // Whichever check refuses it (tokens, or graphql-js giving up on overlapping fields), the refusal tells the client why.
  const fields = Array.from({ length: 3000 }, () => '__typename').join(' ');
  const res = await ts.supplier.gql(`{ ${fields} }`);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].message).toMatch(/limit|too many|too large|exceed/i);
});
