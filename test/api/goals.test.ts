/**
 * Goals and metrics: proposeGoal, addMetric, acceptGoal, rejectGoal, retireGoal, recordMeasurement;
 * read back through goals(status:), metrics and measurements.
 */
import { expect, test } from 'vitest';
import { ENTRY, fails, head, metric, must, node } from '../support/api.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

const GOAL = 'goal { id title proposedBy status metrics { id name unit direction target baseline accountable } }';

test('a goal proposed with metrics, a metric added, then agreed by the other side; measurements recorded by both', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const proposed = await must(
    ts.client,
    'proposeGoal',
    { relationshipId: rel, title: 'Deliveries arrive on time', metrics: [metric()] },
    `${GOAL} ${ENTRY}`,
  );
  expect(proposed.goal).toMatchObject({
    title: 'Deliveries arrive on time',
    proposedBy: 'CLIENT',
    status: 'PROPOSED',
    metrics: [{ name: 'On-time delivery', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80, accountable: 'SUPPLIER' }],
  });
  expect(proposed.entry).toMatchObject({ type: 'GOAL_PROPOSED', seq: 3, actorId: ts.client.rawId });
  const goalId = proposed.goal.id;

  // The proposer cannot accept its own goal.
  const own = await fails(ts.client, 'acceptGoal', { goalId });
  expect(own).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'goalId'] });

  const added = await must(
    ts.supplier,
    'addMetric',
    { goalId, name: 'Damaged items', unit: 'items', direction: 'LOWER_IS_BETTER', target: 0, baseline: 5, accountable: 'SUPPLIER' },
    `metric { id name direction target baseline } ${ENTRY}`,
  );
  expect(added.metric).toMatchObject({ name: 'Damaged items', direction: 'LOWER_IS_BETTER', target: 0, baseline: 5 });
  expect(added.entry).toMatchObject({ type: 'METRIC_ADDED', payload: { goalSeq: 3 } });

  // The supplier changed the goal (a metric added is a counter-proposal): now the client agrees to it, not the supplier.
  const changedIt = await fails(ts.supplier, 'acceptGoal', { goalId });
  expect(changedIt).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'goalId'] });
  const agreed = await must(ts.client, 'acceptGoal', { goalId }, `${GOAL} ${ENTRY}`);
  expect(agreed.goal.status).toBe('AGREED');
  expect(agreed.goal.metrics.map((m: { name: string }) => m.name)).toEqual(['On-time delivery', 'Damaged items']);
  expect(agreed.entry).toMatchObject({ type: 'GOAL_ACCEPTED', payload: { goalSeq: 3 }, actorId: ts.client.rawId });

  // Metrics can only be added while proposed.
  const late = await fails(ts.client, 'addMetric', { goalId, ...metric({ name: 'Late' }) });
  expect(late).toMatchObject({ __typename: 'ConflictError', path: ['input', 'goalId'] });
  expect(late.message).toMatch(/only while a goal is proposed/);

  const onTime = agreed.goal.metrics[0].id;
  const m1 = await must(ts.supplier, 'recordMeasurement', { metricId: onTime, value: 91.5, occurredAt: '2026-01-31T00:00:00Z' }, `measurement { id value observedAt recordedBy entry { seq type } } ${ENTRY}`);
  expect(m1.measurement).toMatchObject({ value: 91.5, observedAt: '2026-01-31T00:00:00.000Z', recordedBy: 'SUPPLIER', entry: { type: 'MEASUREMENT_RECORDED' } });
  expect(m1.entry.payload).toMatchObject({ metricIndex: 0, value: 91.5 });
  await must(ts.client, 'recordMeasurement', { metricId: onTime, value: 88, occurredAt: '2026-02-28T00:00:00Z' });
  await must(ts.client, 'recordMeasurement', { metricId: added.metric.id, value: 2 });

  // Read back: goals, then a goal's metrics → measurements (within the depth limit), from the other firm.
  const data = await node(ts.client, rel, `... on Relationship { goals { edges { node { id title status } } } }`);
  expect(data.goals.edges).toEqual([{ node: { id: goalId, title: 'Deliveries arrive on time', status: 'AGREED' } }]);
  const goal = await node(ts.client, goalId, `... on Goal { metrics { name measurements { edges { node { value recordedBy } } } } }`);
  expect(goal.metrics).toEqual([
    { name: 'On-time delivery', measurements: { edges: [{ node: { value: 91.5, recordedBy: 'SUPPLIER' } }, { node: { value: 88, recordedBy: 'CLIENT' } }] } },
    { name: 'Damaged items', measurements: { edges: [{ node: { value: 2, recordedBy: 'CLIENT' } }] } },
  ]);

  // Metrics and measurements are nodes.
  expect(await node(ts.client, onTime, '... on Metric { name accountable }')).toEqual({ __typename: 'Metric', name: 'On-time delivery', accountable: 'SUPPLIER' });
  expect(await node(ts.client, m1.measurement.id, '... on Measurement { value }')).toEqual({ __typename: 'Measurement', value: 91.5 });
  expect(await node(ts.supplier, goalId, '... on Goal { status }')).toEqual({ __typename: 'Goal', status: 'AGREED' });

  // Retiring the agreed goal: RETIRED, and it takes no more measurements.
  const retired = await must(ts.client, 'retireGoal', { goalId, reason: 'Superseded by the new SLA' }, `goal { status } ${ENTRY}`);
  expect(retired.goal.status).toBe('RETIRED');
  expect(retired.entry).toMatchObject({ type: 'GOAL_RETIRED', payload: { goalSeq: 3, reason: 'Superseded by the new SLA' } });
  const before = await head(ts, rel);
  const afterRetire = await fails(ts.supplier, 'recordMeasurement', { metricId: onTime, value: 99 });
  expect(afterRetire).toMatchObject({ __typename: 'ConflictError', path: ['input', 'metricId'] });
  expect(afterRetire.message).toMatch(/retired/);
  expect(await head(ts, rel)).toEqual(before);
});

