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
