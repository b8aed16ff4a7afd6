import { expect, test } from 'vitest';
import { record } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

const REVIEW = `query($asOf: DateTime) { viewer { review(as: CLIENT, asOf: $asOf) { edges { node { counterparty { name } openPromises overduePromises } } } } }`;

test('the review counts the promises that were open at asOf, not those open today', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2026-01-05T00:00:00Z');
  await record(ts.supplier, rel, [
    { type: 'PROMISE_MADE', occurredAt: '2026-02-01T00:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'A', dueAt: '2026-03-01T00:00:00Z' } },
    { type: 'PROMISE_KEPT', occurredAt: '2026-03-20T00:00:00Z', payload: { promiseSeq: 3 } },
    { type: 'PROMISE_MADE', occurredAt: '2026-05-01T00:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'B', dueAt: '2026-06-01T00:00:00Z' } },
  ]);
  const at = async (asOf?: string) => ok(await ts.client.gql(REVIEW, { asOf })).viewer.review.edges[0].node;
  expect(await at('2026-01-10T00:00:00Z')).toMatchObject({ openPromises: 0, overduePromises: 0 }); // nothing promised yet
  expect(await at('2026-02-10T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 0 }); // A, not yet due
  expect(await at('2026-03-10T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 1 }); // A, late
  expect(await at('2026-04-10T00:00:00Z')).toMatchObject({ openPromises: 0, overduePromises: 0 }); // A kept, B not made
  expect(await at()).toMatchObject({ openPromises: 1, overduePromises: 1 }); // B, overdue today
});

test('a past review judges "overdue" by the due time in force then, and counts a promise delivered in part as open', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2026-01-05T00:00:00Z');
  await record(ts.supplier, rel, [
    // A, due 1 March, rescheduled on 15 March (after it was due) to 15 April, then kept.
    { type: 'PROMISE_MADE', occurredAt: '2026-02-01T00:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'A', dueAt: '2026-03-01T00:00:00Z' } },
    { type: 'PROMISE_RESCHEDULED', occurredAt: '2026-03-15T00:00:00Z', payload: { promiseSeq: 3, newDueAt: '2026-04-15T00:00:00Z', reason: 'late' } },
    { type: 'PROMISE_KEPT', occurredAt: '2026-04-10T00:00:00Z', payload: { promiseSeq: 3 } },
    // B, due 1 May, rescheduled on 20 April (in advance) to 1 June; 40% delivered on 25 April.
    { type: 'PROMISE_MADE', occurredAt: '2026-04-01T00:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'B', dueAt: '2026-05-01T00:00:00Z' } },
    { type: 'PROMISE_RESCHEDULED', occurredAt: '2026-04-20T00:00:00Z', payload: { promiseSeq: 6, newDueAt: '2026-06-01T00:00:00Z', reason: 'parts' } },
    { type: 'PROMISE_KEPT', occurredAt: '2026-04-25T00:00:00Z', payload: { promiseSeq: 6, share: 0.4 } },
  ]);
  const at = async (asOf: string) => ok(await ts.client.gql(REVIEW, { asOf })).viewer.review.edges[0].node;
  expect(await at('2026-03-10T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 1 }); // A was due 1 March then
  expect(await at('2026-03-20T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 0 }); // A now due 15 April
  expect(await at('2026-04-28T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 0 }); // B in part, due 1 June
  expect(await at('2026-06-05T00:00:00Z')).toMatchObject({ openPromises: 1, overduePromises: 1 }); // the rest of B, late
});

test('a past review has no row for a relationship accepted after asOf', async () => {
  await using ts = await startTestServer();
  await activeRelationship(ts, '2026-03-01T00:00:00Z');
  const rows = async (asOf: string) => ok(await ts.client.gql(REVIEW, { asOf })).viewer.review.edges;
  expect(await rows('2026-02-01T00:00:00Z')).toHaveLength(0);
  expect(await rows('2026-03-02T00:00:00Z')).toHaveLength(1);
});
