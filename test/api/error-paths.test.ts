/**
 * Error paths name a field of the input the caller sent, also when the failure comes from the
 * state of the relationship (ended, not yet accepted) rather than from the field itself.
 */
import { expect, test } from 'vitest';
import { fails, head, metric, must, promise } from '../support/api.ts';
import { activeRelationship, startTestServer } from '../support/server.ts';

test('on an ended relationship, mutations that name a promise, goal, metric or entry point at that id', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await promise(ts, rel);
  const goal = await must(ts.client, 'proposeGoal', { relationshipId: rel, title: 'On time', metrics: [metric()] }, 'goal { id metrics { id } }');
  const complaint = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT' }, 'interaction { id } entry { id }');
  await must(ts.client, 'endRelationship', { relationshipId: rel });
  const before = await head(ts, rel);

  const cases: [string, Record<string, unknown>, string][] = [
    ['keepPromise', { promiseId: p.id }, 'promiseId'],
    ['acceptGoal', { goalId: goal.goal.id }, 'goalId'],
    ['recordMeasurement', { metricId: goal.goal.metrics[0].id, value: 1 }, 'metricId'],
    // Answers to earlier entries (confirm, dispute, respond to a complaint) are still taken after the end (test/api/user-found.test.ts).
    ['breakPromise', { promiseId: p.id, reason: 'Never came' }, 'promiseId'],
    ['voidEntry', { entryId: complaint.entry.id, reason: 'Recorded twice' }, 'entryId'],
    ['makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'x', dueAt: '2027-01-01T00:00:00Z' }, 'relationshipId'],
  ];
  const wrong: string[] = [];
  for (const [name, input, field] of cases) {
    const err = await fails(ts.supplier, name, input);
    expect(err, name).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(err.message, name).toMatch(/ended/);
    if (err.path.join('.') !== `input.${field}`) wrong.push(`${name}: ${err.path.join('.')} (expected input.${field})`);
  }
  expect(wrong).toEqual([]);
  expect(await head(ts, rel)).toEqual(before);
});

test('recordEntries on a relationship not yet accepted points at input.relationshipId', async () => {
  await using ts = await startTestServer();
  const rel = (await must(ts.supplier, 'proposeRelationship', { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' }, 'relationship { id }')).relationship.id;
  const before = await head(ts, rel);
  const err = await fails(ts.supplier, 'recordEntries', {
    relationshipId: rel,
    entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } }],
  });
  expect(err).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  expect(err.message).toMatch(/not been accepted/);
  expect(err.path).toEqual(['input', 'relationshipId']);
  expect(await head(ts, rel)).toEqual(before);
});
