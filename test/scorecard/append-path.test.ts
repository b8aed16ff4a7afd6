/**
 * The append path keeps the scorecard state in memory through a transaction and writes it once
 * (issue 13). What a user checks: after a batch of mixed entries (a void and a late complaint
 * answer among them), after a rejected batch, and after an entry dated ahead of the server's
 * clock, the served scorecard is the one the SDK computes from the ledger.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { fetchLedger, record } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer } from '../support/server.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ago = (days: number) => iso(NOW - days * DAY);
const CARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { head { seq } scorecard(asOf: $asOf) {
  asOf head { seq hash } supplier { trustScore band medianFirstResponseHours reliability { score evidence } responsiveness { score evidence negative drivers { entry { seq } reason } } }
  client { trustScore band } churn { stage } } } } }`;

async function expectServedEqualsEngine(ts: Awaited<ReturnType<typeof startTestServer>>, rel: string, asOf: string) {
  const served = ok(await ts.client.gql(CARD, { id: rel, asOf })).node.scorecard;
  const card = computeScorecard(await fetchLedger(ts.client, rel), { asOf });
  expect(served.head).toEqual(card.head);
  if (card.supplier.trustScore === null) expect(served.supplier.trustScore).toBeNull();
  else expect(served.supplier.trustScore).toBeCloseTo(card.supplier.trustScore, 9);
  expect(served.supplier.band).toBe(card.supplier.band);
  expect(served.supplier.medianFirstResponseHours).toBe(card.supplier.medianFirstResponseHours);
  expect(served.supplier.reliability.evidence).toBe(card.supplier.reliability.evidence);
  expect(served.supplier.responsiveness.evidence).toBe(card.supplier.responsiveness.evidence);
  expect(served.supplier.responsiveness.drivers.map((d: any) => [d.entry.seq, d.reason])).toEqual(
    card.supplier.responsiveness.drivers.map((d) => [d.entrySeq, d.reason]),
  );
  expect(served.client.band).toBe(card.client.band);
  expect(served.churn.stage).toBe(card.churn.stage);
  return { served, card };
}

test('a batch of mixed entries, a void and a late complaint answer among them, serves what the SDK computes', async () => {
  await using ts = await startTestServer({ now: () => iso(NOW) });
  const rel = await activeRelationship(ts, ago(120));
  // seq 3–4: a complaint against the supplier and one it raised; 5–6 a promise kept; 7 a contact.
  await record(ts.client, rel, [
    { type: 'INTERACTION_RECORDED', occurredAt: ago(100), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'scratched table' } },
    { type: 'INTERACTION_RECORDED', occurredAt: ago(99), payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } },
  ]);
  await record(ts.supplier, rel, [
    { type: 'PROMISE_MADE', occurredAt: ago(90), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: ago(80) } },
    { type: 'PROMISE_KEPT', occurredAt: ago(81), payload: { promiseSeq: 5 } },
    // Not yet due when voided, and nothing refers to it: its recorder may void it alone (DESIGN §2a).
    { type: 'PROMISE_MADE', occurredAt: ago(70), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Tables', dueAt: ago(-10) } },
    { type: 'ENTRY_VOIDED', occurredAt: ago(69), payload: { entrySeq: 7, reason: 'entered twice' } },
    { type: 'PROMISE_MADE', occurredAt: ago(50), payload: { promisor: 'SUPPLIER', kind: 'INSTALLATION', description: 'Lobby', dueAt: ago(40) } },
    { type: 'PROMISE_BROKEN', occurredAt: ago(35), payload: { promiseSeq: 9, reason: 'fitter ill' } },
    // The complaint of 100 days ago, answered and resolved now: far past both limits.
    { type: 'COMPLAINT_RESPONDED', occurredAt: ago(1), payload: { interactionSeq: 3 } },
    { type: 'COMPLAINT_RESOLVED', occurredAt: ago(0.5), payload: { interactionSeq: 3 } },
  ]);
  const { card } = await expectServedEqualsEngine(ts, rel, iso(NOW));
  expect(card.head.seq).toBe(12);
  expect(card.supplier.reliability.evidence).toBe(2); // the voided promise does not count
  expect(card.supplier.medianFirstResponseHours).toBeGreaterThan(24 * 90);

  // A batch that fails at its last entry writes nothing: the next read and write go on from seq 12.
  const bad = await ts.supplier.gql(`mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { code path } } }`, {
    i: { relationshipId: rel, entries: [
      { type: 'INTERACTION_RECORDED', occurredAt: ago(0.2), payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 3 } },
      { type: 'PROMISE_KEPT', occurredAt: ago(0.1), payload: { promiseSeq: 9 } },
    ] },
  });
  expect(ok(bad).recordEntries.errors[0].path.map(String)).toEqual(['input', 'entries', '1', 'payload', 'promiseSeq']);
  expect(ok(await ts.client.gql(CARD, { id: rel })).node.head.seq).toBe(12);
  await record(ts.client, rel, [{ type: 'INTERACTION_RECORDED', occurredAt: ago(0.1), payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 3 } }]);
  await expectServedEqualsEngine(ts, rel, iso(NOW));
});

test('an entry dated ahead of the server clock (within the skew) is recorded at the server clock, and served at once', async () => {
  await using ts = await startTestServer({ now: () => iso(NOW) });
  const rel = await activeRelationship(ts, ago(30));
  const ahead = iso(NOW + 2 * 60_000);
  const out = ok(
    await ts.client.gql(`mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { entry { seq occurredAt recordedAt } errors { message } } }`, {
      i: { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'cold food', occurredAt: ahead },
    }),
    'recordInteraction',
  );
  expect(out.entry.occurredAt).toBe(iso(NOW));
  expect(out.entry.recordedAt).toBe(iso(NOW));
  // More than the skew ahead is still refused, and nothing is written.
  const far = await ts.client.gql(`mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { errors { path } } }`, {
    i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', occurredAt: iso(NOW + 10 * 60_000) },
  });
  expect(ok(far).recordInteraction.errors[0].path).toEqual(['input', 'occurredAt']);
  const { served } = await expectServedEqualsEngine(ts, rel, iso(NOW));
  expect(served.head.seq).toBe(3);
});
