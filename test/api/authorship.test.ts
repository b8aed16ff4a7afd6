/**
 * DESIGN §2a "Each fact has an author who can know it" and "Cancellation is by agreement", tried
 * through the API the way a partner would try to bend the record: a promise written for the other
 * side, a unilateral cancellation, a void of a promise that is due and confirmed, a reschedule by
 * the beneficiary, a dispute of a dispute. Each is refused or stays a proposal, and the other
 * side's figures do not move.
 */
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const CARD = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard {
  supplier { trustScore band reliability { score evidence } } client { trustScore band reliability { score evidence } } } } } }`;
const card = async (firm: TestFirm, rel: string) => ok(await firm.gql(CARD, { id: rel })).node.scorecard;
const PROMISE = 'promise { id state outcome }';

test('a promise written by its beneficiary is a proposal: it counts for nothing and cannot be settled until the promisor accepts it', async () => {
  // A frozen server clock, so figures compared before and after do not decay in between.
  await using ts = await startTestServer({ now: testClock(Date.now() + 60_000).now });
  const rel = await activeRelationship(ts, new Date(Date.now() - 60 * DAY).toISOString());
  const before = await card(ts.client, rel);
  // The supplier writes "the client promised to pay", then says it was broken.
  const made = await must(
    ts.supplier,
    'makePromise',
    { relationshipId: rel, promisor: 'CLIENT', kind: 'PAYMENT', description: 'Pay invoice 7', dueAt: daysFromNow(-10), occurredAt: daysFromNow(-30) },
    `${PROMISE} ${ENTRY}`,
  );
  expect(made.promise).toMatchObject({ state: 'PROPOSED', outcome: null });
  expect(made.entry.status).toBe('PROPOSED');
  const headBefore = await head(ts, rel);
  const broken = await fails(ts.supplier, 'breakPromise', { promiseId: made.promise.id, reason: 'Never paid' });
  expect(broken).toMatchObject({ __typename: 'ConflictError', path: ['input', 'promiseId'] });
  expect(broken.message).toMatch(/only proposed.*the client.*acceptPromise/);
  expect(await head(ts, rel)).toEqual(headBefore);
  // Overdue or not, a proposal does not move the client's figures.
  expect((await card(ts.client, rel)).client).toEqual(before.client);
  expect((await card(ts.client, rel)).client.band).toBe('UNRATED');

  // Only the promisor accepts it.
  const own = await fails(ts.supplier, 'acceptPromise', { promiseId: made.promise.id });
  expect(own).toMatchObject({ __typename: 'ForbiddenError', path: ['input', 'promiseId'] });
  const accepted = await must(ts.client, 'acceptPromise', { promiseId: made.promise.id }, PROMISE);
  expect(accepted.promise.state).toBe('OPEN');
  // Accepted and past due + grace, it now counts against the client.
  const after = await card(ts.client, rel);
  expect(after.client.reliability.evidence).toBe(1);
  expect(after.client.reliability.score).toBeLessThan(50);
});

test('a unilateral cancellation is only a proposal: a delivery 20 days past due stays a slip until the client agrees', async () => {
  // A frozen server clock, so figures compared before and after do not decay in between.
  await using ts = await startTestServer({ now: testClock(Date.now() + 60_000).now });
  const rel = await activeRelationship(ts, new Date(Date.now() - 60 * DAY).toISOString());
  const p = await must(
    ts.supplier,
    'makePromise',
    { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(-20), occurredAt: daysFromNow(-40) },
    PROMISE,
  );
  const critical = await card(ts.client, rel);
  // One slip: scored low (CRITICAL, or PROVISIONAL while evidence is thin), not UNRATED.
  expect(critical.supplier.band).not.toBe('UNRATED');
  expect(critical.supplier.reliability.evidence).toBe(1);
  expect(critical.supplier.reliability.score).toBeLessThan(40);

  const cancel = await must(ts.supplier, 'cancelPromise', { promiseId: p.promise.id, reason: 'By agreement' }, `${PROMISE} ${ENTRY}`);
  expect(cancel.promise.state).toBe('OPEN');
  expect(cancel.entry).toMatchObject({ type: 'PROMISE_CANCELLED', status: 'PROPOSED' });
  expect((await card(ts.client, rel)).supplier).toEqual(critical.supplier);

  // The supplier cannot accept its own proposal, nor propose twice.
  expect(await fails(ts.supplier, 'acceptCancellation', { promiseId: p.promise.id })).toMatchObject({ __typename: 'ForbiddenError' });
  expect(await fails(ts.supplier, 'proposeCancellation', { promiseId: p.promise.id, reason: 'Again' })).toMatchObject({ __typename: 'ConflictError' });

  // The client declines (disputes the proposal): the slip stays.
  await must(ts.client, 'disputeEntry', { entryId: cancel.entry.id, reason: 'We never agreed to cancel' });
  expect(await fails(ts.client, 'acceptCancellation', { promiseId: p.promise.id })).toMatchObject({ __typename: 'ConflictError' });
  expect((await card(ts.client, rel)).supplier).toEqual(critical.supplier);

  // A new proposal, accepted by the client: cancelled by agreement, it counts for neither side.
  await must(ts.supplier, 'proposeCancellation', { promiseId: p.promise.id, reason: 'The hotel changed the order' });
  const agreed = await must(ts.client, 'acceptCancellation', { promiseId: p.promise.id }, PROMISE);
  expect(agreed.promise).toMatchObject({ state: 'CANCELLED', outcome: 'CANCELLED' });
  expect((await card(ts.client, rel)).supplier.band).toBe('UNRATED');
});

test('a void of a promise that is due, or confirmed, or followed up needs the other side: alone it is a proposal', async () => {
  // A frozen server clock, so figures compared before and after do not decay in between.
  await using ts = await startTestServer({ now: testClock(Date.now() + 60_000).now });
  const rel = await activeRelationship(ts, new Date(Date.now() - 60 * DAY).toISOString());
  const p = await must(
    ts.supplier,
    'makePromise',
    { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(-5), occurredAt: daysFromNow(-30) },
    `${PROMISE} ${ENTRY}`,
  );
  await must(ts.client, 'confirmEntry', { entryId: p.entry.id });
  const lapsed = await card(ts.client, rel);
  expect(lapsed.supplier.reliability.evidence).toBe(1);

  const voided = await must(ts.supplier, 'voidEntry', { entryId: p.entry.id, reason: 'Never promised' }, `target { status } ${ENTRY}`);
  expect(voided.target.status).toBe('CONFIRMED');
  expect(voided.entry.status).toBe('PROPOSED');
  expect(await node(ts.client, p.promise.id, '... on Promise { state voided }')).toMatchObject({ state: 'OPEN', voided: false });
  expect((await card(ts.client, rel)).supplier).toEqual(lapsed.supplier);
  // The client consents: now it is void.
  await must(ts.client, 'confirmEntry', { entryId: voided.entry.id });
  expect(await node(ts.client, p.promise.id, '... on Promise { voided }')).toMatchObject({ voided: true });
  expect((await card(ts.client, rel)).supplier.reliability.evidence).toBe(0);

  // A fresh promise, not yet due and untouched by the client: its recorder voids it alone.
  const fresh = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Typo', dueAt: daysFromNow(5) }, ENTRY);
  const own = await must(ts.supplier, 'voidEntry', { entryId: fresh.entry.id, reason: 'Typo' }, `target { status } ${ENTRY}`);
  expect(own.target.status).toBe('VOIDED');
  expect(own.entry.status).toBe('STANDING');
});

test('only the promisor reschedules; the error says who may, and what the beneficiary can do instead', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: daysFromNow(10) }, PROMISE);
  const before = await head(ts, rel);
  const err = await fails(ts.client, 'reschedulePromise', { promiseId: p.promise.id, newDueAt: daysFromNow(20), reason: 'We moved it' });
  expect(err).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', path: ['input', 'promiseId'] });
  expect(err.message).toMatch(/Only its promisor \(the supplier\) can reschedule/);
  expect(err.message).toMatch(/broken|cancellation/);
  expect(await head(ts, rel)).toEqual(before);
  // The promisor may; either side may record it kept or broken.
  await must(ts.supplier, 'reschedulePromise', { promiseId: p.promise.id, newDueAt: daysFromNow(20), reason: 'Customs' });
  expect((await must(ts.client, 'breakPromise', { promiseId: p.promise.id, reason: 'Never came' }, PROMISE)).promise.state).toBe('BROKEN');
});

test('a dispute cannot be disputed, an entry is disputed once, and a confirmed entry is not disputed', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts);
  const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: daysFromNow(10) }, ENTRY);
  const kept = await must(ts.supplier, 'keepPromise', { promiseId: (await node(ts.client, rel, '... on Relationship { promises { edges { node { id } } } }')).promises.edges[0].node.id }, ENTRY);
  const dispute = await must(ts.client, 'disputeEntry', { entryId: kept.entry.id, reason: 'Not delivered' }, ENTRY);
  const meta = await fails(ts.supplier, 'disputeEntry', { entryId: dispute.entry.id, reason: 'Your dispute is wrong' });
  expect(meta).toMatchObject({ __typename: 'ValidationError', path: ['input', 'entryId'] });
  expect(meta.message).toMatch(/A dispute cannot be disputed/);
  await must(ts.client, 'withdrawDispute', { entryId: kept.entry.id });
  const again = await fails(ts.client, 'disputeEntry', { entryId: kept.entry.id, reason: 'Still not delivered' });
  expect(again).toMatchObject({ __typename: 'ConflictError' });
  expect(again.message).toMatch(/disputed once/);
  await must(ts.client, 'confirmEntry', { entryId: p.entry.id });
  expect(await fails(ts.client, 'disputeEntry', { entryId: p.entry.id, reason: 'Changed our mind' })).toMatchObject({ __typename: 'ConflictError' });
});
