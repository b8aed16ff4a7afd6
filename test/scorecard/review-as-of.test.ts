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
