/**
 * DESIGN §2a "Self-serving evidence is a claim until the other side attests it", through the API:
 * a keep recorded by its promisor, an answer recorded by the side complained against, a measurement
 * recorded by the side accountable for it. Each is CLAIMED and weighs half until the other side
 * confirms it or the attestation window (7 days) passes undisputed; the same fact recorded by the
 * other side counts at once. A back-dated answer buys no speed. Served figures equal the SDK's.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, must, node } from '../support/api.ts';
import { fetchLedger } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DIM = 'score evidence positive negative drivers { effect reason standing entry { seq } }';
const CARD = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf supplier { trustScore medianFirstResponseHours reliability { ${DIM} } responsiveness { ${DIM} } } } } } }`;

async function card(firm: TestFirm, rel: string) {
  const served = ok(await firm.gql(CARD, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: served.asOf });
  expect(served.supplier.trustScore).toBeCloseTo(local.supplier.trustScore as number, 9);
  expect(served.supplier.reliability.positive).toBeCloseTo(local.supplier.reliability.positive, 9);
  expect(served.supplier.responsiveness.positive).toBeCloseTo(local.supplier.responsiveness.positive, 9);
  return served.supplier;
}
const attestation = async (firm: TestFirm, id: string) => (await node(firm, id, '... on LedgerEntry { attestation }')).attestation;

test('a keep recorded by its promisor is claimed: half its credit until the beneficiary confirms it, or the window passes undisputed; recorded by the beneficiary it counts at once', async () => {
  const clock = testClock(Date.now() + 60_000);
  await using ts = await startTestServer({ now: clock.now });
  const claimed = await activeRelationship(ts, daysFromNow(-60));
  const client2 = await ts.firm('Second client');
  const vouched = await activeRelationship({ supplier: ts.supplier, client: client2 }, daysFromNow(-60));
  const keepIn = async (rel: string, by: TestFirm) => {
    const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: daysFromNow(-5), occurredAt: daysFromNow(-20) }, 'promise { id }');
    return (await must(by, 'keepPromise', { promiseId: p.promise.id, occurredAt: daysFromNow(-6) }, ENTRY)).entry;
  };
  const own = await keepIn(claimed, ts.supplier);
  expect(await attestation(ts.client, own.id)).toBe('CLAIMED');
  const mine = await card(ts.client, claimed);
  expect(mine.reliability.drivers[0]).toMatchObject({ standing: 'CLAIMED' });
  expect(mine.reliability.drivers[0].reason).toMatch(/claimed by the side it favours, not yet confirmed, weighs 50%/);

  // The same keep, recorded by the beneficiary: it counts in full at once.
  const theirs = await keepIn(vouched, client2);
  expect(await attestation(client2, theirs.id)).toBe('NOT_NEEDED');
  const full = await card(ts.supplier, vouched);
  expect(mine.reliability.positive).toBeCloseTo(full.reliability.positive * 0.5, 6);
  expect(mine.trustScore).toBeLessThan(full.trustScore);

  // Confirmed by the client: attested, full weight.
  await must(ts.client, 'confirmEntry', { entryId: own.id });
  expect(await attestation(ts.client, own.id)).toBe('ATTESTED');
  const confirmed = await card(ts.client, claimed);
  expect(confirmed.reliability.drivers[0].standing).toBeNull();
  expect(confirmed.reliability.positive).toBeCloseTo(full.reliability.positive, 6);
});

test('a claim nobody disputes counts in full once the attestation window passes', async () => {
  const clock = testClock(Date.now() + 60_000);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, daysFromNow(-60));
  const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: daysFromNow(-5), occurredAt: daysFromNow(-20) }, 'promise { id }');
  const kept = (await must(ts.supplier, 'keepPromise', { promiseId: p.promise.id, occurredAt: daysFromNow(-6) }, ENTRY)).entry;
  const during = await card(ts.client, rel);
  clock.at(Date.parse(clock.now()) + 8 * DAY);
  expect(await attestation(ts.client, kept.id)).toBe('ATTESTED');
  const after = await card(ts.client, rel);
  expect(after.reliability.drivers[0].standing).toBeNull();
  expect(after.trustScore).toBeGreaterThan(during.trustScore);
  // A record about the other side is not a claim at all.
  const contact = await must(ts.supplier, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, 'entry { id }');
  expect(await attestation(ts.client, contact.entry.id)).toBe('NOT_NEEDED');
});

test('an answer to a complaint, back-dated by the side complained against, counts from when it was recorded: slow, and claimed', async () => {
  const clock = testClock(Date.now() + 60_000);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, daysFromNow(-60));
  const raised = Date.now() - 10 * DAY;
  const complaint = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Wrong invoice', occurredAt: new Date(raised).toISOString() }, 'interaction { id }');
  // Recorded today, dated two hours after the complaint.
  const answer = await must(ts.supplier, 'respondToComplaint', { interactionId: complaint.interaction.id, occurredAt: new Date(raised + 2 * HOUR).toISOString() }, ENTRY);
  expect(await attestation(ts.client, answer.entry.id)).toBe('CLAIMED');
  expect(await node(ts.client, answer.entry.id, '... on LedgerEntry { backdated }')).toMatchObject({ backdated: true });
  const slow = await card(ts.client, rel);
  expect(slow.medianFirstResponseHours).toBeGreaterThan(24 * 9);
  expect(slow.responsiveness.positive).toBe(0);
  expect(slow.responsiveness.negative).toBeGreaterThan(0);
  // The complainant vouches for the time: then it was an answer in two hours.
  await must(ts.client, 'confirmEntry', { entryId: answer.entry.id });
  const vouched = await card(ts.client, rel);
  expect(vouched.medianFirstResponseHours).toBe(2);
  expect(vouched.responsiveness.positive).toBeGreaterThan(0);
});
