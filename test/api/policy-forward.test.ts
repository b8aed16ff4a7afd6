/**
 * DESIGN §2a "A policy applies from its acceptance forward; evidence before it keeps the policy
 * then in force", through the API: the case (a 4-hour response policy accepted on day 365
 * must not change the scorecard as of day 360, nor judge the year's complaints answered in 10 h
 * by a rule that did not exist yet) and the rest of its kind (a grace period agreed later does not
 * re-judge promises made before it). Served figures equal the SDK's recomputation.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { must } from '../support/api.ts';
import { fetchLedger, record, type BatchEntry } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const CARD = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $asOf) { asOf
  supplier { trustScore band responsiveness { score positive negative evidence } reliability { score negative } } } } } }`;

async function card(firm: TestFirm, rel: string, asOf?: string) {
  const served = ok(await firm.gql(CARD, { id: rel, asOf })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: served.asOf });
  expect(served.supplier.trustScore).toBeCloseTo(local.supplier.trustScore as number, 9);
  expect(served.supplier.responsiveness.negative).toBeCloseTo(local.supplier.responsiveness.negative, 9);
  return served.supplier;
}

test('a 4-hour response policy accepted on day 365 judges only complaints raised after it: the scorecard as of day 360 and the year before it do not change', async () => {
  const day0 = Date.now() - 366 * DAY;
  const clock = testClock(day0 + 365 * DAY);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, iso(day0 - DAY));
  // Twelve complaints over the year, each answered in 10 hours and resolved within two days, as the
  // client (the complainant) records them: well within the 24-hour policy then in force.
  const year: BatchEntry[] = [];
  for (let i = 0; i < 12; i++) {
    const at = day0 + (5 + i * 29) * DAY;
    const seq = 3 + i * 3;
    year.push({ type: 'INTERACTION_RECORDED', occurredAt: iso(at), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: `complaint ${i + 1}` } });
    year.push({ type: 'COMPLAINT_RESPONDED', occurredAt: iso(at + 10 * HOUR), payload: { interactionSeq: seq } });
    year.push({ type: 'COMPLAINT_RESOLVED', occurredAt: iso(at + 2 * DAY), payload: { interactionSeq: seq } });
  }
  await record(ts.client, rel, year);
  const day360 = iso(day0 + 360 * DAY);
  const before360 = await card(ts.client, rel, day360);
  const beforeNow = await card(ts.client, rel);
  expect(before360.band).toBe('TRUSTED');
  expect(beforeNow.responsiveness.negative).toBe(0);

  // Both sides agree a 4-hour first response on day 365.
  const proposed = await must(ts.supplier, 'proposePolicy', { relationshipId: rel, policy: { firstResponseHours: 4 } }, 'policy { id }');
  await must(ts.client, 'acceptPolicy', { policyId: proposed.policy.id });

  // Asked again on day 366: the figure as of day 360 is the same, and so is the year's evidence today.
  clock.at(day0 + 366 * DAY);
  expect(await card(ts.client, rel, day360)).toEqual(before360);
  const after = await card(ts.client, rel, iso(day0 + 365 * DAY)); // the instant beforeNow was read at
  expect(after.responsiveness).toEqual(beforeNow.responsiveness);
  expect(after.trustScore).toBeCloseTo(beforeNow.trustScore, 9);

  // A complaint raised after the acceptance and answered in 10 hours is late under the new rule.
  const at = day0 + 365.2 * DAY;
  await record(ts.client, rel, [
    { type: 'INTERACTION_RECORDED', occurredAt: iso(at), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'after the new policy' } },
    { type: 'COMPLAINT_RESPONDED', occurredAt: iso(at + 10 * HOUR), payload: { interactionSeq: 3 + 36 + 2 } },
  ]);
  const later = await card(ts.client, rel);
  expect(later.responsiveness.negative).toBeGreaterThan(0);
  expect(later.responsiveness.score).toBeLessThan(after.responsiveness.score);
});

test('a longer grace period agreed later does not re-judge a promise made before it', async () => {
  const day0 = Date.now() - 100 * DAY;
  const clock = testClock(day0 + 90 * DAY);
  await using ts = await startTestServer({ now: clock.now });
  const rel = await activeRelationship(ts, iso(day0 - DAY));
  // A delivery due on day 10, never kept: past due + 1 day of grace it counts as broken.
  const p = await must(ts.supplier, 'makePromise', { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: iso(day0 + 10 * DAY), occurredAt: iso(day0) }, 'promise { id }');
  void p;
  const before = await card(ts.client, rel);
  expect(before.reliability.negative).toBeGreaterThan(0);
  // On day 90 both sides agree 200 days of grace: the overdue delivery made before stays broken.
  const proposed = await must(ts.client, 'proposePolicy', { relationshipId: rel, policy: { graceDays: 200 } }, 'policy { id }');
  await must(ts.supplier, 'acceptPolicy', { policyId: proposed.policy.id });
  const after = await card(ts.client, rel);
  expect(after.reliability).toEqual(before.reliability);
});
