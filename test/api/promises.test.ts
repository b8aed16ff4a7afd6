/**
 * Promises: makePromise, reschedulePromise, keepPromise, breakPromise, cancelPromise; each
 * outcome of DESIGN §3's table, and the promises(state/overdue/outcome/promisor) filters.
 */
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, fails, head, must, node } from '../support/api.ts';
import { activeRelationship, startTestServer, type TestServer } from '../support/server.ts';

const PROMISE = 'promise { id promisor kind description amount { amount currency } madeAt originalDueAt dueAt state outcome resolvedAt overdue voided }';

async function make(ts: TestServer, rel: string, madeAt: string, dueAt: string, over: Record<string, unknown> = {}) {
  return (
    await must(
      over.promisor === 'CLIENT' ? ts.client : ts.supplier,
      'makePromise',
      { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver the lobby furniture', dueAt, occurredAt: madeAt, ...over },
      PROMISE,
    )
  ).promise;
}

/** A server clock the test moves: entries recorded "at the time" they happened (not back-dated). */
function testClock(start: string) {
  const clock = { t: new Date(start).toISOString(), at: (iso: string) => void (clock.t = new Date(iso).toISOString()), now: () => clock.t };
  return clock;
}

test('a rescheduled promise keeps its original due time; kept by the new date it is KEPT_AFTER_NOTICE', async () => {
  const clock = testClock('2025-12-01T00:00:00Z');
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  clock.at('2026-01-01T00:00:00Z');
  const made = await must(
    ts.supplier,
    'makePromise',
    {
      relationshipId: rel,
      promisor: 'SUPPLIER',
      kind: 'INSTALLATION',
      description: 'Install the lobby furniture',
      dueAt: '2026-01-10T09:00:00+02:00',
      amount: { amount: 12000, currency: 'EUR' },
      occurredAt: '2026-01-01T00:00:00Z',
    },
    `${PROMISE} ${ENTRY}`,
  );
  expect(made.promise).toMatchObject({
    promisor: 'SUPPLIER',
    kind: 'INSTALLATION',
    description: 'Install the lobby furniture',
    amount: { amount: 12000, currency: 'EUR' },
    madeAt: '2026-01-01T00:00:00.000Z',
    originalDueAt: '2026-01-10T07:00:00.000Z',
    dueAt: '2026-01-10T07:00:00.000Z',
    state: 'OPEN',
    outcome: null,
    voided: false,
  });
  expect(made.entry).toMatchObject({ type: 'PROMISE_MADE', seq: 3, payload: { dueAt: '2026-01-10T07:00:00.000Z', amount: { amount: 12000, currency: 'EUR' } } });
  const id = made.promise.id;

  clock.at('2026-01-08T10:00:00Z');
  const moved = await must(
    ts.supplier,
    'reschedulePromise',
    { promiseId: id, newDueAt: '2026-01-20T07:00:00Z', reason: 'The fabric supplier is on strike', occurredAt: '2026-01-08T10:00:00Z' },
    `${PROMISE} ${ENTRY}`,
  );
  expect(moved.promise).toMatchObject({ originalDueAt: '2026-01-10T07:00:00.000Z', dueAt: '2026-01-20T07:00:00.000Z', state: 'OPEN' });
  expect(moved.entry).toMatchObject({ type: 'PROMISE_RESCHEDULED', payload: { promiseSeq: 3, newDueAt: '2026-01-20T07:00:00.000Z', reason: 'The fabric supplier is on strike' } });

  // A "reschedule" to an earlier time is not one.
  const before = await head(ts, rel);
  clock.at('2026-01-09T00:00:00Z');
  const earlier = await fails(ts.supplier, 'reschedulePromise', { promiseId: id, newDueAt: '2026-01-15T00:00:00Z', reason: 'oops', occurredAt: '2026-01-09T00:00:00Z' });
  expect(earlier).toMatchObject({ __typename: 'ValidationError', path: ['input', 'newDueAt'] });
  expect(earlier.message).toMatch(/later than the current due time/);
  expect(await head(ts, rel)).toEqual(before);

  clock.at('2026-01-18T12:00:00Z');
  const kept = await must(ts.client, 'keepPromise', { promiseId: id, occurredAt: '2026-01-18T12:00:00Z' }, `${PROMISE} ${ENTRY}`);
  expect(kept.promise).toMatchObject({
    state: 'KEPT',
    outcome: 'KEPT_AFTER_NOTICE',
    resolvedAt: '2026-01-18T12:00:00.000Z',
    originalDueAt: '2026-01-10T07:00:00.000Z',
    dueAt: '2026-01-20T07:00:00.000Z',
    overdue: false,
  });
  expect(kept.entry).toMatchObject({ type: 'PROMISE_KEPT', payload: { promiseSeq: 3, inFull: true }, actorId: ts.client.rawId });

  const history = await node(ts.client, id, '... on Promise { history { seq type } }');
  expect(history.history).toEqual([
    { seq: 3, type: 'PROMISE_MADE' },
    { seq: 4, type: 'PROMISE_RESCHEDULED' },
    { seq: 5, type: 'PROMISE_KEPT' },
  ]);

  const twice = await fails(ts.supplier, 'keepPromise', { promiseId: id });
  expect(twice).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', path: ['input', 'promiseId'] });
  expect(twice.message).toMatch(/already kept/);
});

test('every outcome, and the promises(state, overdue, outcome, promisor) filters', async () => {
  const clock = testClock('2025-12-01T00:00:00Z');
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  clock.at('2026-01-01T00:00:00Z');

  const onTime = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', { promisor: 'CLIENT', kind: 'PAYMENT', description: 'Pay 60% up front', amount: { amount: 7200, currency: 'EUR' } });
  expect(onTime.state).toBe('OPEN');
  const late = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
  const announced = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const silent = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const renewedMissed = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const cancelled = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const overdue = await make(ts, rel, '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', { kind: 'RESPONSE' });
  const open = await make(ts, rel, '2026-01-01T00:00:00Z', daysFromNow(30), { kind: 'OTHER' });

  // Entries are recorded as they happen (the server's clock follows occurredAt), so notice is real notice.
  const at = (iso: string) => (clock.at(iso), iso);
  const keep = await must(ts.supplier, 'keepPromise', { promiseId: onTime.id, occurredAt: at('2026-01-30T00:00:00Z') }, PROMISE);
  expect(keep.promise).toMatchObject({ promisor: 'CLIENT', state: 'KEPT', outcome: 'KEPT_ON_TIME' });
  const keptLate = await must(ts.client, 'keepPromise', { promiseId: late.id, inFull: false, occurredAt: at('2026-02-05T00:00:00Z') }, `${PROMISE} ${ENTRY}`);
  expect(keptLate.promise).toMatchObject({ state: 'KEPT', outcome: 'KEPT_LATE' });
  expect(keptLate.entry.payload).toMatchObject({ inFull: false });
  const withNotice = await must(ts.supplier, 'breakPromise', { promiseId: announced.id, reason: 'The factory burnt down', occurredAt: at('2026-02-20T00:00:00Z') }, `${PROMISE} ${ENTRY}`);
  expect(withNotice.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN_WITH_NOTICE' });
  expect(withNotice.entry).toMatchObject({ type: 'PROMISE_BROKEN', payload: { reason: 'The factory burnt down' } });
  const broken = await must(ts.client, 'breakPromise', { promiseId: silent.id, reason: 'Never arrived', occurredAt: at('2026-03-05T00:00:00Z') }, PROMISE);
  expect(broken.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN' });
  await must(ts.supplier, 'reschedulePromise', { promiseId: renewedMissed.id, newDueAt: '2026-03-10T00:00:00Z', reason: 'Customs', occurredAt: at('2026-02-25T00:00:00Z') });
  const afterRenewal = await must(ts.supplier, 'breakPromise', { promiseId: renewedMissed.id, reason: 'Still stuck', occurredAt: at('2026-03-12T00:00:00Z') }, PROMISE);
  expect(afterRenewal.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN_AFTER_RESCHEDULE', originalDueAt: '2026-03-01T00:00:00.000Z', dueAt: '2026-03-10T00:00:00.000Z' });
  // A cancellation is a proposal until the other side accepts it.
  const cancel = await must(ts.client, 'cancelPromise', { promiseId: cancelled.id, reason: 'Order changed by agreement', occurredAt: at('2026-02-01T00:00:00Z') }, `${PROMISE} ${ENTRY}`);
  expect(cancel.promise).toMatchObject({ state: 'OPEN', outcome: null });
  expect(cancel.entry).toMatchObject({ type: 'PROMISE_CANCELLED', status: 'PROPOSED', payload: { reason: 'Order changed by agreement' } });
  const agreed = await must(ts.supplier, 'acceptCancellation', { promiseId: cancelled.id, occurredAt: at('2026-02-02T00:00:00Z') }, `${PROMISE} ${ENTRY}`);
  expect(agreed.promise).toMatchObject({ state: 'CANCELLED', outcome: 'CANCELLED', resolvedAt: '2026-02-01T00:00:00.000Z' });
  expect(agreed.entry).toMatchObject({ type: 'ENTRY_CONFIRMED', payload: { entrySeq: cancel.entry.seq } });
  clock.at(new Date().toISOString());

  expect(await node(ts.client, overdue.id, '... on Promise { state overdue outcome }')).toMatchObject({ state: 'OPEN', overdue: true });
  expect(await node(ts.client, open.id, '... on Promise { state overdue outcome }')).toMatchObject({ state: 'OPEN', overdue: false, outcome: null });

  const ids = async (args: string) =>
    (await node(ts.client, rel, `... on Relationship { promises(first: 100${args ? `, ${args}` : ''}) { edges { node { id } } } }`)).promises.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
  const all = [onTime, late, announced, silent, renewedMissed, cancelled, overdue, open].map((p) => p.id);
  expect(await ids('')).toEqual(all);
  expect(await ids('state: OPEN')).toEqual([overdue.id, open.id]);
  expect(await ids('state: KEPT')).toEqual([onTime.id, late.id]);
  expect(await ids('state: BROKEN')).toEqual([announced.id, silent.id, renewedMissed.id]);
  expect(await ids('state: CANCELLED')).toEqual([cancelled.id]);
  expect(await ids('overdue: true')).toEqual([overdue.id]);
  expect(await ids('overdue: false')).toEqual(all.filter((id) => id !== overdue.id));
  expect(await ids('outcome: KEPT_ON_TIME')).toEqual([onTime.id]);
  expect(await ids('outcome: KEPT_LATE')).toEqual([late.id]);
  expect(await ids('outcome: BROKEN_WITH_NOTICE')).toEqual([announced.id]);
  expect(await ids('outcome: BROKEN_AFTER_RESCHEDULE')).toEqual([renewedMissed.id]);
  expect(await ids('promisor: CLIENT')).toEqual([onTime.id]);
  expect(await ids('promisor: SUPPLIER, state: OPEN, overdue: true')).toEqual([overdue.id]);

  // Paging with first/after visits every promise once, in ledger order.
  const paged: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10; i++) {
    const page: any = (
      await node(ts.supplier, rel, `... on Relationship { promises(first: 3${after ? `, after: "${after}"` : ''}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`)
    ).promises;
    paged.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(paged).toEqual(all);
});

test('settling a promise before it was made is refused', async () => {
  await using ts = await startTestServer();
  const rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  const p = await make(ts, rel, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const before = await head(ts, rel);
  const err = await fails(ts.client, 'keepPromise', { promiseId: p.id, occurredAt: '2026-01-15T00:00:00Z' });
  expect(err).toMatchObject({ __typename: 'ValidationError', path: ['input', 'occurredAt'] });
  expect(err.message).toMatch(/before the promise was made/);
  expect(await head(ts, rel)).toEqual(before);
});
