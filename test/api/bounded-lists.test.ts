/**
 * Bounded lists (issue 11): `nodes(ids:)` is capped like `first` (100) with a clear
 * LIMIT_EXCEEDED; large requests are answered in DataLoader batches below SQLite's variable
 * limit; a request whose items fail unexpectedly writes one log line, never one per item.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { must } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
/** The server's request log, one parsed JSON line each. */
const log: Record<string, any>[] = [];
let rel: string;
let interactionIds: string[];
beforeAll(async () => {
  ts = await startTestServer({ log });
  rel = await activeRelationship(ts);
  const res = await must(
    ts.supplier,
    'recordEntries',
    {
      relationshipId: rel,
      entries: Array.from({ length: 100 }, () => ({ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } })),
    },
    'entries { seq }',
  );
  expect(res.entries).toHaveLength(100);
  const page = ok(
    await ts.supplier.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { interactions(first: 100) { edges { node { id } } } } } }`, { id: rel }),
  );
  interactionIds = page.node.interactions.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(interactionIds).toHaveLength(100);
});
afterAll(() => ts?.close());

const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;

test('nodes(ids:) with 101 ids is LIMIT_EXCEEDED naming the limit; 100 ids are served in order', async () => {
  const over = await ts.supplier.gql(NODES, { ids: [...interactionIds, rel] });
  expect(over.data ?? null).toBeNull();
  expect(over.errors).toHaveLength(1);
  expect(over.errors![0].extensions?.code).toBe('LIMIT_EXCEEDED');
  expect(over.errors![0].message).toMatch(/at most 100 ids \(got 101\)/);

  const reversed = [...interactionIds].reverse();
  const page = ok(await ts.supplier.gql(NODES, { ids: reversed }));
  expect(page.nodes.map((n: { id: string }) => n.id)).toEqual(reversed);
  // The other party reads the same nodes; an outsider gets null for each, as for unknown ids.
  expect(ok(await ts.client.gql(NODES, { ids: reversed })).nodes.every((n: unknown) => n !== null)).toBe(true);
  expect(ok(await ts.outsider.gql(NODES, { ids: reversed })).nodes.every((n: unknown) => n === null)).toBe(true);
});

test('nodes(ids:) with 40,000 ids answers one typed error and logs one line, nothing per id', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const ids = Array.from({ length: 40_000 }, (_, i) => interactionIds[i % interactionIds.length]);
    const before = log.length;
    const res = await ts.supplier.gql(NODES, { ids });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(res.errors![0].message).toMatch(/got 40000/);
    expect(log.slice(before)).toEqual([expect.objectContaining({ level: 'info', errorCodes: ['LIMIT_EXCEEDED'], firmId: ts.supplier.rawId })]);
    expect(log.slice(before)[0].err).toBeUndefined();
    expect(logged).not.toHaveBeenCalled();
  } finally {
    logged.mockRestore();
  }
});

test('many lists in one request (aliases of nodes and connections) are all served', async () => {
  const aliases = Array.from({ length: 12 }, (_, i) => `n${i}: nodes(ids: $ids) { id ... on Interaction { kind } }`).join(' ');
  const data = ok(await ts.client.gql(`query($ids: [ID!]!) { ${aliases} }`, { ids: interactionIds }));
  for (let i = 0; i < 12; i++) expect(data[`n${i}`].map((n: { id: string }) => n.id)).toEqual(interactionIds);
});

test('a request whose items all fail unexpectedly logs one line, and the client sees masked errors only', async () => {
  const entries = ok(
    await ts.supplier.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { ledger(first: 100) { edges { node { id } } } } } }`, { id: rel }),
  );
  const ids = entries.node.ledger.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(ids).toHaveLength(100);
  // Damage the stored payloads behind the API's back: every entry's payload now fails to parse.
  await ts.rawSql(`update entries set payload = 'not json'`);
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const before = log.length;
    const res = await ts.supplier.gql(`query Payloads($ids: [ID!]!) { nodes(ids: $ids) { id ... on LedgerEntry { payload } } }`, { ids });
    expect(res.errors).toHaveLength(100);
    expect(res.errors!.every((e) => e.message === 'Unexpected error.')).toBe(true);
    expect(JSON.stringify(res)).not.toMatch(/SyntaxError|\.ts:\d+/);
    // One line for the request, at level error, with the first error's stack for the operator.
    const lines = log.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', operation: 'Payloads', unexpectedErrors: 100, firstErrorAt: 'nodes.0.payload', err: { type: 'SyntaxError' } });
    expect(lines[0].msg).toMatch(/request failed with 100 unexpected errors/);
    expect(lines[0].err.stack).toMatch(/SyntaxError/);
    expect(logged).not.toHaveBeenCalled();
  } finally {
    logged.mockRestore();
  }
});
