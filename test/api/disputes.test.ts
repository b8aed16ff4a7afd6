/**
 * DESIGN §2a "A dispute is a state, not an eraser", through the API: the case (the supplier
 * disputes each of three deliveries the client recorded as broken) and the rest of its kind. While
 * open the disputed evidence weighs half; left open past 30 days it lapses and counts again,
 * contested; it ends by withdrawal or by an agreed resolution (STANDS or STRUCK). The relationship
 * lists its disputes with their state, and the scorecard's drivers say how each slip stands. The
 * served figures equal the SDK's recomputation from the fetched ledger at every step.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { daysFromNow, ENTRY, must, node } from '../support/api.ts';
import { fetchLedger } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, type TestServer, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const DIM = 'score evidence positive negative drivers { effect reason standing entry { seq type } }';
const CARD = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf supplier { trustScore band reliability { ${DIM} } transparency { ${DIM} } } } } } }`;
const DISPUTES = `query($id: ID!, $state: [DisputeState!], $asOf: DateTime) { node(id: $id) { ... on Relationship { disputes(state: $state, asOf: $asOf) {
  state raisedBy raisedAt lapsesAt reason resolution endedAt entry { seq type } disputeEntry { seq type } endedBy { seq type } } } } }`;

/** The served scorecard, checked against the SDK's engine on the ledger the firm fetched (DESIGN §3). */
async function card(firm: TestFirm, rel: string) {
  const served = ok(await firm.gql(CARD, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: served.asOf });
  expect(served.supplier.trustScore).toBeCloseTo(local.supplier.trustScore as number, 9);
  expect(served.supplier.reliability.negative).toBeCloseTo(local.supplier.reliability.negative, 9);
  expect(served.supplier.reliability.drivers.map((d: { standing: string | null }) => d.standing)).toEqual(local.supplier.reliability.drivers.map((d) => d.standing));
  return served;
}

const disputes = async (firm: TestFirm, rel: string, vars: Record<string, unknown> = {}) => ok(await firm.gql(DISPUTES, { id: rel, ...vars })).node.disputes;

/** Three deliveries the supplier promised, each recorded broken by the client after its due date. */
async function threeBrokenDeliveries(ts: TestServer, rel: string): Promise<{ seq: number; id: string }[]> {
  const broken: { seq: number; id: string }[] = [];
  for (const n of [1, 2, 3]) {
    const p = await must(
      ts.supplier,
      'makePromise',
      { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: `Delivery ${n}`, dueAt: daysFromNow(-20 + n), occurredAt: daysFromNow(-40 + n) },
      'promise { id }',
    );
    const b = await must(ts.client, 'breakPromise', { promiseId: p.promise.id, reason: 'Never arrived', occurredAt: daysFromNow(-10 + n) }, ENTRY);
    broken.push({ seq: b.entry.seq, id: b.entry.id });
  }
  return broken;
}

