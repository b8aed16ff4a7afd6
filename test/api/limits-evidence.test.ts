/**
 * Limits from evidence (issue 11): every operation the SDK, the portal and the examples send
 * fits the server's query limits with a margin, and the limits are at or under graphql-armor's
 * defaults except where an operation needs more (depth: see the README).
 */
import { createApp, openStore } from '@trustledger/server';
import { Kind, parse, visit } from 'graphql';
import { operationCost } from '../../packages/server/src/graphql/cost.ts';
import { afterAll, expect, test } from 'vitest';
import { sentOperations, tokenCount } from '../support/operations.ts';

const ARMOR_DEFAULTS = { maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000 };
const store = await openStore({ path: ':memory:' });
afterAll(() => store.close());

const operations = sentOperations();

/** What graphql-armor finds for a document when the named limit is set to 0 and the rest open. */
async function measure(document: string, limit: keyof typeof ARMOR_DEFAULTS): Promise<number> {
  const open = { maxDepth: 1e6, maxAliases: 1e6, maxCost: 1e9, maxDirectives: 1e6, maxTokens: 1e6 };
  const app = createApp({ store, limits: { ...open, [limit]: 0 } });
  const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
  const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  const refusal = body.errors?.find((e) => e.extensions?.code === 'LIMIT_EXCEEDED');
  return refusal ? Number(/found (\d+(?:\.\d+)?)/.exec(refusal.message)?.[1] ?? Number.NaN) : 0;
}

/** The variables that make an operation as large as the API allows: pages of 100, 100 ids. */
function largestVariables(document: string): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  visit(parse(document), {
    Argument(arg) {
      if (arg.value.kind !== Kind.VARIABLE) return;
      const name = arg.value.name.value;
      if (arg.name.value === 'first' || arg.name.value === 'last') vars[name] = 100;
      if (arg.name.value === 'ids') vars[name] = Array.from({ length: 100 }, (_, i) => `id${i}`);
    },
  });
  return vars;
}

test('a page asked as a variable costs what the same page asked literally costs, and over the limit is refused with the figure', async () => {
  const app = createApp({ store });
  const literal = '{ viewer { relationships(first: 100) { edges { node { id scorecard { supplier { trustScore band } } } } } } }';
  const variable = 'query($n: Int) { viewer { relationships(first: $n) { edges { node { id scorecard { supplier { trustScore band } } } } } } }';
  expect(operationCost(parse(variable), null, { n: 100 })).toBe(operationCost(parse(literal), null));
  expect(operationCost(parse(variable), null, { n: 10 })).toBeLessThan(operationCost(parse(literal), null) / 5);
  const aliased = `query($n: Int) { ${Array.from({ length: 14 }, (_, i) => `a${i}: viewer { relationships(first: $n) { edges { node { id scorecard { supplier { trustScore band } } } } } }`).join(' ')} }`;
  const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: aliased, variables: { n: 100 } }) });
  const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
  expect(body.data ?? null).toBeNull();
  expect(body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  expect(body.errors[0].message).toMatch(/cost limit of 80000 exceeded, found \d+/i);
  // The same with small pages passes the check (it reads nothing without a key).
  const small = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: aliased, variables: { n: 5 } }) });
  expect(JSON.stringify(await small.json())).not.toMatch(/LIMIT_EXCEEDED/);
});

test('the SDK, the portal and the examples send the operations these limits are measured on', () => {
  const names = operations.map((o) => o.name);
  // The heaviest reads an integrator and the portal make, and the portal's live alerts.
  for (const expected of ['sdk:Scorecard', 'sdk:ScorecardSeries', 'sdk:ReviewPage', 'sdk:LedgerPage', 'sdk:RecordEntries'])
    expect(names).toContain(expected);
  expect(names.some((n) => n.startsWith('portal:') && n.endsWith(':subscription'))).toBe(true);
  expect(operations.length).toBeGreaterThan(30);
});

