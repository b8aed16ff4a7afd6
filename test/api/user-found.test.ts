/**
 * Defects a new user found by trying the product the way a partner would try to bend it or trip
 * over it: each test is the user's steps through the API, and what they should have seen.
 */
import { expect, test } from 'vitest';
import { daysFromNow, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

const PROMISE = 'promise { id state outcome }';

test("a break the beneficiary records before the due time is not the promisor's notice: the promise says BROKEN, as its scorecard driver does", async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-30));
  const made = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(5) }, PROMISE);
  // The client says it will not come, five days before the due time: the supplier announced nothing.
  const saidByClient = await must(ts.client, 'breakPromise', { promiseId: made.promise.id, reason: 'Your factory told us it will not come' }, PROMISE);
  expect(saidByClient.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN' });
  const card = await node(
    ts.client,
    rel,
    `... on Relationship { scorecard(asOf: "${daysFromNow(7).slice(0, 19)}Z") { supplier { reliability { drivers { reason } } transparency { drivers { reason } } } } }`,
  );
  expect(card.scorecard.supplier.reliability.drivers[0].reason).toMatch(/without advance notice/);
  expect(card.scorecard.supplier.transparency.drivers[0].reason).toMatch(/not announced in advance/);
  // Admitted by the supplier itself before the due time, it is announced.
  const other = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 8 tables', dueAt: daysFromNow(5) }, PROMISE);
  const admitted = await must(ts.supplier, 'breakPromise', { promiseId: other.promise.id, reason: 'The factory burnt down' }, PROMISE);
  expect(admitted.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN_WITH_NOTICE' });
  const filtered = await node(ts.supplier, rel, '... on Relationship { promises(outcome: BROKEN_WITH_NOTICE) { edges { node { id } } } }');
  expect(filtered.promises.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([other.promise.id]);
});

test('policy weights both sides could agree to cannot break the scorecard: a weight above 1,000 is refused at its path, nothing written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-30));
  const made = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(1), occurredAt: daysFromNow(-10) }, PROMISE);
  await must(ts.client, 'keepPromise', { promiseId: made.promise.id });
  const before = await head(ts, rel);
  // Agreed by both, weights of 1e308 made every trust score NaN: "Unexpected error." for both firms.
  const huge = 1e308;
  const refused = await fails(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { weights: { reliability: huge, goalAttainment: huge, responsiveness: huge, transparency: huge } } });
  expect(refused).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'policy', 'weights', 'reliability'] });
  expect(await head(ts, rel)).toEqual(before);
  // Percentages are relative weights like any others.
  const pct = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { weights: { reliability: 40, goalAttainment: 25, responsiveness: 20, transparency: 15 } } }, 'policy { id }');
  await must(ts.client, 'acceptPolicy', { policyId: pct.policy.id });
  const res = await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { supplier { trustScore band } } } } }`, { id: rel });
  expect(res.errors).toBeUndefined();
  expect(res.data.node.scorecard.supplier.trustScore).toBeGreaterThan(50);
});

test('an answer cannot be dated before what it answers: a confirmation, dispute, withdrawal, void, policy or goal acceptance is refused at occurredAt, nothing written', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-400));
  const made = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(20), occurredAt: daysFromNow(-5) }, 'promise { id } entry { id }');
  const kept = await must(ts.supplier, 'keepPromise', { promiseId: made.promise.id, occurredAt: daysFromNow(-1) }, 'entry { id }');
  const policy = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 2 } }, 'policy { id }');
  const goal = await must(ts.supplier, 'proposeGoal', { relationshipId: rel, title: 'On-time delivery', metrics: [] }, 'goal { id }');
  const before = await head(ts, rel);
  const tenDaysAgo = daysFromNow(-10);
  const cases: [typeof ts.client, string, Record<string, unknown>][] = [
    [ts.client, 'confirmEntry', { entryId: made.entry.id }],
    [ts.client, 'disputeEntry', { entryId: kept.entry.id, reason: 'Never came' }],
    [ts.supplier, 'voidEntry', { entryId: kept.entry.id, reason: 'Recorded on the wrong promise' }],
    [ts.client, 'acceptPolicy', { policyId: policy.policy.id }],
    [ts.client, 'acceptGoal', { goalId: goal.goal.id }],
    [ts.client, 'rejectGoal', { goalId: goal.goal.id }],
    [ts.supplier, 'retireGoal', { goalId: goal.goal.id }],
  ];
  for (const [firm, name, input] of cases) {
    const refused = await fails(firm, name, { ...input, occurredAt: tenDaysAgo });
    expect(refused, name).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'occurredAt'] });
    expect(refused.message, name).toMatch(/^occurredAt is before /);
  }
  expect(await head(ts, rel)).toEqual(before);
  // A withdrawal cannot come before the dispute it withdraws.
  await must(ts.client, 'disputeEntry', { entryId: kept.entry.id, reason: 'Never came', occurredAt: daysFromNow(-0.5) });
  const withdrawn = await fails(ts.client, 'withdrawDispute', { entryId: kept.entry.id, occurredAt: daysFromNow(-0.75) });
  expect(withdrawn).toMatchObject({ __typename: 'ValidationError', path: ['input', 'occurredAt'] });
  expect(withdrawn.message).toMatch(/before the dispute/);
  // Dated on or after what it answers, each is recorded.
  await must(ts.client, 'withdrawDispute', { entryId: kept.entry.id });
  await must(ts.client, 'acceptPolicy', { policyId: policy.policy.id });
});

test('ending the relationship does not lock the other side out of answering: a claim made just before the end can still be disputed, a complaint still answered; new records stay refused', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-60));
  // The supplier claims a delivery kept, then ends the relationship before the client can react.
  const made = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(5), occurredAt: daysFromNow(-20) }, PROMISE);
  const kept = await must(ts.supplier, 'keepPromise', { promiseId: made.promise.id }, 'entry { id }');
  // The client complained before the end too.
  const complaint = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Chairs never came' }, 'interaction { id }');
  await must(ts.supplier, 'endRelationship', { relationshipId: rel, reason: 'We stop serving this region' });
  const card = async () =>
    (await node(ts.client, rel, `... on Relationship { scorecard(asOf: "${daysFromNow(10).slice(0, 19)}Z") { supplier { reliability { drivers { reason standing } } } } }`)).scorecard.supplier
      .reliability.drivers;
  // Unanswered, the claim would count in full once its 7-day window passed.
  expect(await card()).toEqual([expect.objectContaining({ standing: null })]);
  await must(ts.client, 'disputeEntry', { entryId: kept.entry.id, reason: 'The chairs never came' });
  expect(await card()).toEqual([expect.objectContaining({ standing: 'DISPUTED' })]);
  // The side complained against may still answer a complaint raised before the end.
  await must(ts.supplier, 'respondToComplaint', { interactionId: complaint.interaction.id, note: 'Refund on its way' });
  // New records stay refused.
  const before = await head(ts, rel);
  const late = await fails(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'NEGATIVE_CONTACT', initiatedBy: 'CLIENT' });
  expect(late).toMatchObject({ __typename: 'ConflictError', path: ['input', 'relationshipId'] });
  expect(late.message).toMatch(/ended/);
  const promise = await fails(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'x', dueAt: daysFromNow(3) });
  expect(promise).toMatchObject({ __typename: 'ConflictError', path: ['input', 'relationshipId'] });
  expect(await head(ts, rel)).toEqual(before);
});

test('an API key label is held to 200 characters like a firm name: a 100,000-character one is refused at input.label, no key made', async () => {
  await using ts = await startTestServer();
  const KEYS = '{ viewer { apiKeys { id } } }';
  const before = ok(await ts.supplier.gql(KEYS, undefined, 'admin')).viewer.apiKeys.length;
  const refused = await fails(ts.supplier, 'createApiKey', { role: 'READER', label: 'x'.repeat(100_000) }, 'secret', 'admin');
  expect(refused).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: ['input', 'label'] });
  expect(refused.message).toMatch(/at most 200 characters/);
  expect(ok(await ts.supplier.gql(KEYS, undefined, 'admin')).viewer.apiKeys).toHaveLength(before);
  const made = await must(ts.supplier, 'createApiKey', { role: 'READER', label: '  ERP sync  ' }, 'apiKey { label }', 'admin');
  expect(made.apiKey.label).toBe('ERP sync');
});

test('a metric added by the side that accepts a goal is a counter-proposal: it cannot add a metric the other side is accountable for and agree to it alone', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-30));
  const goal = await must(
    ts.supplier,
    'proposeGoal',
    { relationshipId: rel, title: 'Quality', metrics: [{ name: 'Defect rate', unit: '%', direction: 'LOWER_IS_BETTER', target: 2, baseline: 10, accountable: 'SUPPLIER' }] },
    'goal { id }',
  );
  // The client adds a metric the supplier never agreed to, with a target it cannot meet ...
  const impossible = await must(
    ts.client,
    'addMetric',
    { goalId: goal.goal.id, name: 'Units delivered', unit: 'units', direction: 'HIGHER_IS_BETTER', target: 1e9, accountable: 'SUPPLIER' },
    'metric { id }',
  );
  const before = await head(ts, rel);
  // ... and cannot agree to the goal as it changed it: the supplier must.
  const alone = await fails(ts.client, 'acceptGoal', { goalId: goal.goal.id });
  expect(alone).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'goalId'] });
  expect(alone.message).toMatch(/the supplier, which proposed it, must agree/);
  expect(await head(ts, rel)).toEqual(before);
  // Not agreed, its measurements do not count against the supplier.
  await must(ts.client, 'recordMeasurement', { metricId: impossible.metric.id, value: 0 });
  const card = await node(ts.client, rel, '... on Relationship { scorecard { supplier { goalAttainment { score evidence } } } }');
  expect(card.scorecard.supplier.goalAttainment).toMatchObject({ score: null, evidence: 0 });
  // The supplier declines the changed goal.
  const declined = await must(ts.supplier, 'rejectGoal', { goalId: goal.goal.id, reason: 'We cannot promise that volume' }, 'goal { status }');
  expect(declined.goal.status).toBe('REJECTED');
});

test('a not-found error names the kind of id in words: "ledger entry", "policy proposal"', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const policy = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 2 } }, 'policy { id } entry { id }');
  const entry = await fails(ts.outsider, 'confirmEntry', { entryId: policy.entry.id });
  expect(entry).toMatchObject({ __typename: 'NotFoundError', message: 'No ledger entry with this id is visible to you.', path: ['input', 'entryId'] });
  const proposal = await fails(ts.outsider, 'acceptPolicy', { policyId: policy.policy.id });
  expect(proposal.message).toBe('No policy proposal with this id is visible to you.');
  const wrongKind = await fails(ts.client, 'confirmEntry', { entryId: policy.policy.id });
  expect(wrongKind.message).toBe('No ledger entry with this id is visible to you (is it a LedgerEntry id?).');
});

test('an idempotent retry is compared by meaning: a field sent as null or left out, a time written with or without milliseconds, are the same request', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, daysFromNow(-30));
  const first = await must(
    ts.supplier,
    'makePromise',
    { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: '2030-03-01T09:00:00Z', idempotencyKey: 'po-77' },
    'promise { id } entry { seq }',
  );
  const before = await head(ts, rel);
  // The retry came back from a job queue that re-serialised the time and wrote every optional field as null.
  const retry = await must(
    ts.supplier,
    'makePromise',
    { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: '2030-03-01T11:00:00.000+02:00', amount: null, occurredAt: null, idempotencyKey: 'po-77' },
    'promise { id } entry { seq }',
  );
  expect(retry).toEqual(first);
  expect(await head(ts, rel)).toEqual(before);
  // Another instant, or another value, is still another request.
  const other = await fails(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: '2030-03-01T09:00:01Z', idempotencyKey: 'po-77' });
  expect(other).toMatchObject({ __typename: 'ConflictError', path: ['input', 'idempotencyKey'] });
});
