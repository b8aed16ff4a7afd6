/**
 * Bad input: each is a typed error (its __typename and code), says in words what is wrong, points
 * at the input field, and writes nothing (the ledger head does not move).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { daysFromNow, fails, head, metric, must, promise } from '../support/api.ts';
import { activeRelationship, startTestServer, type TestFirm, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
let ids: { promise: string; keptPromise: string; goal: string; clientEntry: string; unknownPromise: string };

beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  const p = await promise(ts, rel);
  const kept = await promise(ts, rel);
  await must(ts.client, 'keepPromise', { promiseId: kept.id });
  const goal = await must(ts.supplier, 'proposeGoal', { relationshipId: rel, title: 'On time', metrics: [metric()] }, 'goal { id }');
  const contact = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, 'entry { id }');
  const raw = Buffer.from(p.id, 'base64').toString().replace(/:\d+$/, ':999');
  ids = { promise: p.id, keptPromise: kept.id, goal: goal.goal.id, clientEntry: contact.entry.id, unknownPromise: Buffer.from(raw).toString('base64') };
});
afterAll(() => ts?.close());

interface Case {
  title: string;
  as?: () => TestFirm;
  mutation: string;
  input: () => Record<string, unknown>;
  typename: 'ValidationError' | 'NotFoundError' | 'ForbiddenError' | 'ConflictError';
  path: string[];
  message: RegExp;
  /** The error names a field the caller left out (required in this case). */
  missing?: boolean;
}

