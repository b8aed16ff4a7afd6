/**
 * Work-proportional cost (issue 11): a field's cost reflects the scoring it computes — a
 * scorecard at a past asOf folds the ledger, a series folds it once for all its points — and a
 * request over the budget gets LIMIT_EXCEEDED with the figure and the limit, before the work runs.
 * Scorecards at a past asOf are cached, so asking again costs nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { must } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

const ENTRIES = 3000;
let ts: TestServer;
let rel: string;
beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts, '2025-01-01T00:00:00Z');
  const start = Date.parse('2025-01-02T00:00:00Z');
  for (let batch = 0; batch * 100 < ENTRIES - 2; batch++)
    await must(ts.supplier, 'recordEntries', {
      relationshipId: rel,
      entries: Array.from({ length: Math.min(100, ENTRIES - 2 - batch * 100) }, (_, i) => ({
        type: 'INTERACTION_RECORDED',
        occurredAt: new Date(start + (batch * 100 + i) * 3_600_000).toISOString(),
        payload: { kind: i % 7 === 0 ? 'NEGATIVE_CONTACT' : 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' },
      })),
    });
}, 300_000);
afterAll(() => ts?.close());

/** 100 points spread over the ledger's time span: all before its latest entry. */
const points = Array.from({ length: 100 }, (_, i) => new Date(Date.parse('2025-01-02T00:00:00Z') + i * 29 * 3_600_000).toISOString());

const series = (n: number) =>
  `query($id: ID!, $points: [DateTime!]!) { ${Array.from({ length: n }, (_, i) => `s${i}: node(id: $id) { ... on Relationship { scorecardSeries(points: $points) { asOf supplier { trustScore } } } }`).join(' ')} }`;

test('a series folds its ledger once for all its points: 15 aliases of a 100-point series over a 3,000-entry ledger are served', async () => {
  const data = ok(await ts.client.gql(series(15), { id: rel, points }, 'reader'));
  expect(Object.keys(data)).toHaveLength(15);
  for (const v of Object.values(data) as { scorecardSeries: unknown[] }[]) expect(v.scorecardSeries).toHaveLength(100);
});

test('series beyond the budget are refused with the figure and the limit: one pass per series, plus a snapshot per point', async () => {
  // 100 copies of the relationship through nodes(ids:), each asking for a 100-point series.
  const query = `query($ids: [ID!]!, $points: [DateTime!]!) { nodes(ids: $ids) { ... on Relationship { scorecardSeries(points: $points) { asOf } } } }`;
  const res = await ts.client.gql(query, { ids: Array(100).fill(rel), points }, 'reader');
  const refusals = res.errors ?? [];
  expect(refusals.length).toBeGreaterThan(0);
  for (const e of refusals) {
    expect(e.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/asks for [\d,]+ ledger entries of scoring work \(this field: scorecardSeries: one pass over 3,000 entries \+ 100 points × 150\); the limit is 1,000,000 a request/);
  }
  // Each series costs its ledger once plus 150 a point (README): as many as fit are served, nothing beyond.
  const served = (res.data?.nodes as unknown[]).filter((v) => v !== null);
  expect(served.length).toBe(Math.floor(1_000_000 / (ENTRIES + 100 * 150)));
  expect(served.length + refusals.length).toBe(100);
});

test('one such series is within the budget and its points come back in the order asked', async () => {
  const data = ok(await ts.client.gql(series(1), { id: rel, points: [...points].reverse() }, 'reader'));
  expect(data.s0.scorecardSeries.map((c: { asOf: string }) => c.asOf)).toEqual([...points].reverse().map((p) => new Date(p).toISOString()));
});

test('the cost of a series grows with the ledger: the same points over a short ledger cost next to nothing', async () => {
  const short = await activeRelationship(ts, '2025-01-01T00:00:00Z');
  const data = ok(await ts.client.gql(series(15), { id: short, points }, 'reader'));
  expect(Object.keys(data)).toHaveLength(15);
});

