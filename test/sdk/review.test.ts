import type { ReviewItem } from '@trustledger/sdk';
import { beforeAll, afterAll, expect, it } from 'vitest';
import type { BatchEntry } from '../support/ledger.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { countingFetch, sdk } from './helpers.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const SUPPLIERS = 25;

let ts: TestServer;
/** Relationship id → what the supplier's history holds. */
const made = new Map<string, { name: string; open: number; overdue: number; resolved: number }>();

/**
 * The client firm buys from 25 suppliers with different records: supplier i kept i promises on
 * time; every fourth also broke one 10 days ago (a recent slip: Thawing); supplier 0 has no
 * promises (Unrated); some have an open promise, due ahead or already past due.
 */
beforeAll(async () => {
  ts = await startTestServer();
  const client = sdk(ts, ts.client);
  for (let i = 0; i < SUPPLIERS; i++) {
    const firm = await ts.firm(`Supplier ${String(i).padStart(2, '0')}`);
    const supplier = sdk(ts, firm);
    const { relationship } = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt: ago(200) });
    await client.relationships.accept({ relationshipId: relationship.id, occurredAt: ago(200) });
    const entries: BatchEntry[] = [];
    let seq = 2;
    const promise = (description: string, madeAgo: number, dueAgo: number) => {
      entries.push({ type: 'PROMISE_MADE', occurredAt: ago(madeAgo), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description, dueAt: ago(dueAgo) } });
      return ++seq;
    };
    for (let k = 0; k < i; k++) {
      const p = promise(`Order ${k}`, 150 - k, 120 - k);
      entries.push({ type: 'PROMISE_KEPT', occurredAt: ago(121 - k), payload: { promiseSeq: p } });
      seq++;
    }
    let resolved = i;
    if (i > 0 && i % 4 === 0) {
      const p = promise('Rush order', 40, 20);
      entries.push({ type: 'PROMISE_BROKEN', occurredAt: ago(10), payload: { promiseSeq: p, reason: 'No stock' } });
      seq++;
      resolved++;
    }
    let open = 0;
    let overdue = 0;
    if (i % 5 === 1) {
      promise('Next order', 5, -30);
      open++;
    }
    if (i % 5 === 2) {
      promise('Late order', 30, 3);
      open++;
      overdue++;
    }
    if (entries.length > 0) await supplier.entries.recordBatch({ relationshipId: relationship.id, entries: entries as never });
    made.set(relationship.id, { name: firm.name, open, overdue, resolved });
  }
});

afterAll(async () => {
  await ts?.close();
});

/** Banded first, then Provisional, then Unrated (null) whichever way the rest run; trust scores in order within each. */
function expectRanked(items: readonly ReviewItem[], direction: 1 | -1) {
  const tier = (i: ReviewItem) => (i.band === 'UNRATED' ? 2 : i.band === 'PROVISIONAL' ? 1 : 0);
  const tiers = items.map(tier);
  expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
  for (const t of [0, 1]) {
    const rated = items.filter((i) => tier(i) === t).map((i) => i.trustScore as number);
    for (let k = 1; k < rated.length; k++) expect((rated[k] - rated[k - 1]) * direction).toBeGreaterThanOrEqual(0);
  }
  expect(items.filter((i) => tier(i) === 2).every((i) => i.trustScore === null)).toBe(true);
}

it('lists every supplier across pages of 10, weakest first, Provisional after them, Unrated last, fetching lazily', async () => {
  const { fetch, calls } = countingFetch();
  const client = sdk(ts, ts.client, 'reader', { fetch });
  const review = client.review({ as: 'CLIENT', pageSize: 10 });
  expect(calls).toHaveLength(0); // nothing until iterated

  const pages: ReviewItem[][] = [];
  for await (const page of review.pages()) pages.push(page);
  expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
  expect(calls).toHaveLength(3);

  const items = pages.flat();
  expect(new Set(items.map((i) => i.relationship.id))).toEqual(new Set(made.keys()));
  // The first page is read at the server's now; the next ones at that same instant, one ranking.
  const asOfs = calls.map((c) => JSON.parse(c.body).variables.asOf);
  expect(asOfs).toEqual([undefined, items[0].scorecard.asOf, items[0].scorecard.asOf]);
  expect(new Set(items.map((i) => i.scorecard.asOf)).size).toBe(1);
  expectRanked(items, 1);
  expect(items.at(-1)).toMatchObject({ trustScore: null, band: 'UNRATED', counterparty: { name: 'Supplier 00' } });
  expect(items.filter((i) => i.trustScore === null)).toHaveLength(1);

  // Stopping early fetches no further page.
  calls.length = 0;
  for await (const item of client.review({ as: 'CLIENT', pageSize: 10 })) if (item) break;
  expect(calls).toHaveLength(1);
});

