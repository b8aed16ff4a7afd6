/**
 * DESIGN §2a "Self-serving evidence is a claim until the other side attests it", for the churn
 * stage: the client's own signals (its orders, its positive contacts, its satisfaction pulses)
 * recorded by the supplier would quiet the client's churn stage on the supplier's word alone. They
 * are CLAIMED, and the churn detector does not hear them until the client confirms them or the
 * attestation window (7 days) passes undisputed. The client's own records count at once; served
 * figures equal the SDK's recomputation from the verified ledger.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { expect, test } from 'vitest';
import { must, node } from '../support/api.ts';
import { fetchLedger, record, type BatchEntry } from '../support/ledger.ts';
import { activeRelationship, ok, startTestServer, type TestFirm, testClock } from '../support/server.ts';

const DAY = 86_400_000;
const CHURN = `query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { asOf churn { stage signals { name } } } } } }`;

async function churn(firm: TestFirm, rel: string) {
  const served = ok(await firm.gql(CHURN, { id: rel })).node.scorecard;
  const local = computeScorecard(await fetchLedger(firm, rel), { asOf: served.asOf });
  expect(served.churn.stage).toBe(local.churn.stage);
  expect(served.churn.signals.map((s: { name: string }) => s.name)).toEqual(local.churn.signals.map((s) => s.name));
  return served.churn as { stage: string; signals: { name: string }[] };
}

const interaction = (at: number, kind: string, extra: Record<string, unknown> = {}): BatchEntry => ({
  type: 'INTERACTION_RECORDED',
  occurredAt: new Date(at).toISOString(),
  payload: { kind, initiatedBy: 'CLIENT', ...extra },
});

/** A client that ordered five times a week and called every 6 days for 300 days, then went quiet 60 days ago. */
function busyThenQuiet(now: number): BatchEntry[] {
  const out: BatchEntry[] = [];
  for (let d = 360; d > 60; d -= 7 / 5) out.push(interaction(now - d * DAY, 'ACTIVITY', { volume: 40 }));
  for (let d = 357; d > 60; d -= 6) out.push(interaction(now - d * DAY, 'POSITIVE_CONTACT', { note: 'thanks' }));
  for (let d = 345; d > 60; d -= 30) out.push(interaction(now - d * DAY, 'SATISFACTION', { score: 4 }));
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/** The client's orders, calls and a pulse of 5 over the last 30 days. */
function goodMonth(now: number): BatchEntry[] {
  const out: BatchEntry[] = [];
  for (let d = 30; d > 0; d -= 7 / 5) out.push(interaction(now - d * DAY, 'ACTIVITY', { volume: 40 }));
  for (let d = 29; d > 0; d -= 3) out.push(interaction(now - d * DAY, 'POSITIVE_CONTACT', { note: 'great week' }));
  out.push(interaction(now - 10 * DAY, 'SATISFACTION', { score: 5 }));
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/** Every entry of the ledger with its kind and attestation, in seq order. */
async function entries(firm: TestFirm, rel: string): Promise<{ id: string; seq: number; kind?: string; actor: string; attestation: string }[]> {
  const out: { id: string; seq: number; kind?: string; actor: string; attestation: string }[] = [];
  let after: string | null = null;
  for (;;) {
    const conn: any = ok(
      await firm.gql(`query($id: ID!, $after: String) { node(id: $id) { ... on Relationship { ledger(first: 100, after: $after) { edges { node { id seq payload actor { name } attestation } } pageInfo { hasNextPage endCursor } } } } }`, {
        id: rel,
        after,
      }),
    ).node.ledger;
    for (const { node: e } of conn.edges) out.push({ id: e.id, seq: e.seq, kind: e.payload.kind, actor: e.actor.name, attestation: e.attestation });
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}

test("the client's orders, calls and pulses recorded by the supplier are claims: they quiet the churn stage only once attested or 7 days undisputed", async () => {
  const now = Date.now();
  const clock = testClock(now);
  await using ts = await startTestServer({ now: clock.now });
  const start = new Date(now - 400 * DAY).toISOString();
  const told = await activeRelationship(ts, start);
  const client2 = await ts.firm('Second client');
  const own = await activeRelationship({ supplier: ts.supplier, client: client2 }, start);
  await record(ts.client, told, busyThenQuiet(now));
  await record(client2, own, busyThenQuiet(now));
  const quiet = await churn(ts.client, told);
  expect(quiet.stage).not.toBe('STABLE');

  // The same good month: recorded by the client itself it speaks at once; told by the supplier, not yet.
  await record(client2, own, goodMonth(now));
  expect((await churn(client2, own)).stage).not.toBe(quiet.stage);
  await record(ts.supplier, told, goodMonth(now));
  expect(await churn(ts.client, told)).toEqual(quiet);
  expect(await churn(ts.supplier, told)).toEqual(quiet);
  const claimed = (await entries(ts.client, told)).filter((e) => e.actor === ts.supplier.name && e.kind !== undefined);
  expect(claimed.length).toBe(goodMonth(now).length);
  for (const e of claimed) expect(e.attestation).toBe('CLAIMED');
  for (const e of (await entries(client2, own)).filter((x) => x.kind !== undefined)) expect(e.attestation).toBe('NOT_NEEDED');

  // Six days later still claimed and unheard; past the window, undisputed, they count as the client's own.
  clock.at(now + 6 * DAY);
  expect((await churn(ts.client, told)).stage).toBe(quiet.stage);
  expect(await node(ts.client, claimed[0].id, '... on LedgerEntry { attestation }')).toEqual({ __typename: 'LedgerEntry', attestation: 'CLAIMED' });
  clock.at(now + 8 * DAY);
  expect(await node(ts.client, claimed[0].id, '... on LedgerEntry { attestation }')).toEqual({ __typename: 'LedgerEntry', attestation: 'ATTESTED' });
  expect(await churn(ts.client, told)).toEqual(await churn(client2, own));
});

test('confirmed by the client, a told signal is ATTESTED and heard at once; disputed, it is not heard', async () => {
  const now = Date.now();
  const clock = testClock(now);
  await using ts = await startTestServer({ now: clock.now });
  const start = new Date(now - 400 * DAY).toISOString();
  const rel = await activeRelationship(ts, start);
  const client2 = await ts.firm('Second client');
  const own = await activeRelationship({ supplier: ts.supplier, client: client2 }, start);
  await record(ts.client, rel, busyThenQuiet(now));
  await record(client2, own, busyThenQuiet(now));
  const quiet = await churn(ts.client, rel);
  await record(ts.supplier, rel, goodMonth(now));
  // The client disputes the orders it never placed and confirms the calls and the pulse.
  const claimed = (await entries(ts.client, rel)).filter((e) => e.attestation === 'CLAIMED');
  expect(claimed.length).toBe(goodMonth(now).length);
  for (const e of claimed) {
    if (e.kind === 'ACTIVITY') await must(ts.client, 'disputeEntry', { entryId: e.id, reason: 'We placed no such order' });
    else await must(ts.client, 'confirmEntry', { entryId: e.id });
  }
  const after = await entries(ts.client, rel);
  for (const e of claimed) expect(after.find((x) => x.id === e.id)?.attestation).toBe(e.kind === 'ACTIVITY' ? 'CLAIMED' : 'ATTESTED');
  // Heard as if the client had recorded the calls and the pulse itself, and not the orders.
  await record(client2, own, goodMonth(now).filter((e) => e.payload.kind !== 'ACTIVITY'));
  const attested = await churn(ts.client, rel);
  expect(attested).toEqual(await churn(client2, own));
  expect(attested).not.toEqual(quiet);
});