test('scorecards at a past asOf are charged by ledger length, and once: the same asOf again is served from the cache', async () => {
  const card = (i: number, asOf: string) => `c${i}: node(id: $id) { ... on Relationship { scorecard(asOf: "${asOf}") { asOf head { seq } supplier { trustScore } } } }`;
  const same = Array.from({ length: 15 }, (_, i) => card(i, points[40])).join(' ');
  const a = ok(await ts.client.gql(`query($id: ID!) { ${same} }`, { id: rel }, 'reader'));
  const b = ok(await ts.supplier.gql(`query($id: ID!) { ${same} }`, { id: rel }, 'reader'));
  expect(a.c0.scorecard).toEqual(b.c14.scorecard);
  expect(a.c0.scorecard.head.seq).toBe(ENTRIES);
  // Distinct past dates each fold the ledger: charged each, and within the budget here.
  const distinct = Array.from({ length: 15 }, (_, i) => card(i, points[i * 5])).join(' ');
  const c = ok(await ts.client.gql(`query($id: ID!) { ${distinct} }`, { id: rel }, 'reader'));
  expect(new Set(Object.values(c).map((x: any) => x.scorecard.asOf)).size).toBe(15);
});

test('a review at a past asOf is charged by the scorecards it recomputes: with series that use most of the budget, it is refused; at the present, it is served', async () => {
  // 55 series of 100 points over the 3,000-entry ledger: 990,000 of the 1,000,000 entries a request may ask for.
  const fill = Math.floor(1_000_000 / (ENTRIES + 100 * 150));
  const reviews = (asOf: (i: number) => string | null, select = 'trustScore', more = '') =>
    Array.from({ length: 4 }, (_, i) => {
      const at = asOf(i);
      return `r${i}: viewer { review(as: CLIENT${at ? `, asOf: "${at}"` : ''}${more}) { edges { node { ${select} } } } }`;
    }).join(' ');
  const query = (more: string) =>
    `query($ids: [ID!]!, $points: [DateTime!]!) { nodes(ids: $ids) { ... on Relationship { scorecardSeries(points: $points) { asOf } } } ${more} }`;
  const vars = { ids: Array(fill).fill(rel), points };

  // Four reviews at past dates each recompute the 3,000-entry relationship: over the budget.
  const past = await ts.client.gql(query(reviews((i) => points[10 + i])), vars, 'reader');
  const refused = (past.errors ?? []).filter((e) => e.extensions?.code === 'LIMIT_EXCEEDED');
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.map((e) => e.message).join('\n')).toMatch(/scoring work .*the limit is 1,000,000 a request/);

  // The same reviews at the present are read from the relationships' states: nothing to charge.
  const present = await ts.client.gql(query(reviews(() => null)), vars, 'reader');
  expect(present.errors).toBeUndefined();
  expect((present.data as any).r0.review.edges.length).toBeGreaterThan(0);

  // `change` at the present reads each scorecard at the start of its period: over a period that
  // starts within the ledger, recomputed, and charged.
  const change = await ts.client.gql(query(reviews(() => null, 'trustScore change', `, changeDays: 600`)), vars, 'reader');
  expect((change.errors ?? []).some((e) => e.extensions?.code === 'LIMIT_EXCEEDED' && /review: a scorecard recomputed|scoring work/.test(e.message))).toBe(true);
});

test('a review at a past asOf equals the scorecards asked for alone at that asOf (recomputed on the scoring pool)', async () => {
  const asOf = points[60];
  const data = ok(await ts.client.gql(`{ viewer { review(as: CLIENT, asOf: "${asOf}") { edges { node { relationship { id } scorecard { asOf supplier { trustScore band } } } } } } }`, {}, 'reader'));
  const item = data.viewer.review.edges.map((e: any) => e.node).find((n: any) => n.relationship.id === rel);
  const alone = ok(await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard(asOf: "${asOf}") { asOf supplier { trustScore band } } } } }`, { id: rel }, 'reader'));
  expect(item.scorecard).toEqual(alone.node.scorecard);
});
