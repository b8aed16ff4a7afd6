/**
 * DataLoaders: a page of relationships with nested promises, interactions, goals, metrics and
 * measurements issues the same number of SQL statements for 1 relationship as for 50.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { must } from '../support/api.ts';
import { ok, startTestServer, type TestFirm, type TestServer } from '../support/server.ts';

// The dashboard a portal shows, within the depth limit (8): the page of relationships, then
// everything under them by nodes(ids:), then the measurements of their metrics.
const PAGE = `query($first: Int!) { viewer { firm { name } relationships(first: $first) {
  pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`;
const QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Relationship {
    id status viewerSide supplier { name } client { name } counterparty { name } head { seq hash }
    representatives { side name since }
    goals { edges { node { id title status metrics { id name target } } } }
    ledger(first: 5) { edges { node { seq type actor { name } status } } }
  } } }`;
const PROMISES = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Relationship {
    open: promises(state: OPEN) { edges { node { id description dueAt originalDueAt state overdue history { seq type status actor { name } } } } }
    promises(first: 10) { pageInfo { hasNextPage } edges { node { id state outcome amount { amount currency } } } }
    interactions(first: 10) { edges { node { id kind initiatedBy volume score firstResponseAt history { seq type } } } }
    complaints: interactions(kinds: [COMPLAINT]) { edges { node { id resolvedAt } } }
  } } }`;
const MEASUREMENTS = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Metric { id measurements(first: 5) { edges { node { id value recordedBy } } } } } }`;

const clients: TestFirm[] = [];

async function build(ts: TestServer, n: number) {
  const at = (h: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + h * 3_600_000).toISOString();
  for (let i = 0; i < n; i++) {
    const client = await ts.firm(`Hotel ${i}`);
    clients.push(client);
    const rel = (await must(ts.supplier, 'proposeRelationship', { counterpartyId: client.id, viewerSide: 'SUPPLIER', occurredAt: at(0) }, 'relationship { id }')).relationship.id;
    await must(client, 'acceptRelationship', { relationshipId: rel, occurredAt: at(1) });
    // seq 3: goal with two metrics; 4–6: promises; 7: kept; 8–10: interactions; 11: response; 12–13: measurements; 14: handover
    await must(ts.supplier, 'recordEntries', {
      relationshipId: rel,
      entries: [
        { type: 'GOAL_PROPOSED', occurredAt: at(2), payload: { title: 'On time', metrics: [
          { name: 'On time', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, accountable: 'SUPPLIER' },
          { name: 'Defects', unit: 'items', direction: 'LOWER_IS_BETTER', target: 0, baseline: 10, accountable: 'SUPPLIER' },
        ] } },
        { type: 'PROMISE_MADE', occurredAt: at(3), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: '2027-01-01T00:00:00Z', amount: { amount: 100, currency: 'EUR' } } },
        { type: 'PROMISE_MADE', occurredAt: at(4), payload: { promisor: 'SUPPLIER', kind: 'OTHER', description: 'Send the invoice', dueAt: at(30) } },
        { type: 'PROMISE_MADE', occurredAt: at(5), payload: { promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'Install', dueAt: '2027-02-01T00:00:00Z' } },
        { type: 'PROMISE_KEPT', occurredAt: at(6), payload: { promiseSeq: 5 } },
        { type: 'INTERACTION_RECORDED', occurredAt: at(7), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT' } },
        { type: 'INTERACTION_RECORDED', occurredAt: at(8), payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 5 } },
        { type: 'INTERACTION_RECORDED', occurredAt: at(9), payload: { kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 4 } },
        { type: 'COMPLAINT_RESPONDED', occurredAt: at(10), payload: { interactionSeq: 8 } },
        { type: 'MEASUREMENT_RECORDED', occurredAt: at(11), payload: { metricSeq: 3, metricIndex: 0, value: 90 } },
        { type: 'MEASUREMENT_RECORDED', occurredAt: at(12), payload: { metricSeq: 3, metricIndex: 1, value: 2 } },
        { type: 'REPRESENTATIVE_HANDOVER', occurredAt: at(13), payload: { side: 'SUPPLIER', name: `Rep ${i}` } },
      ],
    });
    await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 2 } });
  }
}

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
  await build(ts, 50);
});
afterAll(() => ts?.close());

/**
 * Runs one query as the supplier's reader key and counts the SQL statements it issued. The
 * server's background overdue check shares the statement log, so the query runs three times and
 * the fewest statements count (a background tick can only add).
 */
async function counted(query: string, variables: Record<string, unknown>) {
  let best: { statements: number; data: any } | null = null;
  for (let i = 0; i < 3; i++) {
    ts.sql.length = 0;
    const data = ok(await ts.supplier.gql(query, variables, 'reader'));
    if (!best || ts.sql.length < best.statements) best = { statements: ts.sql.length, data };
  }
  return best!;
}

