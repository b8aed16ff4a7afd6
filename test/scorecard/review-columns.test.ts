/**
 * The review served from stored figures (ordered, filtered and paged in SQL) equals the review a
 * procurement lead would compute: every relationship's scorecard recomputed by the SDK from its
 * ledger at the same asOf, ranked by the counterparty's trust score (Provisional after the banded,
 * Unrated last, ties by relationship), filtered by band and stage, page after page. Writes that count at or before the
 * review's instant show at once; writes after it do not change it.
 */
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BatchEntry, fetchLedger, record } from '../support/ledger.ts';
import { ok, startTestServer, type TestFirm, type TestServer } from '../support/server.ts';
import { mulberry32 as rng } from '../../packages/sdk/src/scorecard/testing.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:30.000Z');
const INSTANT = '2026-06-15T12:00:00.000Z'; // NOW rounded down to the default refresh interval (60 s)
const iso = (ms: number) => new Date(ms).toISOString();
const ago = (days: number) => iso(NOW - days * DAY);

const REVIEW = `query($first: Int!, $after: String, $order: ReviewOrder, $bands: [TrustBand!], $stages: [ChurnStage!], $asOf: DateTime) {
  viewer { review(as: CLIENT, first: $first, after: $after, orderBy: $order, bands: $bands, stages: $stages, asOf: $asOf) {
    pageInfo { hasNextPage endCursor }
    edges { node { relationship { id } trustScore band stage scorecard { asOf supplier { trustScore } } } } } } }`;

let ts: TestServer;
const rels: string[] = [];
const suppliers: TestFirm[] = [];

/** A history of promises (kept, late, broken, open), complaints and contacts, drawn from `seed`. */
function history(seed: number): BatchEntry[] {
  const r = rng(seed);
  const out: BatchEntry[] = [];
  let seq = 2;
  const n = Math.floor(r() * 8);
  for (let k = 0; k < n; k++) {
    const made = 150 - k * 15 - Math.floor(r() * 10);
    out.push({ type: 'PROMISE_MADE', occurredAt: ago(made), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `Order ${k}`, dueAt: ago(made - 7) } });
    const p = ++seq;
    const fate = r();
    if (fate < 0.5) out.push({ type: 'PROMISE_KEPT', occurredAt: ago(made - 6), payload: { promiseSeq: p } });
    else if (fate < 0.7) out.push({ type: 'PROMISE_KEPT', occurredAt: ago(made - 12), payload: { promiseSeq: p } });
    else if (fate < 0.9) out.push({ type: 'PROMISE_BROKEN', occurredAt: ago(made - 8), payload: { promiseSeq: p, reason: 'No stock' } });
    else continue; // left open: lapsed by now
    seq++;
  }
  if (r() < 0.4) {
    out.push({ type: 'INTERACTION_RECORDED', occurredAt: ago(20), payload: { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'late' } });
    seq++;
    if (r() < 0.5) out.push({ type: 'COMPLAINT_RESPONDED', occurredAt: ago(19.5), payload: { interactionSeq: seq } });
  }
  return out;
}

beforeAll(async () => {
  ts = await startTestServer({ now: () => iso(NOW) });
  // Sixteen suppliers; two pairs share a history (equal scores: ties go by relationship), two have none (Unrated).
  for (let i = 0; i < 16; i++) {
    const firm: TestFirm = await ts.firm(`Supplier ${i}`);
    const proposed = ok(
      await firm.gql(`mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }`, {
        i: { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt: ago(200) },
      }),
      'proposeRelationship',
    );
    const id = proposed.relationship.id as string;
    ok(await ts.client.gql(`mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }`, { i: { relationshipId: id, occurredAt: ago(200) } }), 'acceptRelationship');
    const entries = i < 2 ? [] : history(i === 3 ? 2 : i === 5 ? 4 : i);
    if (entries.length) await record(firm, id, entries);
    rels.push(id);
    suppliers.push(firm);
  }
});
afterAll(() => ts?.close());

