/**
 * Work-proportional cost (issue 11): a field's cost reflects the scoring it computes — a
 * scorecard at a past asOf folds the ledger, a series folds it once for all its points — and a
 * request over the budget gets LIMIT_EXCEEDED with the figure and the limit, before the work runs.
 * A request may also have at most 200 scorecards recomputed (each is executed and serialised on
 * the main thread). Scorecards at a past asOf are cached, so asking again costs nothing. Budgets
 * smaller than the standing ones are set on an app over the same database (createApp's limits),
 * so the 3,000-entry ledger can reach them.
 */
import { createApp } from '@trustledger/server';
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

/** Sends a query with the client's reader key to an app over the test database with these scoring budgets. */
const withBudget = (limits: { maxWork?: number; maxCards?: number }) => {
  const app = createApp({ store: ts.server.store, limits, rateLimitPerMinute: 0 });
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ts.client.keys.reader}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  };
};

test('a series folds its ledger once for all its points: two 100-point series over a 3,000-entry ledger, the 200 scorecards a request may have recomputed, are served', async () => {
  const data = ok(await ts.client.gql(series(2), { id: rel, points }, 'reader'));
  expect(Object.keys(data)).toHaveLength(2);
  for (const v of Object.values(data) as { scorecardSeries: unknown[] }[]) expect(v.scorecardSeries).toHaveLength(100);
});

test('scorecards beyond 200 a request are refused with the figure and the limit, whatever the ledger', async () => {
  // 100 copies of the relationship through nodes(ids:), each asking for a 100-point series.
  const query = `query($ids: [ID!]!, $points: [DateTime!]!) { nodes(ids: $ids) { ... on Relationship { scorecardSeries(points: $points) { asOf } } } }`;
  for (const id of [rel, await activeRelationship(ts, '2025-01-01T00:00:00Z')]) {
    const res = await ts.client.gql(query, { ids: Array(100).fill(id), points }, 'reader');
    const refusals = res.errors ?? [];
    for (const e of refusals) {
      expect(e.extensions?.code).toBe('LIMIT_EXCEEDED');
      expect(e.message).toMatch(/asks for [\d,]+ recomputed scorecards \(this field: scorecardSeries: 100 points\); the limit is 200 a request/);
    }
    const served = (res.data?.nodes as unknown[]).filter((v) => v !== null);
    expect(served).toHaveLength(2);
    expect(refusals).toHaveLength(98);
  }
  // Past-asOf scorecards count too: 15 aliases × 14 ids, at distinct dates, are 210.
  const cards = Array.from({ length: 15 }, (_, i) => `c${i}: nodes(ids: $ids) { ... on Relationship { scorecard(asOf: "${points[i]}") { asOf } } }`).join(' ');
  const res = await ts.client.gql(`query($ids: [ID!]!) { ${cards} }`, { ids: Array(14).fill(rel) }, 'reader');
  expect((res.errors ?? []).length).toBeGreaterThan(0);
  for (const e of res.errors ?? []) expect(e.message).toMatch(/recomputed scorecards \(this field: scorecard at a past asOf\); the limit is 200 a request/);
});

test('series beyond the work budget are refused with the figure and the limit: one pass per series, plus a snapshot per point', async () => {
  // A budget of 40,000 entries: a 100-point series over the 3,000-entry ledger costs 3,000 + 100 × 150 = 18,000.
  const ask = withBudget({ maxWork: 40_000, maxCards: 1_000 });
  const res = await ask(series(3), { id: rel, points });
  const refusals = res.errors ?? [];
  expect(refusals).toHaveLength(1);
  expect(refusals[0].extensions?.code).toBe('LIMIT_EXCEEDED');
  expect(refusals[0].message).toMatch(/asks for 54,000 ledger entries of scoring work \(this field: scorecardSeries: one pass over 3,000 entries \+ 100 points × 150\); the limit is 40,000 a request/);
  expect(Object.values(res.data).filter((v) => v !== null)).toHaveLength(2);
});

test('one such series is within the budget and its points come back in the order asked', async () => {
  const data = ok(await ts.client.gql(series(1), { id: rel, points: [...points].reverse() }, 'reader'));
  expect(data.s0.scorecardSeries.map((c: { asOf: string }) => c.asOf)).toEqual([...points].reverse().map((p) => new Date(p).toISOString()));
});

test('the cost of a series grows with the ledger: under a budget that serves one series over the long ledger, two over a short one are served', async () => {
  const ask = withBudget({ maxWork: 33_000 });
  const short = await activeRelationship(ts, '2025-01-01T00:00:00Z');
  const long = await ask(series(2), { id: rel, points });
  expect(long.errors?.map((e) => e.extensions?.code)).toEqual(['LIMIT_EXCEEDED']);
  const res = await ask(series(2), { id: short, points });
  expect(res.errors).toBeUndefined();
  expect(Object.keys(res.data)).toHaveLength(2);
});