test('rejectGoal: REJECTED; goals(status:) filters', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const g1 = (await must(ts.supplier, 'proposeGoal', { relationshipId: rel, title: 'Pay within 30 days', metrics: [metric({ accountable: 'CLIENT', name: 'Days to pay', unit: 'days', direction: 'LOWER_IS_BETTER', target: 30, baseline: 60 })] }, 'goal { id }')).goal.id;
  const g2 = (await must(ts.supplier, 'proposeGoal', { relationshipId: rel, title: 'Order monthly', metrics: [] }, 'goal { id }')).goal.id;
  const g3 = (await must(ts.client, 'proposeGoal', { relationshipId: rel, title: 'Quarterly review', metrics: [] }, 'goal { id }')).goal.id;

  const rejected = await must(ts.client, 'rejectGoal', { goalId: g2, reason: 'Our demand is seasonal' }, `goal { status } ${ENTRY}`);
  expect(rejected.goal.status).toBe('REJECTED');
  expect(rejected.entry).toMatchObject({ type: 'GOAL_REJECTED', payload: { reason: 'Our demand is seasonal' } });
  await must(ts.client, 'acceptGoal', { goalId: g1 });

  const titles = async (status?: string) =>
    (await node(ts.supplier, rel, `... on Relationship { goals${status ? `(status: ${status})` : ''} { edges { node { id } } } }`)).goals.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
  expect(await titles()).toEqual([g1, g2, g3]);
  expect(await titles('AGREED')).toEqual([g1]);
  expect(await titles('REJECTED')).toEqual([g2]);
  expect(await titles('PROPOSED')).toEqual([g3]);
  expect(await titles('RETIRED')).toEqual([]);

  // A rejected goal cannot be accepted afterwards.
  const before = await head(ts, rel);
  const again = await fails(ts.client, 'acceptGoal', { goalId: g2 });
  expect(again).toMatchObject({ __typename: 'ConflictError', path: ['input', 'goalId'] });
  expect(again.message).toMatch(/already rejected/);
  // The proposer withdraws its own proposal with retireGoal; the other side may not.
  const notYours = await fails(ts.supplier, 'retireGoal', { goalId: g3 });
  expect(notYours).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'goalId'] });
  expect(await head(ts, rel)).toEqual(before);
  expect((await must(ts.client, 'retireGoal', { goalId: g3 }, 'goal { status }')).goal.status).toBe('RETIRED');
});

test('metric definitions are validated: baseline must lie on the worse side of the target', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const before = await head(ts, rel);
  const err = await fails(ts.client, 'proposeGoal', { relationshipId: rel, title: 'On time', metrics: [metric({ baseline: 99, target: 95 })] });
  expect(err).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'metrics', '0', 'baseline'] });
  expect(err.message).toMatch(/baseline must be below target/);
  expect(await head(ts, rel)).toEqual(before);
  expect(ok(await ts.client.gql('query($id: ID!) { node(id: $id) { ... on Relationship { goals { edges { node { id } } } } } }', { id: rel })).node.goals.edges).toEqual([]);
});
