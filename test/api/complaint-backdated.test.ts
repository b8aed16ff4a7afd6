/**
 * DESIGN §2a "Notice is judged by the server's clock: recordedAt is the only time the other side
 * could see". A complaint its complainant records late and dates back cannot have been answered
 * before it was recorded: its first-response and resolution deadlines start when it was recorded,
 * unless the side complained against vouches for its date (records it itself, or confirms it).
 * Served figures equal the SDK's recomputation.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { must } from '../support/api.ts';
import { fetchLedger } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CARD = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf supplier { medianFirstResponseHours responsiveness { score positive negative drivers { reason } } } } } } }`;

async function responsiveness(firm: TestFirm, rel: string) {
  const card = ok(await firm.gql(CARD, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: card.asOf });
  expect(card.supplier.responsiveness.positive).toBeCloseTo(local.supplier.responsiveness.positive, 9);
  expect(card.supplier.responsiveness.negative).toBeCloseTo(local.supplier.responsiveness.negative, 9);
  expect(card.supplier.medianFirstResponseHours).toEqual(local.supplier.medianFirstResponseHours);
  return { median: card.supplier.medianFirstResponseHours as number | null, ...card.supplier.responsiveness };
}

/** A complaint recorded now by `by`, dated ten days back; the supplier answers 2 hours after it was recorded and resolves it the next day. */
async function lateComplaint(vouched: 'recordedBySupplier' | 'confirmedBySupplier' | 'no') {
  const t0 = Date.now();
  const clock = testClock(t0);
  const ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, new Date(t0 - 60 * DAY).toISOString());
  const by = vouched === 'recordedBySupplier' ? ts.supplier : ts.client;
  const complaint = await must(by, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'Invoice wrong since March', occurredAt: new Date(t0 - 10 * DAY).toISOString() }, 'interaction { id } entry { id }');
  if (vouched === 'confirmedBySupplier') await must(ts.supplier, 'confirmEntry', { entryId: complaint.entry.id });
  clock.at(t0 + 2 * HOUR);
  await must(ts.supplier, 'respondToComplaint', { interactionId: complaint.interaction.id, note: 'Looking into it' });
  clock.at(t0 + DAY);
  await must(ts.supplier, 'resolveComplaint', { interactionId: complaint.interaction.id, note: 'Credit note sent' });
  clock.at(t0 + 2 * DAY);
  return { ts, card: await responsiveness(ts.client, rel) };
}

test('a complaint recorded ten days after its date, answered two hours after it was recorded, is an answer in two hours', async () => {
  const { ts, card } = await lateComplaint('no');
  await using _ = ts;
  expect(card.median).toBe(2);
  expect(card.negative).toBe(0);
  expect(card.positive).toBeGreaterThan(0);
});

test('the side complained against vouches for the date by recording the complaint itself or confirming it: then the answer was ten days late', async () => {
  for (const vouched of ['recordedBySupplier', 'confirmedBySupplier'] as const) {
    const { ts, card } = await lateComplaint(vouched);
    await using _ = ts;
    expect(card.median).toBeGreaterThan(24 * 9);
    expect(card.negative).toBeGreaterThan(0);
    expect(card.drivers.map((d: { reason: string }) => d.reason).join(' ')).toMatch(/unanswered for more than 24 hours|over the 24-hour limit/);
  }
});
