/**
 * DESIGN §2a "A void is for the recorder's own mistakes: allowed while nothing depends on the
 * entry, the other side has not confirmed it and (for a promise) it is not yet due; otherwise it
 * takes the other side's consent". A promise's reschedule, keep and break are judged with it: once
 * the promise is due, voiding one alone would rewrite what the promise is judged by (a promisor
 * erasing the renewed date it then missed, whose miss weighs most; a beneficiary reopening, past
 * due, a promise it had recorded as kept). Then the void is a proposal the other side accepts.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { ENTRY, must, node } from '../support/api.ts';
import { fetchLedger } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const PROMISE = '... on Promise { state dueAt outcome history { seq type status } }';

async function reliability(firm: TestFirm, rel: string): Promise<{ score: number; negative: number }> {
  const card = ok(await firm.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf supplier { reliability { score negative } } } } } }`, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: card.asOf });
  expect(card.supplier.reliability.negative).toBeCloseTo(local.supplier.reliability.negative, 9);
  return card.supplier.reliability;
}

/** A relationship active since yesterday (t0 − 1 day) and the supplier's promise, made at t0, due at t0 + 10 days; the promise's id. */
async function promiseDueIn10Days(ts: { supplier: TestFirm; client: TestFirm }, t0: number, kind: string, description: string): Promise<{ rel: string; id: string }> {
  const rel = await activeRelationship(ts, new Date(t0 - DAY).toISOString());
  const made = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind, description, dueAt: new Date(t0 + 10 * DAY).toISOString() }, 'promise { id }');
  return { rel, id: made.promise.id };
}

test('a promisor cannot erase, alone, the renewed date it missed: past the due time its void of the reschedule is a proposal', async () => {
  const t0 = Date.now();
  const clock = testClock(t0);
  await using ts = await startTestServer({ now: clock.now });
  const { rel, id } = await promiseDueIn10Days(ts, t0, 'INSTALLATION', 'Lobby');
  clock.at(t0 + 8 * DAY);
  const renewed = await must(ts.supplier, 'reschedulePromise', { promiseId: id, newDueAt: new Date(t0 + 20 * DAY).toISOString(), reason: 'Crew ill' }, ENTRY);
  // The renewed date passes, missed: the client says so.
  clock.at(t0 + 25 * DAY);
  await must(ts.client, 'breakPromise', { promiseId: id, reason: 'No crew on the renewed date either' });
  const missed = await reliability(ts.client, rel);
  expect((await node(ts.client, id, PROMISE)).outcome).toBe('BROKEN_AFTER_RESCHEDULE');

  const voided = await must(ts.supplier, 'voidEntry', { entryId: renewed.entry.id, reason: 'entered by mistake' }, ENTRY);
  expect(voided.entry).toMatchObject({ type: 'ENTRY_VOIDED', status: 'PROPOSED' });
  expect(await node(ts.client, renewed.entry.id, '... on LedgerEntry { status }')).toMatchObject({ status: 'STANDING' });
  expect(await node(ts.client, id, PROMISE)).toMatchObject({ outcome: 'BROKEN_AFTER_RESCHEDULE', dueAt: new Date(t0 + 20 * DAY).toISOString() });
  expect(await reliability(ts.client, rel)).toEqual(missed);

  // With the client's consent it is voided.
  await must(ts.client, 'confirmEntry', { entryId: voided.entry.id });
  expect(await node(ts.client, renewed.entry.id, '... on LedgerEntry { status }')).toMatchObject({ status: 'VOIDED' });
});

test('before the promise is due, the recorder still voids its reschedule, keep or break at once', async () => {
  const t0 = Date.now();
  const clock = testClock(t0);
  await using ts = await startTestServer({ now: clock.now });
  const { id } = await promiseDueIn10Days(ts, t0, 'DELIVERY', 'Chairs');
  clock.at(t0 + 2 * DAY);
  const renewed = await must(ts.supplier, 'reschedulePromise', { promiseId: id, newDueAt: new Date(t0 + 20 * DAY).toISOString(), reason: 'Late fabric' }, ENTRY);
  const voided = await must(ts.supplier, 'voidEntry', { entryId: renewed.entry.id, reason: 'wrong promise' }, ENTRY);
  expect(voided.entry.status).toBe('STANDING');
  expect(await node(ts.client, id, PROMISE)).toMatchObject({ state: 'OPEN', dueAt: new Date(t0 + 10 * DAY).toISOString() });
  const kept = await must(ts.client, 'keepPromise', { promiseId: id }, ENTRY);
  expect((await must(ts.client, 'voidEntry', { entryId: kept.entry.id, reason: 'not yet delivered' }, ENTRY)).entry.status).toBe('STANDING');
  expect((await node(ts.client, id, PROMISE)).state).toBe('OPEN');
});

test('a beneficiary cannot reopen, alone, a promise past due that it recorded as kept', async () => {
  const t0 = Date.now();
  const clock = testClock(t0);
  await using ts = await startTestServer({ now: clock.now });
  const { rel, id } = await promiseDueIn10Days(ts, t0, 'DELIVERY', 'Chairs');
  clock.at(t0 + 9 * DAY);
  const kept = await must(ts.client, 'keepPromise', { promiseId: id }, ENTRY);
  clock.at(t0 + 40 * DAY);
  const before = await reliability(ts.supplier, rel);
  const voided = await must(ts.client, 'voidEntry', { entryId: kept.entry.id, reason: 'changed our mind' }, ENTRY);
  expect(voided.entry.status).toBe('PROPOSED');
  expect(await node(ts.supplier, id, PROMISE)).toMatchObject({ state: 'KEPT' });
  expect(await reliability(ts.supplier, rel)).toEqual(before);
});
