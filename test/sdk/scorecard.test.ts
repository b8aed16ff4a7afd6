import { type FetchLike, type Scorecard, VerificationError, verifyScorecard } from '@trustledger/sdk';
import { computeScorecard, type Scorecard as EngineScorecard } from '@trustledger/sdk/scorecard';
import { expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { activePair, sdk } from './helpers.ts';

const AS_OF = '2026-06-01T00:00:00.000Z';

async function recordHistory(ts: TestServer) {
  const pair = await activePair(ts, '2026-01-05T09:00:00Z');
  const { supplier, client, relationshipId } = pair;
  for (let i = 0; i < 4; i++) {
    const { promise } = await supplier.promises.make({
      relationshipId,
      promisor: 'SUPPLIER',
      kind: 'DELIVERY',
      description: `Delivery ${i}`,
      dueAt: `2026-0${i + 2}-10T00:00:00Z`,
      occurredAt: `2026-0${i + 1}-20T00:00:00Z`,
    });
    if (i === 3) await supplier.promises.break({ promiseId: promise.id, reason: 'factory fire', occurredAt: '2026-05-12T00:00:00Z' });
    else await supplier.promises.keep({ promiseId: promise.id, occurredAt: `2026-0${i + 2}-09T00:00:00Z` });
  }
  const { interaction } = await client.interactions.record({ relationshipId, kind: 'COMPLAINT', initiatedBy: 'CLIENT', occurredAt: '2026-05-13T00:00:00Z' });
  await supplier.interactions.respond({ interactionId: interaction.id, occurredAt: '2026-05-13T06:00:00Z' });
  for (let m = 1; m <= 5; m++)
    await client.interactions.record({ relationshipId, kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 100 - m * 10, occurredAt: `2026-0${m}-15T00:00:00Z` });
  return pair;
}

it('serves the scorecard, and with verify: true recomputes it from the verified ledger', async () => {
  await using ts = await startTestServer({ now: () => '2026-06-01T00:00:00.000Z' });
  const { client, relationshipId } = await recordHistory(ts);
  const card = await client.relationships.scorecard(relationshipId, { asOf: AS_OF, verify: true });
  expect(card.asOf).toBe(AS_OF);
  expect(card.supplier.reliability.evidence).toBe(4);
  expect(card.supplier.trustScore).not.toBeNull();
  expect(card.head).toEqual((await client.relationships.get(relationshipId)).head);

  const series = await client.relationships.scorecardSeries(relationshipId, ['2026-03-01T00:00:00Z', AS_OF]);
  expect(series.map((c) => c.asOf)).toEqual(['2026-03-01T00:00:00.000Z', AS_OF]);
  expect(series[1].supplier.trustScore).toBe(card.supplier.trustScore);
});

it('throws VerificationError naming the first figure a server got wrong', async () => {
  await using ts = await startTestServer({ now: () => '2026-06-01T00:00:00.000Z' });
  const { relationshipId } = await recordHistory(ts);
  // A server (or a proxy) that inflates the supplier's trust score.
  const inflating: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (!String(init.body).includes('query Scorecard')) return response;
    const body = (await response.json()) as { data: { node: { scorecard: { supplier: { trustScore: number } } } } };
    body.data.node.scorecard.supplier.trustScore += 5;
    return Response.json(body);
  };
  const client = sdk(ts, ts.client, 'reader', { fetch: inflating });
  const unverified = await client.relationships.scorecard(relationshipId, { asOf: AS_OF });
  expect(unverified.supplier.trustScore).toBeGreaterThan(0);
  const error = await client.relationships.scorecard(relationshipId, { asOf: AS_OF, verify: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).message).toMatch(/supplier\.trustScore/);
  expect((error as VerificationError).path).toEqual(['supplier', 'trustScore']);
});

it('throws VerificationError at the tampered seq when the ledger behind a scorecard does not verify', async () => {
  await using ts = await startTestServer({ now: () => '2026-06-01T00:00:00.000Z' });
  const { relationshipId } = await recordHistory(ts);
  const tampering: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (!String(init.body).includes('query LedgerPage')) return response;
    const body = (await response.json()) as { data: { node: { ledger: { edges: { node: { seq: number; payload: Record<string, unknown> } }[] } } } };
    for (const { node } of body.data.node.ledger.edges) if (node.seq === 4) node.payload = { ...node.payload, description: 'Something else' };
    return Response.json(body);
  };
  const error = await sdk(ts, ts.client, 'reader', { fetch: tampering })
    .relationships.scorecard(relationshipId, { asOf: AS_OF, verify: true })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).seq).toBe(4);
});

/** The engine's scorecard in the API's shape (drivers name their entry). */
const asServed = (card: EngineScorecard): Scorecard => {
  const party = (p: EngineScorecard['supplier']) => {
    const dim = (d: EngineScorecard['supplier']['reliability']) => ({ ...d, drivers: d.drivers.map(({ entrySeq, ...x }) => ({ ...x, entry: { seq: entrySeq } })) });
    return { ...p, reliability: dim(p.reliability), transparency: dim(p.transparency), responsiveness: dim(p.responsiveness), goalAttainment: dim(p.goalAttainment) };
  };
  return { ...card, supplier: party(card.supplier), client: party(card.client) } as Scorecard;
};

it('verifyScorecard accepts what the engine computes from a real ledger and names the first altered figure', async () => {
  await using ts = await startTestServer({ now: () => '2026-06-01T00:00:00.000Z' });
  const { client, relationshipId } = await recordHistory(ts);
  const entries = await client.relationships.ledgerEntries(relationshipId);
  const served = asServed(computeScorecard(entries, { asOf: AS_OF }));
  expect(served.supplier.reliability.evidence).toBe(4);
  await expect(verifyScorecard(served, entries)).resolves.toBeUndefined();

  const lowerBand = { ...served, client: { ...served.client, band: served.client.band === 'CRITICAL' ? 'TRUSTED' : 'CRITICAL' } } as Scorecard;
  await expect(verifyScorecard(lowerBand, entries)).rejects.toThrow(/client\.band/);
  const fewer = { ...served, supplier: { ...served.supplier, reliability: { ...served.supplier.reliability, evidence: 3 } } };
  await expect(verifyScorecard(fewer, entries)).rejects.toMatchObject({ path: ['supplier', 'reliability', 'evidence'] });
  const nudged = { ...served, supplier: { ...served.supplier, confidence: served.supplier.confidence + 1e-6 } };
  await expect(verifyScorecard(nudged, entries)).rejects.toBeInstanceOf(VerificationError);
  const stage = { ...served, churn: { ...served.churn, stage: served.churn.stage === 'LOST' ? 'STABLE' : 'LOST' } } as Scorecard;
  await expect(verifyScorecard(stage, entries)).rejects.toThrow(/churn\.stage/);
  // a scorecard from a head the ledger does not contain
  await expect(verifyScorecard({ ...served, head: { seq: served.head.seq, hash: 'f'.repeat(64) } }, entries)).rejects.toThrow(/not in the ledger/);
});
