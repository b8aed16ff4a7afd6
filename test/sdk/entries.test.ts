import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair } from './helpers.ts';

it('confirms, disputes, withdraws a dispute and voids entries', async () => {
  await using ts = await startTestServer();
  const { supplier, client, relationshipId } = await activePair(ts);
  const a = await supplier.promises.make({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'A', dueAt: '2027-01-01T00:00:00Z' });
  const b = await supplier.promises.make({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'B', dueAt: '2027-01-01T00:00:00Z' });

  const confirmed = await client.entries.confirm({ entryId: a.entry.id });
  expect(confirmed.target).toMatchObject({ seq: a.entry.seq, status: 'CONFIRMED' });
  expect(confirmed.entry).toMatchObject({ type: 'ENTRY_CONFIRMED', payload: { entrySeq: a.entry.seq } });

  const disputed = await client.entries.dispute({ entryId: b.entry.id, reason: 'never agreed' });
  expect(disputed.target.status).toBe('DISPUTED');
  const withdrawn = await client.entries.withdrawDispute({ entryId: b.entry.id });
  expect(withdrawn.target.status).toBe('STANDING');
  expect(withdrawn.entry.type).toBe('DISPUTE_WITHDRAWN');

  // b has been disputed: something depends on it, so its recorder's void is a proposal the client accepts.
  const proposed = await supplier.entries.void({ entryId: b.entry.id, reason: 'typo' });
  expect(proposed.target.status).toBe('STANDING');
  expect(proposed.entry).toMatchObject({ type: 'ENTRY_VOIDED', status: 'PROPOSED', payload: { entrySeq: b.entry.seq, reason: 'typo' } });
  const accepted = await client.entries.confirm({ entryId: proposed.entry.id });
  expect(accepted.target.status).toBe('CONFIRMED');
  const c = await supplier.promises.make({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'C', dueAt: '2027-01-01T00:00:00Z' });
  const voided = await supplier.entries.void({ entryId: c.entry.id, reason: 'typo' });
  expect(voided.target.status).toBe('VOIDED');
  expect(voided.entry).toMatchObject({ type: 'ENTRY_VOIDED', status: 'STANDING', payload: { entrySeq: c.entry.seq, reason: 'typo' } });
});

it('records a batch of entries all or nothing, and reads the ledger by seq in pages', async () => {
  await using ts = await startTestServer();
  const { supplier, relationshipId } = await activePair(ts);
  const batch = await supplier.entries.recordBatch({
    relationshipId,
    entries: [
      { type: 'PROMISE_MADE', occurredAt: '2026-02-01T00:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: '2026-02-10T00:00:00Z' } },
      { type: 'PROMISE_KEPT', occurredAt: '2026-02-09T00:00:00Z', payload: { promiseSeq: 3 } },
      { type: 'INTERACTION_RECORDED', occurredAt: '2026-02-09T00:00:00Z', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } },
    ],
  });
  expect(batch.entries.map((e) => [e.seq, e.type])).toEqual([
    [3, 'PROMISE_MADE'],
    [4, 'PROMISE_KEPT'],
    [5, 'INTERACTION_RECORDED'],
  ]);
  expect(batch.relationship.head).toEqual({ seq: 5, hash: batch.entries[2].hash });

  const ledger = supplier.relationships.ledger(relationshipId, { pageSize: 2 });
  const pages: number[][] = [];
  for await (const page of ledger.pages()) pages.push(page.map((e) => e.seq));
  expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  const tail = await supplier.relationships.ledger(relationshipId, { afterSeq: 3 }).toArray();
  expect(tail.map((e) => e.seq)).toEqual([4, 5]);
  expect(tail[0].prevHash).toBe(batch.entries[0].hash);
});