const makePromise = (over: Record<string, unknown>) => () => ({
  relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(10), ...over,
});
const interaction = (over: Record<string, unknown>) => () => ({ relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', ...over });

const CASES: Case[] = [
  { title: 'a due date that is a word ("tomorrow")', mutation: 'makePromise', input: makePromise({ dueAt: 'tomorrow' }), typename: 'ValidationError', path: ['input', 'dueAt'], message: /"tomorrow" is not an RFC 3339 date-time/ },
  { title: 'a due date that does not exist (30 February)', mutation: 'makePromise', input: makePromise({ dueAt: '2026-02-30T00:00:00Z' }), typename: 'ValidationError', path: ['input', 'dueAt'], message: /"2026-02-30T00:00:00Z" is not an RFC 3339 date-time/ },
  { title: 'a due date without an offset', mutation: 'makePromise', input: makePromise({ dueAt: '2026-03-01T09:00:00' }), typename: 'ValidationError', path: ['input', 'dueAt'], message: /with an offset/ },
  { title: 'a new due date that is not a date', mutation: 'reschedulePromise', input: () => ({ promiseId: ids.promise, newDueAt: 'next week', reason: 'Late' }), typename: 'ValidationError', path: ['input', 'newDueAt'], message: /"next week" is not an RFC 3339 date-time/ },
  { title: 'a description over 2000 characters', mutation: 'makePromise', input: makePromise({ description: 'x'.repeat(2001) }), typename: 'ValidationError', path: ['input', 'description'], message: /at most 2000 characters/ },
  { title: 'an empty description', mutation: 'makePromise', input: makePromise({ description: '   ' }), typename: 'ValidationError', path: ['input', 'description'], message: /must not be empty/ },
  { title: 'a negative amount', mutation: 'makePromise', input: makePromise({ amount: { amount: -5, currency: 'EUR' } }), typename: 'ValidationError', path: ['input', 'amount', 'amount'], message: /must not be negative/ },
  { title: 'a currency that is not ISO 4217', mutation: 'makePromise', input: makePromise({ amount: { amount: 5, currency: 'euro' } }), typename: 'ValidationError', path: ['input', 'amount', 'currency'], message: /three-letter ISO 4217/ },
  { title: 'occurredAt in the future', mutation: 'makePromise', input: makePromise({ occurredAt: daysFromNow(2) }), typename: 'ValidationError', path: ['input', 'occurredAt'], message: /in the future/ },
  { title: 'occurredAt that is not a date', mutation: 'recordInteraction', input: interaction({ occurredAt: 'yesterday' }), typename: 'ValidationError', path: ['input', 'occurredAt'], message: /"yesterday" is not an RFC 3339 date-time/ },
  { title: 'a negative activity volume', mutation: 'recordInteraction', input: interaction({ kind: 'ACTIVITY', volume: -3 }), typename: 'ValidationError', path: ['input', 'volume'], message: /must not be negative/ },
  { title: 'an activity without a volume', mutation: 'recordInteraction', input: interaction({ kind: 'ACTIVITY' }), typename: 'ValidationError', path: ['input', 'volume'], message: /needs a volume/, missing: true },
  { title: 'a volume on a non-activity', mutation: 'recordInteraction', input: interaction({ kind: 'POSITIVE_CONTACT', volume: 10 }), typename: 'ValidationError', path: ['input', 'volume'], message: /only an activity has a volume/ },
  { title: 'satisfaction score 0', mutation: 'recordInteraction', input: interaction({ kind: 'SATISFACTION', score: 0 }), typename: 'ValidationError', path: ['input', 'score'], message: /from 1 to 5/ },
  { title: 'satisfaction score 6', mutation: 'recordInteraction', input: interaction({ kind: 'SATISFACTION', score: 6 }), typename: 'ValidationError', path: ['input', 'score'], message: /from 1 to 5/ },
  { title: 'a satisfaction pulse without a score', mutation: 'recordInteraction', input: interaction({ kind: 'SATISFACTION' }), typename: 'ValidationError', path: ['input', 'score'], message: /needs a score/, missing: true },
  { title: 'a note over 2000 characters', mutation: 'recordInteraction', input: interaction({ note: 'n'.repeat(2001) }), typename: 'ValidationError', path: ['input', 'note'], message: /at most 2000 characters/ },
  { title: 'a reason over 1000 characters', mutation: 'breakPromise', input: () => ({ promiseId: ids.promise, reason: 'r'.repeat(1001) }), typename: 'ValidationError', path: ['input', 'reason'], message: /at most 1000 characters/ },
  { title: 'a goal title over 200 characters', mutation: 'proposeGoal', input: () => ({ relationshipId: rel, title: 't'.repeat(201), metrics: [] }), typename: 'ValidationError', path: ['input', 'title'], message: /at most 200 characters/ },
  { title: 'an unknown promise id (no such entry)', mutation: 'keepPromise', input: () => ({ promiseId: ids.unknownPromise }), typename: 'NotFoundError', path: ['input', 'promiseId'], message: /No promise/ },
  { title: 'a malformed id', mutation: 'keepPromise', input: () => ({ promiseId: 'not-an-id' }), typename: 'NotFoundError', path: ['input', 'promiseId'], message: /No promise with this id/ },
  { title: 'a goal id where a promise id belongs', mutation: 'keepPromise', input: () => ({ promiseId: ids.goal }), typename: 'NotFoundError', path: ['input', 'promiseId'], message: /is it a Promise id\?/ },
  { title: 'an unknown relationship id', mutation: 'makePromise', input: makePromise({ relationshipId: Buffer.from('Relationship:rel_0000000000000000000').toString('base64') }), typename: 'NotFoundError', path: ['input', 'relationshipId'], message: /No relationship with this id/ },
  { title: 'keeping an already kept promise', mutation: 'keepPromise', input: () => ({ promiseId: ids.keptPromise }), typename: 'ConflictError', path: ['input', 'promiseId'], message: /already kept/ },
  { title: 'breaking an already kept promise', mutation: 'breakPromise', input: () => ({ promiseId: ids.keptPromise, reason: 'Changed my mind' }), typename: 'ConflictError', path: ['input', 'promiseId'], message: /already kept/ },
  { title: 'accepting your own goal', mutation: 'acceptGoal', input: () => ({ goalId: ids.goal }), typename: 'ForbiddenError', path: ['input', 'goalId'], message: /Only the other side can accept/ },
  { title: "voiding the other side's entry", mutation: 'voidEntry', input: () => ({ entryId: ids.clientEntry, reason: 'Never happened' }), typename: 'ForbiddenError', path: ['input', 'entryId'], message: /Only the side that recorded an entry can void it/ },
  { title: 'confirming your own entry', as: () => ts.client, mutation: 'confirmEntry', input: () => ({ entryId: ids.clientEntry }), typename: 'ForbiddenError', path: ['input', 'entryId'], message: /cannot confirm your own entry/ },
  { title: 'a metric whose baseline equals its target', mutation: 'addMetric', input: () => ({ goalId: ids.goal, ...metric({ baseline: 95 }) }), typename: 'ValidationError', path: ['input', 'baseline'], message: /baseline must differ from target/ },
];

const CODE = { ValidationError: 'VALIDATION', NotFoundError: 'NOT_FOUND', ForbiddenError: 'FORBIDDEN', ConflictError: 'CONFLICT' };

describe.each(CASES)('$mutation: $title', (c) => {
  test(`is a ${c.typename} at ${c.path.join('.')}, and nothing is written`, async () => {
    const before = await head(ts, rel);
    const input = c.input();
    const err = await fails(c.as?.() ?? ts.supplier, c.mutation, input, 'entry { id }');
    expect(err.__typename).toBe(c.typename);
    // The path names a field the caller actually sent.
    if (!c.missing) expect(Object.keys(input)).toContain(err.path[1]);
    expect(err.code).toBe(CODE[c.typename]);
    expect(err.path).toEqual(c.path);
    expect(err.message).toMatch(c.message);
    // A sentence, not a code or a dump.
    expect(err.message.length).toBeGreaterThan(10);
    expect(err.message).not.toMatch(/ZodError|undefined|\[object|SQLITE|stack/i);
    expect(await head(ts, rel)).toEqual(before);
  });
});

describe('wrong GraphQL types are rejected by GraphQL validation before anything runs', () => {
  const send = (query: string, variables?: Record<string, unknown>) => ts.supplier.gql(query, variables);
  const cases: [string, string, Record<string, unknown> | undefined, RegExp][] = [
    ['a number for a DateTime variable', 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { code } } }', { i: { relationshipId: '', promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'x', dueAt: 20260301 } }, /dueAt/],
    ['a string for an enum variable', 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { code } } }', { i: { relationshipId: '', promisor: 'VENDOR', kind: 'DELIVERY', description: 'x', dueAt: '2027-01-01T00:00:00Z' } }, /VENDOR/],
    ['a string for an Int variable', 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { errors { code } } }', { i: { relationshipId: '', kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 'five' } }, /score/],
    ['a missing required field', 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { code } } }', { i: { relationshipId: '', promisor: 'SUPPLIER', kind: 'DELIVERY', dueAt: '2027-01-01T00:00:00Z' } }, /description/],
    ['a quoted enum literal', 'mutation { recordInteraction(input: { relationshipId: "x", kind: "COMPLAINT", initiatedBy: CLIENT }) { errors { code } } }', undefined, /kind|InteractionKind/],
    ['an unknown input field', 'mutation { recordInteraction(input: { relationshipId: "x", kind: COMPLAINT, initiatedBy: CLIENT, mood: "angry" }) { errors { code } } }', undefined, /mood/],
  ];
  test.each(cases)('%s', async (_title, query, variables, message) => {
    const before = await head(ts, rel);
    const withRel = variables ? { i: { ...(variables.i as object), relationshipId: rel } } : undefined;
    const res = await send(query, withRel);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await head(ts, rel)).toEqual(before);
  });
});