test('scorecards at a past asOf are charged by ledger length, and once: the same asOf again is served from the cache', async () => {
  const card = (i: number, asOf: string) => `c${i}: node(id: $id) { ... on Relationship { scorecard(asOf: "${asOf}") { asOf head { seq } supplier { trustScore } } } }`;
  const same = Array.from({ length: 15 }, (_, i) => card(i, points[40])).join(' ');
  const a = ok(await ts.client.gql(`query($id: ID!) { ${same} }`, { id: rel }, 'reader'));
  const b = ok(await ts.supplier.gql(`query($id: ID!) { ${same} }`, { id: rel }, 'reader'));
  expect(a.c0.scorecard).toEqual(b.c14.scorecard);
  expect(a.c0.scorecard.head.seq).toBe(ENTRIES);
  // Distinct past dates each fold the ledger: charged each, 3,000 entries apiece.
  const distinct = (shift: number) => Array.from({ length: 15 }, (_, i) => card(i, new Date(Date.parse(points[i * 5]) + shift).toISOString())).join(' ');
  const c = ok(await ts.client.gql(`query($id: ID!) { ${distinct(0)} }`, { id: rel }, 'reader'));
  expect(new Set(Object.values(c).map((x: any) => x.scorecard.asOf)).size).toBe(15);
  const refused = await withBudget({ maxWork: 44_999 })(`query($id: ID!) { ${distinct(1_800_000)} }`, { id: rel });
  expect(refused.errors?.[0].message).toMatch(/asks for 45,000 ledger entries of scoring work \(this field: scorecard at a past asOf: 3,000 entries\); the limit is 44,999 a request/);
});

test('a review at a past asOf is charged by the scorecards it recomputes: over a small budget it is refused; at the present, it is served', async () => {
  const ask = withBudget({ maxWork: 10_000 });
  const reviews = (asOf: (i: number) => string | null, select = 'trustScore', more = '') =>
    Array.from({ length: 4 }, (_, i) => {
      const at = asOf(i);
      return `r${i}: viewer { review(as: CLIENT${at ? `, asOf: "${at}"` : ''}${more}) { edges { node { ${select} } } } }`;
    }).join(' ');

  // Four reviews at past dates each recompute the 3,000-entry relationship: 12,000 entries, over the budget.
  const past = await ask(`{ ${reviews((i) => points[10 + i])} }`);
  const refused = (past.errors ?? []).filter((e) => e.extensions?.code === 'LIMIT_EXCEEDED');
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.map((e) => e.message).join('\n')).toMatch(/review: a scorecard recomputed at a past time, 3,000 entries\); the limit is 10,000 a request/);

  // The same reviews at the present are read from the relationships' states: nothing to charge.
  const present = await ask(`{ ${reviews(() => null)} }`);
  expect(present.errors).toBeUndefined();
  expect(present.data.r0.review.edges.length).toBeGreaterThan(0);

  // `change` at the present reads each scorecard at the start of its period: over a period that
  // starts within the ledger, recomputed, and charged.
  const change = await ask(`{ ${reviews(() => null, 'trustScore change', ', changeDays: 600')} }`);
  expect((change.errors ?? []).some((e) => e.extensions?.code === 'LIMIT_EXCEEDED' && /review: a scorecard recomputed/.test(e.message))).toBe(true);
});

test('a review page of 20 with its change column is served on the standing budget, and its change is the trust score less the one at the start of the period', async () => {
  // A supplier that kept 40 delivery promises, every 15 days from January 2025: a trust score then and now.
  const kept = await activeRelationship(ts, '2025-01-01T00:00:00Z');
  const day = (n: number) => new Date(Date.parse('2025-01-02T00:00:00Z') + n * 86_400_000).toISOString();
  await must(ts.supplier, 'recordEntries', {
    relationshipId: kept,
    entries: Array.from({ length: 40 }, (_, i) => ({
      type: 'PROMISE_MADE',
      occurredAt: day(i * 15),
      payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `order ${i}`, dueAt: day(i * 15 + 5) },
    })),
  });
  await must(ts.client, 'recordEntries', {
    relationshipId: kept,
    entries: Array.from({ length: 40 }, (_, i) => ({ type: 'PROMISE_KEPT', occurredAt: day(i * 15 + 4), payload: { promiseSeq: 3 + i, inFull: true } })),
  });
  // The period starts within the ledgers (600 days ago), so each start-of-period scorecard is recomputed.
  const data = ok(
    await ts.client.gql(`{ viewer { review(as: CLIENT, first: 20, changeDays: 600) { edges { node { relationship { id } scorecard { asOf } trustScore change } } } } }`, {}, 'reader'),
  );
  const items = data.viewer.review.edges.map((e: any) => e.node);
  expect(items.map((n: any) => n.relationship.id)).toContain(rel);
  const item = items.find((n: any) => n.relationship.id === kept);
  const start = new Date(Date.parse(item.scorecard.asOf) - 600 * 86_400_000).toISOString();
  const before = ok(await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard(asOf: "${start}") { supplier { trustScore } } } } }`, { id: kept }, 'reader'));
  expect(before.node.scorecard.supplier.trustScore).not.toBeNull();
  expect(item.change).toBeCloseTo(item.trustScore - before.node.scorecard.supplier.trustScore, 9);
});

test('a review at a past asOf equals the scorecards asked for alone at that asOf (recomputed on the scoring pool)', async () => {
  const asOf = points[60];
  const data = ok(await ts.client.gql(`{ viewer { review(as: CLIENT, asOf: "${asOf}") { edges { node { relationship { id } scorecard { asOf supplier { trustScore band } } } } } } }`, {}, 'reader'));
  const item = data.viewer.review.edges.map((e: any) => e.node).find((n: any) => n.relationship.id === rel);
  const alone = ok(await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard(asOf: "${asOf}") { asOf supplier { trustScore band } } } } }`, { id: rel }, 'reader'));
  expect(item.scorecard).toEqual(alone.node.scorecard);
});
