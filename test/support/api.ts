/**
 * Small helpers for the end-to-end API tests (test/api): calling a mutation by name, reading a
 * relationship's ledger head and entries, and the fragments the tests share. Everything goes
 * through the GraphQL API over HTTP, as a partner portal or an integrator would.
 */
import { expect } from 'vitest';
import { type GqlResult, ok, type TestFirm, type TestServer } from './server.ts';

export type Role = 'admin' | 'writer' | 'reader';

/** The fields every mutation payload's `errors` is read with. */
export const ERRORS = 'errors { __typename code message path }';
export const ENTRY = 'entry { id seq type status hash prevHash payload actorId occurredAt }';

export interface UserErrorShape {
  __typename: string;
  code: string;
  message: string;
  path: string[];
}

/**
 * Calls mutation `name` with `input` as `firm` and returns the raw response. `select` is the
 * payload selection besides `errors` (which is always asked for).
 */
export function mutate(firm: TestFirm, name: string, input: Record<string, unknown>, select = '', role: Role = 'writer'): Promise<GqlResult> {
  const cap = name[0].toUpperCase() + name.slice(1);
  return firm.gql(`mutation($input: ${cap}Input!) { ${name}(input: $input) { ${select} ${ERRORS} } }`, { input }, role);
}

/** Calls a mutation that must succeed (no GraphQL errors, no payload errors); returns its payload. */
export async function must<T = any>(firm: TestFirm, name: string, input: Record<string, unknown>, select = '', role: Role = 'writer'): Promise<T> {
  return ok(await mutate(firm, name, input, select, role), name) as T;
}

/** Calls a mutation that must fail with exactly one typed error; returns that error. */
export async function fails(firm: TestFirm, name: string, input: Record<string, unknown>, select = '', role: Role = 'writer'): Promise<UserErrorShape> {
  const res = await mutate(firm, name, input, select, role);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const payload = (res.data as Record<string, any>)[name];
  expect(payload.errors.length, JSON.stringify(payload)).toBeGreaterThanOrEqual(1);
  return payload.errors[0] as UserErrorShape;
}

/** The ledger head of a relationship as `firm` (the supplier by default) sees it. */
export async function head(ts: TestServer, relationshipId: string, firm: TestFirm = ts.supplier): Promise<{ seq: number; hash: string }> {
  const data = ok(await firm.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { head { seq hash } } } }`, { id: relationshipId }, 'reader'));
  if (!data.node) throw new Error(`relationship ${relationshipId} is not visible to ${firm.name}`);
  return data.node.head;
}

export interface ApiEntry {
  id: string;
  relationshipId: string;
  seq: number;
  type: string;
  payload: unknown;
  actorId: string;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
  status: string;
}

/** Every entry of a relationship's ledger, read page by page with Relay cursors (`ledger(after: endCursor, first: 100)`). */
export async function ledger(ts: TestServer, relationshipId: string, firm: TestFirm = ts.supplier): Promise<ApiEntry[]> {
  const out: ApiEntry[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = ok(
      await firm.gql(
        `query($id: ID!, $after: String) { node(id: $id) { ... on Relationship {
            ledger(after: $after, first: 100) { pageInfo { hasNextPage endCursor } edges { node {
              id relationshipId seq type payload actorId occurredAt recordedAt prevHash hash status } } } } } }`,
        { id: relationshipId, after },
        'reader',
      ),
    );
    const page: any = data.node.ledger;
    out.push(...page.edges.map((e: { node: ApiEntry }) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** Reads a node by id as `firm`, with the given selection (inline fragments). */
export async function node<T = any>(firm: TestFirm, id: string, select: string, role: Role = 'reader'): Promise<T> {
  return ok(await firm.gql(`query($id: ID!) { node(id: $id) { __typename ${select} } }`, { id }, role)).node as T;
}

/** A time `days` from now (negative: in the past), as RFC 3339 UTC. */
export const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

/** A plain metric definition for proposeGoal/addMetric. */
export const metric = (over: Record<string, unknown> = {}) => ({
  name: 'On-time delivery',
  unit: '%',
  direction: 'HIGHER_IS_BETTER',
  target: 95,
  baseline: 80,
  accountable: 'SUPPLIER',
  ...over,
});

/** Makes a promise by the supplier (due in `dueInDays`); returns its id and entry seq. */
export async function promise(
  ts: TestServer,
  relationshipId: string,
  over: Record<string, unknown> = {},
  firm: TestFirm = ts.supplier,
): Promise<{ id: string; seq: number }> {
  const p = await must(
    firm,
    'makePromise',
    { relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(10), ...over },
    'promise { id } entry { seq }',
  );
  return { id: p.promise.id, seq: p.entry.seq };
}

/** Matches a JSON text for stack-trace-like fragments ("at foo (/x/y.ts:12:3)"). */
export const STACK_TRACE = /\bat\s+[^\s"]*\s*\(?[^\s"]*\.(?:ts|js|mjs|cjs):\d+/;