test('the supplier disputes each of three deliveries the client recorded as broken: the slips weigh half while open, and count again when the disputes lapse', async () => {
  const clock = testClock(Date.now() + 60_000);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, daysFromNow(-90));
  const broken = await threeBrokenDeliveries(ts, rel);
  const before = await card(ts.client, rel);
  expect(before.supplier.reliability.evidence).toBe(3);

  for (const b of broken) await must(ts.supplier, 'disputeEntry', { entryId: b.id, reason: 'It was delivered' });
  const open = await card(ts.client, rel);
  // The slips do not vanish: all three still count, at half their weight, and say so.
  expect(open.supplier.reliability.evidence).toBe(3);
  expect(open.supplier.reliability.negative).toBeCloseTo(before.supplier.reliability.negative / 2, 9);
  expect(open.supplier.transparency.evidence).toBe(3);
  expect(open.supplier.trustScore).toBeGreaterThan(before.supplier.trustScore);
  expect(open.supplier.trustScore).toBeLessThan(50);
  for (const d of open.supplier.reliability.drivers) {
    expect(d.standing).toBe('DISPUTED');
    expect(d.reason).toMatch(/under open dispute, weighs 50%/);
  }
  // Both sides see the same three open disputes, with when each lapses.
  const listed = await disputes(ts.client, rel);
  expect(await disputes(ts.supplier, rel)).toEqual(listed);
  expect(listed.map((d: { entry: { seq: number } }) => d.entry.seq)).toEqual(broken.map((b) => b.seq));
  for (const d of listed) {
    expect(d).toMatchObject({ state: 'OPEN', raisedBy: 'SUPPLIER', reason: 'It was delivered', resolution: null, endedBy: null, entry: { type: 'PROMISE_BROKEN' }, disputeEntry: { type: 'ENTRY_DISPUTED' } });
    // Thirty days after it was raised, at the next whole hour.
    expect(Date.parse(d.lapsesAt) - Date.parse(d.raisedAt)).toBeGreaterThanOrEqual(30 * DAY);
    expect(Date.parse(d.lapsesAt) - Date.parse(d.raisedAt)).toBeLessThan(30 * DAY + 3_600_000);
    expect(Date.parse(d.lapsesAt) % 3_600_000).toBe(0);
  }
  // An outsider learns nothing of them.
  expect(ok(await ts.outsider.gql(DISPUTES, { id: rel })).node).toBeNull();

  // Nobody resolves them: 31 days on they have lapsed, and the slips count in full again, contested.
  clock.at(Date.parse(clock.now()) + 31 * DAY);
  expect((await disputes(ts.client, rel)).map((d: { state: string }) => d.state)).toEqual(['LAPSED', 'LAPSED', 'LAPSED']);
  expect(await disputes(ts.client, rel, { state: ['OPEN'] })).toEqual([]);
  // As of a time before the lapse they were still open (the lifecycle is a function of asOf).
  expect((await disputes(ts.client, rel, { asOf: daysFromNow(1) })).map((d: { state: string }) => d.state)).toEqual(['OPEN', 'OPEN', 'OPEN']);
  const lapsed = await card(ts.client, rel);
  const ledger = await fetchLedger(ts.client, rel);
  const undisputed = computeScorecard(
    ledger.filter((e) => e.type !== 'ENTRY_DISPUTED'),
    { asOf: lapsed.asOf },
  );
  expect(lapsed.supplier.reliability.negative).toBeCloseTo(undisputed.supplier.reliability.negative, 9);
  expect(lapsed.supplier.trustScore).toBeCloseTo(undisputed.supplier.trustScore as number, 9);
  for (const d of lapsed.supplier.reliability.drivers) {
    expect(d.standing).toBe('CONTESTED');
    expect(d.reason).toMatch(/contested: the dispute lapsed unresolved/);
  }
});

test('a dispute ends by withdrawal or by an agreed resolution: STANDS counts in full, STRUCK counts for nothing', async () => {
  const clock = testClock(Date.now() + 60_000);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, daysFromNow(-90));
  const [a, b, c] = await threeBrokenDeliveries(ts, rel);
  const before = await card(ts.client, rel);
  for (const x of [a, b, c]) await must(ts.supplier, 'disputeEntry', { entryId: x.id, reason: 'It was delivered' });

  // a: the supplier withdraws its dispute.
  await must(ts.supplier, 'withdrawDispute', { entryId: a.id, reason: 'Found the missing delivery note' });
  // b: the client proposes that the slip stands; the supplier accepts.
  const stands = await must(ts.client, 'proposeResolution', { entryId: b.id, outcome: 'STANDS', note: 'Signed delivery log says no' }, ENTRY);
  expect((await disputes(ts.client, rel))[1].state).toBe('OPEN'); // a proposal ends nothing until accepted
  await must(ts.supplier, 'confirmEntry', { entryId: stands.entry.id });
  // c: the supplier proposes that it is struck; the client agrees.
  const struck = await must(ts.supplier, 'proposeResolution', { entryId: c.id, outcome: 'STRUCK', note: 'Delivered to the wrong site by us, accepted' }, ENTRY);
  await must(ts.client, 'confirmEntry', { entryId: struck.entry.id });

  const listed = await disputes(ts.client, rel);
  expect(listed.map((d: { state: string; resolution: string | null; endedBy: { type: string } }) => [d.state, d.resolution, d.endedBy.type])).toEqual([
    ['WITHDRAWN', null, 'DISPUTE_WITHDRAWN'],
    ['RESOLVED', 'STANDS', 'ENTRY_CONFIRMED'],
    ['RESOLVED', 'STRUCK', 'ENTRY_CONFIRMED'],
  ]);
  const after = await card(ts.client, rel);
  // The withdrawn and the standing slips count in full, uncontested. The struck break counts for
  // nothing: its promise is open again, and past due it counts as not kept, by its own entry.
  expect(after.supplier.reliability.evidence).toBe(3);
  const seqs = after.supplier.reliability.drivers.map((d: { entry: { seq: number } }) => d.entry.seq);
  expect(seqs).toContain(a.seq);
  expect(seqs).toContain(b.seq);
  expect(seqs).not.toContain(c.seq);
  for (const d of after.supplier.reliability.drivers) expect(d.standing).toBeNull();
  expect(after.supplier.reliability.negative).toBeCloseTo(before.supplier.reliability.negative, 1);
  expect(await node(ts.client, c.id, '... on LedgerEntry { status }')).toMatchObject({ status: 'VOIDED' });
});