/** Every page of a review, following the cursors. */
async function allPages(variables: Record<string, unknown>, first = 4) {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = ok(await ts.client.gql(REVIEW, { ...variables, first, after }, 'reader')).viewer.review;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** The review a person would compute: each scorecard from the ledger at asOf, ranked, filtered. */
async function computed(asOf: string, order: 'TRUST_SCORE_ASC' | 'TRUST_SCORE_DESC', bands?: string[], stages?: string[]) {
  const rows = [];
  for (const id of rels) {
    const card = computeScorecard(await fetchLedger(ts.client, id), { asOf });
    rows.push({ id, trustScore: card.supplier.trustScore, band: card.supplier.band as string, stage: card.churn.stage as string });
  }
  const dir = order === 'TRUST_SCORE_DESC' ? -1 : 1;
  const rawId = (id: string) => Buffer.from(id, 'base64').toString('utf8');
  return rows
    .filter((r) => (!bands || bands.includes(r.band)) && (!stages || stages.includes(r.stage)))
    .sort((a, b) => {
      // Banded first, then Provisional, then Unrated (DESIGN §3).
      const tier = (r: { band: string }) => (r.band === 'UNRATED' ? 2 : r.band === 'PROVISIONAL' ? 1 : 0);
      if (tier(a) !== tier(b)) return tier(a) - tier(b);
      if (a.trustScore === b.trustScore) return rawId(a.id) < rawId(b.id) ? -1 : 1;
      if (a.trustScore === null) return 1;
      if (b.trustScore === null) return -1;
      return (a.trustScore - b.trustScore) * dir;
    });
}

function expectSame(served: any[], expected: Awaited<ReturnType<typeof computed>>) {
  expect(served.map((n) => n.relationship.id)).toEqual(expected.map((r) => r.id));
  served.forEach((n, k) => {
    expect(n.scorecard.asOf).toBe(INSTANT);
    expect(n.band).toBe(expected[k].band);
    expect(n.stage).toBe(expected[k].stage);
    if (expected[k].trustScore === null) expect(n.trustScore).toBeNull();
    else expect(n.trustScore).toBeCloseTo(expected[k].trustScore as number, 9);
    expect(n.scorecard.supplier.trustScore).toBe(n.trustScore);
  });
}

test('a review without asOf is as of the refresh instant, and ranks and pages exactly as the recomputed scorecards do', async () => {
  const expectedAsc = await computed(INSTANT, 'TRUST_SCORE_ASC');
  expect(new Set(expectedAsc.map((r) => r.band)).size).toBeGreaterThan(2); // the data spreads over bands
  expectSame(await allPages({}), expectedAsc);
  expectSame(await allPages({ order: 'TRUST_SCORE_DESC' }, 3), await computed(INSTANT, 'TRUST_SCORE_DESC'));
  // The same instant named explicitly (as the SDK does for later pages) gives the same pages.
  expectSame(await allPages({ asOf: INSTANT }, 5), expectedAsc);
});

test('band and stage filters from the stored figures equal filtering the recomputed review', async () => {
  const all = await computed(INSTANT, 'TRUST_SCORE_ASC');
  const band = all.find((r) => r.band !== 'UNRATED')?.band as string;
  expectSame(await allPages({ bands: [band, 'UNRATED'] }, 2), await computed(INSTANT, 'TRUST_SCORE_ASC', [band, 'UNRATED']));
  const stage = all[all.length - 1].stage;
  expectSame(await allPages({ stages: [stage], order: 'TRUST_SCORE_DESC' }, 2), await computed(INSTANT, 'TRUST_SCORE_DESC', undefined, [stage]));
});

test('a back-dated write shows in the next review at once; an entry after the instant leaves it unchanged', async () => {
  const before = await allPages({});
  // The strongest supplier records a broken promise (recorded now, dated before the instant): it must fall.
  const top = before.filter((n) => n.trustScore !== null).at(-1);
  const supplier = suppliers[rels.indexOf(top.relationship.id)];
  const seq = (await fetchLedger(ts.client, top.relationship.id)).length + 1;
  await record(supplier, top.relationship.id, [
    { type: 'PROMISE_MADE', occurredAt: ago(30), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Rush order', dueAt: ago(25) } },
    { type: 'PROMISE_BROKEN', occurredAt: ago(2), payload: { promiseSeq: seq, reason: 'No stock' } },
    // Dated after the instant: it counts in later reviews, not in this one.
    { type: 'PROMISE_MADE', occurredAt: iso(Date.parse(INSTANT) + 10_000), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Next', dueAt: ago(-30) } },
  ]);
  const after = await allPages({});
  expectSame(after, await computed(INSTANT, 'TRUST_SCORE_ASC'));
  const moved = after.find((n) => n.relationship.id === top.relationship.id);
  expect(moved.trustScore).toBeLessThan(top.trustScore);
});

test('a relationship accepted since the instant is in the review at once, scored as its scorecard at the instant', async () => {
  const SCORE = `query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $asOf) { asOf supplier { trustScore band } churn { stage } } } } }`;
  const newcomer = await ts.firm('Newcomer Supplies');
  const proposed = ok(
    await newcomer.gql(`mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }`, {
      i: { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' },
    }),
    'proposeRelationship',
  );
  const id = proposed.relationship.id as string;
  // Accepted now (30 s after the instant), then a history brought in with its business times (an import).
  ok(await ts.client.gql(`mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }`, { i: { relationshipId: id } }), 'acceptRelationship');
  await record(newcomer, id, [
    { type: 'PROMISE_MADE', occurredAt: ago(40), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Imported order', dueAt: ago(30) } },
    { type: 'PROMISE_BROKEN', occurredAt: ago(29), payload: { promiseSeq: 3, reason: 'No stock' } },
  ]);
  const expected = ok(await ts.client.gql(SCORE, { id, asOf: INSTANT }), 'node').scorecard;
  expect(expected.supplier.trustScore).not.toBeNull();
  for (const variables of [{}, { order: 'TRUST_SCORE_DESC' }, { asOf: INSTANT }, { order: 'CHANGE_ASC' }]) {
    const found = (await allPages(variables, 5)).find((n) => n.relationship.id === id);
    expect(found, JSON.stringify(variables)).toBeDefined();
    expect(found.scorecard.asOf).toBe(INSTANT);
    expect(found.trustScore).toBe(expected.supplier.trustScore);
    expect(found.band).toBe(expected.supplier.band);
    expect(found.stage).toBe(expected.churn.stage);
  }
  // The ranking stays the recomputed one, with the newcomer in its place.
  rels.push(id);
  suppliers.push(newcomer);
  expectSame(await allPages({}), await computed(INSTANT, 'TRUST_SCORE_ASC'));
  // A review pinned at an earlier asOf still leaves out what was accepted after it.
  const earlier = await allPages({ asOf: iso(Date.parse(INSTANT) - 60_000) });
  expect(earlier.map((n) => n.relationship.id)).not.toContain(id);
});