test('every operation sent fits each limit with a margin, and the server serves it unrefused', async () => {
  const app = createApp({ store });
  const { QUERY_LIMITS } = await import('../../packages/server/src/graphql/limits.ts');
  let costliest = '';
  const largest = { maxDepth: 0, maxAliases: 0, maxCost: 0, maxDirectives: 0, maxTokens: 0 };
  for (const op of operations) {
    const found = {
      maxDepth: await measure(op.document, 'maxDepth'),
      maxAliases: await measure(op.document, 'maxAliases'),
      maxCost: operationCost(parse(op.document), null, largestVariables(op.document)),
      maxDirectives: await measure(op.document, 'maxDirectives'),
      maxTokens: tokenCount(op.document),
    };
    expect(found.maxDepth, `${op.name} depth`).toBeGreaterThan(0);
    for (const k of Object.keys(largest) as (keyof typeof largest)[]) largest[k] = Math.max(largest[k], found[k]);
    if (found.maxCost === largest.maxCost) costliest = `${op.name} ${Math.round(found.maxCost)}`;
    // Sent as the SDK sends it, it is not refused by any limit.
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: op.document }) });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.filter((e) => e.extensions?.code === 'LIMIT_EXCEEDED') ?? [], op.name).toEqual([]);
  }
  // Margins: one level of depth, 1.4× the cost (pages at their largest) and 5× the tokens of the largest operation.
  expect(QUERY_LIMITS.maxDepth).toBeGreaterThanOrEqual(largest.maxDepth + 1);
  expect(QUERY_LIMITS.maxCost, costliest).toBeGreaterThanOrEqual(1.4 * largest.maxCost);
  expect(largest.maxCost).toBeGreaterThan(ARMOR_DEFAULTS.maxCost);
  expect(QUERY_LIMITS.maxTokens).toBeGreaterThanOrEqual(5 * largest.maxTokens);
  expect(QUERY_LIMITS.maxAliases).toBeGreaterThanOrEqual(largest.maxAliases);
  expect(QUERY_LIMITS.maxDirectives).toBeGreaterThanOrEqual(largest.maxDirectives);
  // At or under graphql-armor's defaults, except depth (the SDK's scorecard needs 7) and cost (pages counted at their largest).
  expect(QUERY_LIMITS.maxAliases).toBeLessThanOrEqual(ARMOR_DEFAULTS.maxAliases);
  expect(QUERY_LIMITS.maxTokens).toBeLessThanOrEqual(ARMOR_DEFAULTS.maxTokens);
  expect(QUERY_LIMITS.maxDirectives).toBeLessThanOrEqual(ARMOR_DEFAULTS.maxDirectives);
  expect(largest.maxDepth).toBeGreaterThan(ARMOR_DEFAULTS.maxDepth);
  expect(QUERY_LIMITS.maxDepth).toBe(largest.maxDepth + 1);
}, 120_000);

test('the scorecards one request may have recomputed cover the most any operation sent asks for, twice over', async () => {
  const { QUERY_LIMITS } = await import('../../packages/server/src/graphql/limits.ts');
  // A series takes at most 100 points (more is a ValidationError); a past-asOf scorecard is one.
  const cardsOf = (document: string) => {
    let cards = 0;
    visit(parse(document), {
      Field(f) {
        if (f.name.value === 'scorecardSeries') cards += 100;
        else if (f.name.value === 'scorecard' && f.arguments?.some((a) => a.name.value === 'asOf' || a.name.value === 'atSeq')) cards += 1;
      },
    });
    return cards;
  };
  const most = Math.max(...operations.map((o) => cardsOf(o.document)));
  expect(operations.find((o) => cardsOf(o.document) === most)?.name).toBe('sdk:ScorecardSeries');
  expect(most).toBe(100);
  expect(QUERY_LIMITS.maxCards).toBe(2 * most);
});