it('ranks strongest first with TRUST_SCORE_DESC, and each item carries its figures', async () => {
  const client = sdk(ts, ts.client, 'reader');
  const asOf = new Date().toISOString(); // one instant for the review and the scorecard it is compared with
  const items = await client.review({ as: 'CLIENT', orderBy: 'TRUST_SCORE_DESC', pageSize: 10, asOf }).toArray();
  expect(items).toHaveLength(SUPPLIERS);
  expectRanked(items, -1);
  expect(items.at(-1)?.band).toBe('UNRATED');

  for (const item of items) {
    const expected = made.get(item.relationship.id);
    expect(expected).toBeDefined();
    expect(item.counterparty.name).toBe(expected?.name);
    expect(item.relationship.viewerSide).toBe('CLIENT');
    expect({ open: item.openPromises, overdue: item.overduePromises }).toEqual({ open: expected?.open, overdue: expected?.overdue });
    expect(item.score.trustScore).toBe(item.trustScore);
    expect(item.score.band).toBe(item.band);
  }

  // The item is the supplier's side of the relationship's shared scorecard.
  const top = items[0];
  const card = await client.relationships.scorecard(top.relationship.id, { asOf });
  expect(top.trustScore).toBeCloseTo(card.supplier.trustScore ?? Number.NaN, 9);
  expect(top.stage).toBe(card.churn.stage);
  expect(top.score.reliability).toMatchObject({
    score: card.supplier.reliability.score,
    evidence: card.supplier.reliability.evidence,
    uncertainty: card.supplier.reliability.uncertainty,
  });
  expect(top.score.reliability.evidence).toBe(made.get(top.relationship.id)?.resolved);
});

it('filters by band and by churn stage, on the server, across pages', async () => {
  const client = sdk(ts, ts.client, 'reader');
  const all = await client.review({ as: 'CLIENT', pageSize: 100 }).toArray();

  const bands = [...new Set(all.map((i) => i.band))];
  expect(bands.length).toBeGreaterThan(1);
  // The band with the most suppliers, and Unrated: several pages of 2.
  const count = (b: string) => all.filter((i) => i.band === b).length;
  const wanted: ReviewItem['band'][] = [bands.sort((a, b) => count(b) - count(a))[0], 'UNRATED'];
  const byBand = await client.review({ as: 'CLIENT', bands: wanted, pageSize: 2 }).toArray();
  expect(byBand.length).toBeGreaterThan(2);
  expect(byBand.map((i) => i.relationship.id)).toEqual(all.filter((i) => wanted.includes(i.band)).map((i) => i.relationship.id));

  // A promise broken 10 days ago (every fourth supplier), or one left open past due (2, 7, 17,
  // 22: i % 5 === 2, past due more than the grace), is a recent slip: an early decline.
  const thawing = await client.review({ as: 'CLIENT', stages: ['THAWING'], pageSize: 2 }).toArray();
  expect(thawing.map((i) => i.counterparty.name).sort()).toEqual(
    ['02', '04', '07', '08', '12', '16', '17', '20', '22', '24'].map((n) => `Supplier ${n}`),
  );
  expect(thawing.every((i) => i.stage === 'THAWING')).toBe(true);
  expectRanked(thawing, 1);

  const both = await client.review({ as: 'CLIENT', stages: ['THAWING'], bands: ['UNRATED'] }).toArray();
  expect(both).toEqual([]);
});

it('reviews the other way round, and shows a firm only its own counterparties', async () => {
  const supplier = sdk(ts, await ts.firm('Lone Supplier'));
  const { relationship } = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt: ago(30) });
  await sdk(ts, ts.client).relationships.accept({ relationshipId: relationship.id, occurredAt: ago(30) });

  const clients = await supplier.review({ as: 'SUPPLIER' }).toArray();
  expect(clients).toHaveLength(1);
  expect(clients[0]).toMatchObject({ counterparty: { name: ts.client.name }, relationship: { id: relationship.id, viewerSide: 'SUPPLIER' }, band: 'UNRATED' });
  expect(await supplier.review({ as: 'CLIENT' }).toArray()).toEqual([]);
  expect(await sdk(ts, ts.outsider).review({ as: 'CLIENT' }).toArray()).toEqual([]);
});

it('passes asOf and changeDays through, and checks the page size before any request', async () => {
  const client = sdk(ts, ts.client, 'reader');
  // Before any promise was resolved every supplier is Unrated.
  const early = await client.review({ as: 'CLIENT', asOf: ago(190) }).toArray();
  expect(early.length).toBeGreaterThanOrEqual(SUPPLIERS);
  expect(early.every((i) => i.band === 'UNRATED')).toBe(true);

  // Over 100 days, suppliers rated then and now have a change; orderBy CHANGE_DESC ranks by it.
  // Within the banded ones, then within the provisional ones (which follow them).
  const byChange = await client.review({ as: 'CLIENT', orderBy: 'CHANGE_DESC', changeDays: 100 }).toArray();
  const banded = byChange.filter((i) => i.band !== 'PROVISIONAL' && i.band !== 'UNRATED');
  expect(byChange.slice(0, banded.length)).toEqual(banded);
  const changes = banded.map((i) => i.change).filter((c): c is number => c !== null);
  expect(changes.length).toBeGreaterThan(0);
  expect([...changes].sort((a, b) => b - a)).toEqual(changes);

  expect(() => client.review({ as: 'CLIENT', pageSize: 101 })).toThrow(RangeError);
  await expect(client.review({ as: 'CLIENT', changeDays: 0 }).toArray()).rejects.toThrow(/changeDays/);
});
