import { expect, it } from 'vitest';
import { startTestServer, testClock } from '../support/server.ts';
import { activePair, countingFetch, sdk } from './helpers.ts';

it('makes, reschedules, keeps, breaks and cancels promises', async () => {
  const clock = testClock();
  await using ts = await startTestServer({ now: clock.now });
  const { supplier, client, relationshipId } = await activePair(ts);
  // Recorded as it happens: the server's clock follows the business time.
  const at = (time: string) => clock.at(time);
  at('2026-02-01T09:00:00Z');
  const made = await supplier.promises.make({
    relationshipId,
    promisor: 'SUPPLIER',
    kind: 'INSTALLATION',
    description: 'Install the lobby furniture',
    dueAt: '2026-03-01T09:00:00+02:00',
    amount: { amount: 12000, currency: 'EUR' },
    occurredAt: '2026-02-01T09:00:00Z',
  });
  expect(made.promise).toMatchObject({ state: 'OPEN', dueAt: '2026-03-01T07:00:00.000Z', amount: { amount: 12000, currency: 'EUR' } });
  expect(made.entry).toMatchObject({ type: 'PROMISE_MADE', actorId: ts.supplier.rawId });

  at('2026-02-20T09:00:00Z');
  const rescheduled = await supplier.promises.reschedule({
    promiseId: made.promise.id,
    newDueAt: '2026-03-08T09:00:00Z',
    reason: 'fabric delayed',
    occurredAt: '2026-02-20T09:00:00Z',
  });
  expect(rescheduled.promise).toMatchObject({ originalDueAt: '2026-03-01T07:00:00.000Z', dueAt: '2026-03-08T09:00:00.000Z' });

  at('2026-03-07T09:00:00Z');
  const kept = await supplier.promises.keep({ promiseId: made.promise.id, occurredAt: '2026-03-07T09:00:00Z' });
  expect(kept.promise).toMatchObject({ state: 'KEPT', outcome: 'KEPT_AFTER_NOTICE' });

  at('2026-02-01T00:00:00Z');
  const payment = await client.promises.make({
    relationshipId,
    promisor: 'CLIENT',
    kind: 'PAYMENT',
    description: 'Pay the deposit',
    dueAt: '2026-02-10T00:00:00Z',
    occurredAt: '2026-02-01T00:00:00Z',
  });
  at('2026-02-05T00:00:00Z');
  const broken = await client.promises.break({ promiseId: payment.promise.id, reason: 'cash flow', occurredAt: '2026-02-05T00:00:00Z' });
  expect(broken.promise).toMatchObject({ state: 'BROKEN', outcome: 'BROKEN_WITH_NOTICE' });
  expect(broken.entry.type).toBe('PROMISE_BROKEN');

  at('2026-02-06T00:00:00Z');
  const other = await client.promises.make({ relationshipId, promisor: 'CLIENT', kind: 'OTHER', description: 'Site visit', dueAt: '2026-04-01T00:00:00Z', occurredAt: '2026-02-06T00:00:00Z' });
  const proposed = await supplier.promises.cancel({ promiseId: other.promise.id, reason: 'agreed to skip' });
  expect(proposed.promise).toMatchObject({ state: 'OPEN' });
  expect(proposed.entry.status).toBe('PROPOSED');
  const cancelled = await client.promises.acceptCancellation({ promiseId: other.promise.id });
  expect(cancelled.promise).toMatchObject({ state: 'CANCELLED', outcome: 'CANCELLED' });

  // A promise the supplier writes for the client is a proposal until the client accepts it.
  const written = await supplier.promises.make({ relationshipId, promisor: 'CLIENT', kind: 'PAYMENT', description: 'Balance', dueAt: '2026-05-01T00:00:00Z', occurredAt: '2026-02-06T00:00:00Z' });
  expect(written.promise.state).toBe('PROPOSED');
  expect((await client.promises.accept({ promiseId: written.promise.id })).promise.state).toBe('OPEN');
});

it('iterates 45 promises in pages of 20, fetching each page only when needed', async () => {
  await using ts = await startTestServer();
  const { supplier, client, relationshipId } = await activePair(ts);
  for (let i = 0; i < 45; i++)
    await (i % 3 === 0 ? client : supplier).promises.make({ relationshipId, promisor: i % 3 === 0 ? 'CLIENT' : 'SUPPLIER', kind: 'DELIVERY', description: `Delivery ${i}`, dueAt: '2027-01-01T00:00:00Z' });

  const { fetch, calls } = countingFetch();
  const reader = sdk(ts, ts.client, 'reader', { fetch });
  const seen: string[] = [];
  const requestsAt: number[] = [];
  for await (const p of reader.promises.list(relationshipId, { pageSize: 20 })) {
    seen.push(p.description);
    requestsAt.push(calls.length);
  }
  expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => `Delivery ${i}`));
  expect(calls).toHaveLength(3);
  // page 2 is requested only when the 21st promise is needed, page 3 at the 41st
  expect([requestsAt[19], requestsAt[20], requestsAt[39], requestsAt[40]]).toEqual([1, 2, 2, 3]);

  const clientPromises = await reader.promises.list(relationshipId, { promisor: 'CLIENT', state: 'OPEN', pageSize: 7 }).toArray();
  expect(clientPromises).toHaveLength(15);
  const pages: number[] = [];
  for await (const page of reader.promises.list(relationshipId, { pageSize: 20 }).pages()) pages.push(page.length);
  expect(pages).toEqual([20, 20, 5]);
});