test('a nested relationships page costs the same number of SQL statements for 1 and for 50 relationships', async () => {
  const count = async (first: number) => {
    const page = await counted(PAGE, { first });
    const ids = page.data.viewer.relationships.edges.map((e: any) => e.node.id);
    const rels = await counted(QUERY, { ids });
    const promises = await counted(PROMISES, { ids });
    const metricIds = rels.data.nodes.flatMap((n: any) => n.goals.edges.flatMap((g: any) => g.node.metrics.map((m: any) => m.id)));
    const measurements = await counted(MEASUREMENTS, { ids: metricIds });
    const byMetric = new Map(measurements.data.nodes.map((m: any) => [m.id, m.measurements]));
    const nodes = rels.data.nodes.map((n: any, i: number) => ({
      ...n,
      ...promises.data.nodes[i],
      goals: { edges: n.goals.edges.map((g: any) => ({ node: { ...g.node, metrics: g.node.metrics.map((m: any) => ({ ...m, measurements: byMetric.get(m.id) })) } })) },
    }));
    return { statements: page.statements + rels.statements + promises.statements + measurements.statements, data: { viewer: { relationships: { edges: nodes.map((node: any) => ({ node })) } } } };
  };
  const one = await count(1);
  const fifty = await count(50);

  // The queries did read everything they asked for, on every relationship.
  expect(one.data.viewer.relationships.edges).toHaveLength(1);
  expect(fifty.data.viewer.relationships.edges).toHaveLength(50);
  for (const { node } of fifty.data.viewer.relationships.edges) {
    expect(node.head.seq).toBe(15);
    expect(node.open.edges).toHaveLength(2);
    expect(node.open.edges[0].node.history.length).toBeGreaterThanOrEqual(1);
    expect(node.promises.edges).toHaveLength(3);
    expect(node.interactions.edges).toHaveLength(3);
    expect(node.complaints.edges).toHaveLength(1);
    expect(node.interactions.edges[0].node.firstResponseAt).not.toBeNull();
    expect(node.goals.edges[0].node.metrics).toHaveLength(2);
    expect(node.goals.edges[0].node.metrics.map((m: any) => m.measurements.edges.length)).toEqual([1, 1]);
    expect(node.ledger.edges).toHaveLength(5);
    expect(node.representatives).toHaveLength(1);
  }
  expect(new Set(fifty.data.viewer.relationships.edges.map((e: any) => e.node.client.name)).size).toBe(50);

  expect(one.statements).toBeGreaterThan(0);
  expect(fifty.statements).toBe(one.statements);
});

test('the relationships page with policies costs the same for 1 and for 50 relationships', async () => {
  const query = `query($first: Int!) { viewer { relationships(first: $first) { edges { node { id policies { id status policy } } } } } }`;
  const one = await counted(query, { first: 1 });
  const fifty = await counted(query, { first: 50 });
  expect(fifty.data.viewer.relationships.edges.every((e: any) => e.node.policies.length === 1)).toBe(true);
  expect(fifty.statements).toBe(one.statements);
});

test('nodes(ids:) costs the same for 1 and for 50 ids of each type', async () => {
  const relIds = ok(await ts.supplier.gql(`{ viewer { relationships(first: 50) { edges { node { id } } } } }`)).viewer.relationships.edges.map((e: any) => e.node.id);
  const rels = ok(
    await ts.supplier.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Relationship { id
    promises(first: 1) { edges { node { id } } } interactions(first: 1) { edges { node { id } } }
    goals(first: 1) { edges { node { id metrics { id } } } } ledger(first: 1) { edges { node { id } } } policies { id } } } }`,
      { ids: relIds },
    ),
  ).nodes;
  const idsOf: Record<string, string[]> = {
    Relationship: rels.map((r: any) => r.id),
    Promise: rels.map((r: any) => r.promises.edges[0].node.id),
    Interaction: rels.map((r: any) => r.interactions.edges[0].node.id),
    Goal: rels.map((r: any) => r.goals.edges[0].node.id),
    Metric: rels.map((r: any) => r.goals.edges[0].node.metrics[0].id),
    LedgerEntry: rels.map((r: any) => r.ledger.edges[0].node.id),
    PolicyProposal: rels.map((r: any) => r.policies[0].id),
    Firm: clients.map((c) => c.id),
  };
  const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';
  const cost: Record<string, [number, number]> = {};
  for (const [typename, ids] of Object.entries(idsOf)) {
    expect(ids, typename).toHaveLength(50);
    const one = await counted(query, { ids: ids.slice(0, 1) });
    const fifty = await counted(query, { ids });
    expect(fifty.data.nodes.map((n: any) => n?.__typename), typename).toEqual(ids.map(() => typename));
    cost[typename] = [one.statements, fifty.statements];
  }
  expect(cost).toEqual(Object.fromEntries(Object.entries(cost).map(([k, [one]]) => [k, [one, one]])));
});
