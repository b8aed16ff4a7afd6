/**
 * The SDK checks what it sends with the same input module as the server (DESIGN §2a, last
 * bullet): what the server would refuse for RFC 3339, ISO 4217, well-formed Unicode, due after
 * made or the plausible window, the SDK refuses before sending, as the same ValidationError (same
 * message, same path) the server would return; what the standards allow goes through.
 */
import { mutationInputIssues, parseDateTime, ValidationError } from '@trustledger/sdk';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { activePair, countingFetch, sdk } from './helpers.ts';

let ts: TestServer;
let relationshipId: string;

beforeAll(async () => {
  ts = await startTestServer();
  ({ relationshipId } = await activePair(ts));
});
afterAll(() => ts?.close());

const promise = (over: Record<string, unknown> = {}) =>
  ({ relationshipId, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: '2027-09-01T09:00:00Z', ...over }) as never;

/** The server's own answer to the same input, sent raw (no SDK check in the way). */
async function serverError(mutation: string, input: Record<string, unknown>) {
  const cap = mutation[0].toUpperCase() + mutation.slice(1);
  const res = await ts.supplier.gql(`mutation($i: ${cap}Input!) { ${mutation}(input: $i) { errors { code message path } } }`, { i: input });
  return (res.data as any)[mutation].errors[0] as { code: string; message: string; path: string[] };
}

test.each([
  ['a promise due before it was made (1 June → 1 January)', 'makePromise', { occurredAt: '2026-06-01T09:00:00Z', dueAt: '2026-01-01T09:00:00Z' }, ['input', 'dueAt']],
  ['month 13', 'makePromise', { dueAt: '2027-13-01T00:00:00Z' }, ['input', 'dueAt']],
  ['a space for T', 'makePromise', { dueAt: '2027-03-01 09:00:00Z' }, ['input', 'dueAt']],
  ['a lone surrogate in the description', 'makePromise', { description: 'Chairs \uD83E' }, ['input', 'description']],
  ['currency XYZ', 'makePromise', { amount: { amount: 100, currency: 'XYZ' } }, ['input', 'amount', 'currency']],
  ['currency eur', 'makePromise', { amount: { amount: 100, currency: 'eur' } }, ['input', 'amount', 'currency']],
  ['an occurredAt in 1900', 'makePromise', { occurredAt: '1900-01-01T00:00:00Z', dueAt: '1900-02-01T00:00:00Z' }, ['input', 'occurredAt']],
  ['a due time in 2207', 'makePromise', { occurredAt: '2026-02-01T09:00:00Z', dueAt: '2207-02-01T09:00:00Z' }, ['input', 'dueAt']],
])('%s: refused before sending, in the words and at the path the server uses', async (_title, mutation, over, path) => {
  const { fetch, calls } = countingFetch();
  const supplier = sdk(ts, ts.supplier, 'writer', { fetch });
  const local = await supplier.promises.make(promise(over)).catch((e: unknown) => e);
  expect(local).toBeInstanceOf(ValidationError);
  expect(calls).toHaveLength(0);
  const server = await serverError(mutation, promise(over));
  expect(server.path).toEqual(path.map(String));
  expect((local as ValidationError).path).toEqual(path);
  expect((local as ValidationError).message).toBe(server.message);
});

test('a reschedule to a date already past, and a lone surrogate in a reason or a batch note, are refused locally too', async () => {
  const supplier = sdk(ts, ts.supplier);
  const { promise: made } = await supplier.promises.make(promise({ occurredAt: '2026-02-01T09:00:00Z', dueAt: '2026-03-01T09:00:00Z' }));
  const { fetch, calls } = countingFetch();
  const counted = sdk(ts, ts.supplier, 'writer', { fetch });
  const cases: [Promise<unknown>, (string | number)[], RegExp][] = [
    [counted.promises.reschedule({ promiseId: made.id, occurredAt: '2026-04-01T09:00:00Z', newDueAt: '2026-03-15T09:00:00Z', reason: 'Strike' }), ['input', 'newDueAt'], /after the reschedule is made/],
    [counted.promises.break({ promiseId: made.id, reason: 'Strike \uDE91' }), ['input', 'reason'], /lone UTF-16 surrogate/],
    [
      counted.entries.recordBatch({ relationshipId, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER', note: 'Good \uD800' } }] }),
      ['input', 'entries', 0, 'payload', 'note'],
      /lone UTF-16 surrogate/,
    ],
    [
      counted.entries.recordBatch({ relationshipId, entries: [{ type: 'PROMISE_MADE', occurredAt: '2026-06-01T09:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Desks', dueAt: '2026-01-01T09:00:00Z' } }] }),
      ['input', 'entries', 0, 'payload', 'dueAt'],
      /^Entry 0: the due time .* must be after the promise is made/,
    ],
  ];
  for (const [call, path, message] of cases) {
    const e = await call.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).path).toEqual(path);
    expect((e as ValidationError).message).toMatch(message);
  }
  expect(calls).toHaveLength(0);
});

test("what RFC 3339 and ISO 4217 allow goes through, in the ledger's canonical form", async () => {
  const supplier = sdk(ts, ts.supplier);
  const { promise: made, entry } = await supplier.promises.make(
    promise({ occurredAt: '2026-02-01t09:00:00z', dueAt: '2027-03-01t09:00:00.5+01:00', amount: { amount: 1200, currency: 'JPY' }, description: 'Chairs 🪑' }),
  );
  expect(made.dueAt).toBe('2027-03-01T08:00:00.500Z');
  expect(entry.occurredAt).toBe('2026-02-01T09:00:00.000Z');
  expect(made.amount?.currency).toBe('JPY');
  expect(made.description).toBe('Chairs 🪑');
});

test('the module is exported for callers that build inputs themselves', () => {
  expect(parseDateTime('2027-03-01t09:00:00z')).toEqual({ ok: true, time: '2027-03-01T09:00:00.000Z' });
  expect(parseDateTime('2027-02-29T00:00:00Z')).toMatchObject({ ok: false, message: expect.stringContaining('February 2027 has 28 days') });
  const issues = mutationInputIssues('makePromise', { dueAt: '2026-01-01T00:00:00Z', occurredAt: '2026-06-01T00:00:00Z' }, '2026-06-02T00:00:00Z');
  expect(issues).toEqual([expect.objectContaining({ code: 'VALIDATION', path: ['input', 'dueAt'] })]);
});
