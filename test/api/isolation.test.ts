/**
 * Isolation: a firm that is not party to a relationship learns nothing about it on any path.
 * node(id:)/nodes(ids:) answer exactly as for an unknown id; every mutation naming its ids is a
 * NotFoundError with the same words as for an unknown id; nothing is written.
 */
import { expect, test } from 'vitest';
import { fails, head, ledger, metric, must, promise } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

const gid = (typename: string, raw: string) => Buffer.from(`${typename}:${raw}`).toString('base64');
const UNKNOWN_REL = 'rel_0000000000000000000';

/** A relationship with one of everything; returns the ids of its nodes by type. */
async function populated(ts: TestServer) {
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const goal = await must(ts.client, 'proposeGoal', { relationshipId: rel, title: 'On time', metrics: [metric()] }, 'goal { id metrics { id } }');
  const m = await must(ts.supplier, 'recordMeasurement', { metricId: goal.goal.metrics[0].id, value: 90 }, 'measurement { id }');
  const complaint = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT' }, 'interaction { id } entry { id }');
  const policy = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 3 } }, 'policy { id }');
  return {
    Relationship: rel,
    Promise: p.id,
    Goal: goal.goal.id,
    Metric: goal.goal.metrics[0].id,
    Measurement: m.measurement.id,
    Interaction: complaint.interaction.id,
    LedgerEntry: complaint.entry.id,
    PolicyProposal: policy.policy.id,
  };
}

/** The same kind of id, naming nothing that exists. */
function unknownLike(typename: string, id: string): string {
  const raw = Buffer.from(id, 'base64').toString().slice(typename.length + 1);
  return gid(typename, raw.replace(/^rel_[0-9a-z]{19}/, UNKNOWN_REL));
}

test('node(id:) and nodes(ids:) answer for another firm\'s ids exactly as for unknown ids', async () => {
  await using ts = await startTestServer();
  const ids = await populated(ts);
  for (const [typename, id] of Object.entries(ids)) {
    // The owner sees it (so the id is real)…
    const own = ok(await ts.client.gql('query($id: ID!) { node(id: $id) { __typename id } }', { id }));
    expect(own.node, typename).toEqual({ __typename: typename, id });
    // …the outsider gets exactly what an unknown id gives.
    for (const role of ['reader', 'writer', 'admin'] as const) {
      const seen = await ts.outsider.gql('query($id: ID!) { node(id: $id) { __typename id } }', { id }, role);
      const unknown = await ts.outsider.gql('query($id: ID!) { node(id: $id) { __typename id } }', { id: unknownLike(typename, id) }, role);
      expect(seen, `${typename} as ${role}`).toEqual({ status: 200, data: { node: null } });
      expect(seen).toEqual(unknown);
    }
  }
  const all = Object.values(ids);
  const many = await ts.outsider.gql('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: all });
  expect(many).toEqual({ status: 200, data: { nodes: all.map(() => null) } });

  // Nested fields cannot be reached either: not through the firms, not through the viewer.
  expect(ok(await ts.outsider.gql('query($id: ID!) { node(id: $id) { id } }', { id: ts.supplier.id })).node).toBeNull();
  for (const args of ['', '(as: SUPPLIER)', '(as: CLIENT)', '(status: ACTIVE)', '(status: PROPOSED)'])
    expect(ok(await ts.outsider.gql(`{ viewer { relationships${args} { edges { node { id } } } } }`)).viewer.relationships.edges, args).toEqual([]);
});

test('every mutation naming another firm\'s relationship or its nodes is NotFound, worded as for an unknown id; nothing written', async () => {
  await using ts = await startTestServer();
  const ids = await populated(ts);
  const rel = ids.Relationship;
  const before = await head(ts, rel);
  const entries = await ledger(ts, rel);
  const proposed = (await must(ts.client, 'proposeRelationship', { counterpartyId: (await ts.firm('Third Party')).id, viewerSide: 'CLIENT' }, 'relationship { id }')).relationship.id;
  const proposedHead = await head(ts, proposed, ts.client);

  const attempts: [string, Record<string, unknown>, string][] = [
    ['acceptRelationship', { relationshipId: proposed }, 'relationshipId'],
    ['acceptRelationship', { relationshipId: rel }, 'relationshipId'],
    ['endRelationship', { relationshipId: rel }, 'relationshipId'],
    ['handOverRepresentative', { relationshipId: rel, side: 'SUPPLIER', name: 'Mole' }, 'relationshipId'],
    ['proposeGoal', { relationshipId: rel, title: 'x', metrics: [] }, 'relationshipId'],
    ['acceptGoal', { goalId: ids.Goal }, 'goalId'],
    ['rejectGoal', { goalId: ids.Goal }, 'goalId'],
    ['retireGoal', { goalId: ids.Goal }, 'goalId'],
    ['addMetric', { goalId: ids.Goal, ...metric() }, 'goalId'],
    ['recordMeasurement', { metricId: ids.Metric, value: 1 }, 'metricId'],
    ['makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'x', dueAt: '2027-01-01T00:00:00Z' }, 'relationshipId'],
    ['reschedulePromise', { promiseId: ids.Promise, newDueAt: '2028-01-01T00:00:00Z', reason: 'x' }, 'promiseId'],
    ['keepPromise', { promiseId: ids.Promise }, 'promiseId'],
    ['breakPromise', { promiseId: ids.Promise, reason: 'x' }, 'promiseId'],
    ['cancelPromise', { promiseId: ids.Promise, reason: 'x' }, 'promiseId'],
    ['recordInteraction', { relationshipId: rel, kind: 'NEGATIVE_CONTACT', initiatedBy: 'CLIENT' }, 'relationshipId'],
    ['respondToComplaint', { interactionId: ids.Interaction }, 'interactionId'],
    ['resolveComplaint', { interactionId: ids.Interaction }, 'interactionId'],
    ['confirmEntry', { entryId: entries[2].id }, 'entryId'],
    ['disputeEntry', { entryId: entries[2].id, reason: 'x' }, 'entryId'],
    ['withdrawDispute', { entryId: entries[2].id }, 'entryId'],
    ['voidEntry', { entryId: entries[2].id, reason: 'x' }, 'entryId'],
    ['recordEntries', { relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } }] }, 'relationshipId'],
    ['proposePolicy', { relationshipId: rel, policy: {} }, 'relationshipId'],
    ['acceptPolicy', { policyId: ids.PolicyProposal }, 'policyId'],
  ];
  const typeOf: Record<string, string> = {
    relationshipId: 'Relationship', goalId: 'Goal', metricId: 'Metric', promiseId: 'Promise', interactionId: 'Interaction', entryId: 'LedgerEntry', policyId: 'PolicyProposal',
  };
  for (const [name, input, field] of attempts) {
    const err = await fails(ts.outsider, name, input, '', 'admin');
    expect(err, name).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', path: ['input', field] });
    expect(err.message, name).toMatch(/visible to you/);
    // Worded exactly as for an id that names nothing.
    const unknown = await fails(ts.outsider, name, { ...input, [field]: unknownLike(typeOf[field], input[field] as string) }, '', 'admin');
    expect(unknown, name).toEqual(err);
  }
  expect(await head(ts, rel)).toEqual(before);
  expect(await head(ts, proposed, ts.client)).toEqual(proposedHead);
  expect(ok(await ts.outsider.gql('{ viewer { relationships { edges { node { id } } } } }')).viewer.relationships.edges).toEqual([]);
});
