/**
 * DESIGN §2a "no firm can move the figures alone": either side may retire an agreed goal (it takes
 * no more measurements), but the measurements recorded while it was agreed happened and keep
 * counting, fading like all evidence. Retiring it must not erase them: the side accountable for a
 * metric it was failing could otherwise wipe its goal attainment alone, and the other side could
 * wipe a record of success.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { daysFromNow, fails, metric, must, node } from '../support/api.ts';
import { fetchLedger } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm } from '../support/server.ts';

async function goalAttainment(firm: TestFirm, rel: string): Promise<{ score: number | null; evidence: number }> {
  const card = ok(await firm.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf supplier { goalAttainment { score evidence } } } } } }`, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: card.asOf });
  expect(card.supplier.goalAttainment.score).toEqual(local.supplier.goalAttainment.score);
  return card.supplier.goalAttainment;
}

test.each([
  ['the supplier, accountable for the metric it was failing', 'supplier', [82, 81, 80.5]],
  ['the client, against a metric the supplier attained', 'client', [96, 97, 99]],
] as const)('retiring an agreed goal, %s, keeps the measurements recorded while it was agreed', async (_who, retiredBy, values) => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-120));
  const proposed = await must(ts.client, 'proposeGoal', { relationshipId: rel, title: 'Deliveries arrive on time', metrics: [metric()], occurredAt: daysFromNow(-100) }, 'goal { id metrics { id } }');
  await must(ts.supplier, 'acceptGoal', { goalId: proposed.goal.id, occurredAt: daysFromNow(-99) });
  const metricId = proposed.goal.metrics[0].id;
  for (const [i, value] of values.entries()) await must(ts.client, 'recordMeasurement', { metricId, value, occurredAt: daysFromNow(-90 + 30 * i) });
  const before = await goalAttainment(ts.client, rel);
  expect(before.score).not.toBeNull();

  const firm = retiredBy === 'supplier' ? ts.supplier : ts.client;
  await must(firm, 'retireGoal', { goalId: proposed.goal.id, reason: 'no longer relevant' });
  expect(await node(ts.client, proposed.goal.id, '... on Goal { status }')).toMatchObject({ status: 'RETIRED' });
  const after = await goalAttainment(ts.client, rel);
  expect(after.score).toBeCloseTo(before.score as number, 6);
  expect(after.evidence).toBeCloseTo(before.evidence, 6);
  // It takes no more measurements.
  expect(await fails(ts.client, 'recordMeasurement', { metricId, value: 50 })).toMatchObject({ __typename: 'ConflictError', path: ['input', 'metricId'] });
});

test('a goal withdrawn while still proposed never counted, and still does not', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-60));
  const proposed = await must(ts.client, 'proposeGoal', { relationshipId: rel, title: 'Quick answers', metrics: [metric()], occurredAt: daysFromNow(-50) }, 'goal { id metrics { id } }');
  await must(ts.client, 'recordMeasurement', { metricId: proposed.goal.metrics[0].id, value: 60, occurredAt: daysFromNow(-40) });
  expect((await goalAttainment(ts.client, rel)).score).toBeNull();
  await must(ts.client, 'retireGoal', { goalId: proposed.goal.id, reason: 'withdrawn' });
  expect((await goalAttainment(ts.client, rel)).score).toBeNull();
});
