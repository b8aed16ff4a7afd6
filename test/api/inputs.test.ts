/**
 * Inputs to their standards (DESIGN §2a, last bullet), through the API: RFC 3339 date-times in
 * full and no more, ISO 4217 currencies, well-formed Unicode in every string, due times after
 * the promise was made, business times in a plausible window. A refused input is a
 * ValidationError at the field, worded for a person, and writes nothing; an accepted one is
 * stored in the ledger's canonical form.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { daysFromNow, fails, head, must, node, promise } from '../support/api.ts';
import { activeRelationship, ok, startTestServer, type TestServer } from '../support/server.ts';

let ts: TestServer;
let rel: string;
let open: { id: string; seq: number };
let complaint: string;

beforeAll(async () => {
  ts = await startTestServer();
  rel = await activeRelationship(ts, '2025-12-01T00:00:00Z');
  open = await promise(ts, rel, { occurredAt: '2026-01-05T09:00:00Z', dueAt: '2026-02-01T09:00:00Z' });
  const c = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT' }, 'interaction { id }');
  complaint = c.interaction.id;
});
afterAll(() => ts?.close());

const lower = (iso: string) => iso.replace('T', 't').replace('Z', 'z');
const makePromise = (over: Record<string, unknown>) => ({
  relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: daysFromNow(30), ...over,
});

interface Refused {
  title: string;
  mutation: string;
  input: () => Record<string, unknown>;
  path: (string | number)[];
  message: RegExp;
  as?: () => TestServer['client'];
}

const REFUSED: Refused[] = [
  // RFC 3339: what the grammar does not allow.
  { title: 'month 13', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-13-01T00:00:00Z' }), path: ['input', 'dueAt'], message: /"2027-13-01T00:00:00Z" is not an RFC 3339 date-time: month 13 does not exist/ },
  { title: '29 February in a common year', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-02-29T10:00:00Z' }), path: ['input', 'dueAt'], message: /February 2027 has 28 days/ },
  { title: '31 April', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-04-31T10:00:00+02:00' }), path: ['input', 'dueAt'], message: /April 2027 has 30 days/ },
  { title: 'hour 24', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T24:00:00Z' }), path: ['input', 'dueAt'], message: /hour 24 does not exist/ },
  { title: 'minute 60', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T09:60:00Z' }), path: ['input', 'dueAt'], message: /minute 60 does not exist/ },
  { title: 'a second 60 that is no leap second', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-06-30T23:59:60Z' }), path: ['input', 'dueAt'], message: /second 60 exists only at a leap second/ },
  { title: 'a space between date and time', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01 09:00:00Z' }), path: ['input', 'dueAt'], message: /separated by "T" \(2027-03-01T09:00:00Z\)/ },
  { title: 'no offset', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T09:00:00' }), path: ['input', 'dueAt'], message: /it has no offset/ },
  { title: 'an offset without a colon', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T09:00:00+0200' }), path: ['input', 'dueAt'], message: /offset must be written ±hh:mm/ },
  { title: 'an offset of 24 hours', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T09:00:00+24:00' }), path: ['input', 'dueAt'], message: /offset \+24:00 does not exist/ },
  { title: 'a date without a time', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01' }), path: ['input', 'dueAt'], message: /a date without a time/ },
  { title: 'no seconds', mutation: 'makePromise', input: () => makePromise({ dueAt: '2027-03-01T09:00Z' }), path: ['input', 'dueAt'], message: /needs seconds/ },
  { title: 'a new due time that does not exist', mutation: 'reschedulePromise', input: () => ({ promiseId: open.id, newDueAt: '2026-02-30T09:00:00Z', reason: 'Late' }), path: ['input', 'newDueAt'], message: /February 2026 has 28 days/ },
  { title: 'an occurredAt on 31 June', mutation: 'recordInteraction', as: () => ts.client, input: () => ({ relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', occurredAt: '2026-06-31T10:00:00Z' }), path: ['input', 'occurredAt'], message: /June 2026 has 30 days/ },
  // Due after made (the case: made on 1 June, due on 1 January of the same year).
  { title: 'a promise due before it was made', mutation: 'makePromise', input: () => makePromise({ occurredAt: '2026-06-01T09:00:00Z', dueAt: '2026-01-01T09:00:00Z' }), path: ['input', 'dueAt'], message: /must be after the promise is made/ },
  { title: 'a promise due the instant it is made', mutation: 'makePromise', input: () => makePromise({ occurredAt: '2026-06-01T09:00:00Z', dueAt: '2026-06-01T11:00:00+02:00' }), path: ['input', 'dueAt'], message: /must be after the promise is made/ },
  { title: 'a promise due in the past, made now', mutation: 'makePromise', input: () => makePromise({ dueAt: daysFromNow(-3) }), path: ['input', 'dueAt'], message: /must be after the promise is made/ },
  { title: 'a reschedule to a date already past when it is made', mutation: 'reschedulePromise', input: () => ({ promiseId: open.id, occurredAt: '2026-03-01T09:00:00Z', newDueAt: '2026-02-15T09:00:00Z', reason: 'Late' }), path: ['input', 'newDueAt'], message: /must be after the reschedule is made/ },
  { title: 'a reschedule to before the due time in force', mutation: 'reschedulePromise', input: () => ({ promiseId: open.id, occurredAt: '2026-01-10T09:00:00Z', newDueAt: '2026-01-20T09:00:00Z', reason: 'Early' }), path: ['input', 'newDueAt'], message: /later than the current due time/ },
  // A plausible window.
  { title: 'a due time 11 years ahead (a typo in the year)', mutation: 'makePromise', input: () => makePromise({ dueAt: daysFromNow(11 * 365) }), path: ['input', 'dueAt'], message: /more than 10 years after the promise is made \(\d{4}-\d{2}-\d{2}\); check the year/ },
  { title: 'a due time in 2207', mutation: 'makePromise', input: () => makePromise({ dueAt: '2207-03-01T09:00:00Z' }), path: ['input', 'dueAt'], message: /more than 10 years/ },
  { title: "an occurredAt at a spreadsheet's zero (1900-01-01)", mutation: 'recordInteraction', as: () => ts.client, input: () => ({ relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', occurredAt: '1900-01-01T00:00:00Z' }), path: ['input', 'occurredAt'], message: /1900-01-01 is before 2000-01-01, the earliest business time/ },
  { title: 'an occurredAt at the Unix epoch', mutation: 'makePromise', input: () => makePromise({ occurredAt: '1970-01-01T00:00:00Z', dueAt: '1970-02-01T00:00:00Z' }), path: ['input', 'occurredAt'], message: /before 2000-01-01/ },
  { title: 'an occurredAt one second before 2000', mutation: 'keepPromise', input: () => ({ promiseId: open.id, occurredAt: '1999-12-31T23:59:59Z' }), path: ['input', 'occurredAt'], message: /before 2000-01-01/ },
  { title: 'a relationship proposed in year 0027', mutation: 'proposeRelationship', input: () => ({ counterpartyId: ts.outsider.id, viewerSide: 'SUPPLIER', occurredAt: '0027-03-01T09:00:00Z' }), path: ['input', 'occurredAt'], message: /before 2000-01-01/ },
  // ISO 4217.
  { title: 'currency XYZ', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 100, currency: 'XYZ' } }), path: ['input', 'amount', 'currency'], message: /"XYZ" is not an active ISO 4217 currency code/ },
  { title: 'currency eur (lower case)', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 100, currency: 'eur' } }), path: ['input', 'amount', 'currency'], message: /must be written as the ISO 4217 code EUR/ },
  { title: 'a withdrawn currency (DEM)', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 100, currency: 'DEM' } }), path: ['input', 'amount', 'currency'], message: /not an active ISO 4217/ },
  { title: 'the testing code XTS', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 100, currency: 'XTS' } }), path: ['input', 'amount', 'currency'], message: /for testing, not money/ },
  // Amounts per the currency's ISO 4217 minor unit, and of a magnitude money can have.
  { title: 'JPY 5.5 (the yen has no minor unit)', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 5.5, currency: 'JPY' } }), path: ['input', 'amount', 'amount'], message: /5\.5 JPY is finer than its minor unit: JPY has no minor unit in ISO 4217 \(0 decimal places\)/ },
  { title: 'USD 1.005 (a tenth of a cent)', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 1.005, currency: 'USD' } }), path: ['input', 'amount', 'amount'], message: /1\.005 USD is finer than its minor unit: ISO 4217 gives USD 2 decimal places \(1\/100 USD\)/ },
  { title: 'BHD 1.0005 (the dinar has 3 decimals)', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 1.0005, currency: 'BHD' } }), path: ['input', 'amount', 'amount'], message: /BHD 3 decimal places/ },
  { title: 'EUR 1e308', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 1e308, currency: 'EUR' } }), path: ['input', 'amount', 'amount'], message: /1e\+308 EUR is too large: an amount must be at most 90,071,992,547,409\.91 EUR/ },
  { title: 'a batch entry of JPY 0.5', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'PROMISE_MADE', payload: { promisor: 'SUPPLIER', kind: 'PAYMENT', description: 'Fee', dueAt: daysFromNow(5), amount: { amount: 0.5, currency: 'JPY' } } }] }), path: ['input', 'entries', 0, 'payload', 'amount', 'amount'], message: /Entry 0: 0\.5 JPY is finer than its minor unit/ },
  { title: 'a currency symbol', mutation: 'makePromise', input: () => makePromise({ amount: { amount: 100, currency: '€' } }), path: ['input', 'amount', 'currency'], message: /not a three-letter ISO 4217 currency code/ },
  // Well-formed Unicode, in every string of every input.
  { title: 'a description with a lone high surrogate', mutation: 'makePromise', input: () => makePromise({ description: 'Deliver 40 chairs \uD83E' }), path: ['input', 'description'], message: /lone UTF-16 surrogate \(U\+D83E\) at character 19/ },
  { title: 'a note with a lone low surrogate', mutation: 'recordInteraction', as: () => ts.client, input: () => ({ relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: '\uDE91 thanks' }), path: ['input', 'note'], message: /lone UTF-16 surrogate \(U\+DE91\)/ },
  { title: 'a reason with a surrogate pair reversed', mutation: 'breakPromise', input: () => ({ promiseId: open.id, reason: 'Strike \uDE91\uD83E' }), path: ['input', 'reason'], message: /lone UTF-16 surrogate/ },
  { title: "a representative's name", mutation: 'handOverRepresentative', input: () => ({ relationshipId: rel, side: 'SUPPLIER', name: 'Jo\uD800 Smith' }), path: ['input', 'name'], message: /lone UTF-16 surrogate/ },
  { title: 'a complaint response note', mutation: 'respondToComplaint', input: () => ({ interactionId: complaint, note: 'On it \uDBFF' }), path: ['input', 'note'], message: /lone UTF-16 surrogate/ },
  { title: 'a goal title', mutation: 'proposeGoal', input: () => ({ relationshipId: rel, title: 'On time \uDC00', metrics: [] }), path: ['input', 'title'], message: /lone UTF-16 surrogate/ },
  { title: 'a metric name inside a list', mutation: 'proposeGoal', input: () => ({ relationshipId: rel, title: 'On time', metrics: [{ name: 'On-time \uD800', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80, accountable: 'SUPPLIER' }] }), path: ['input', 'metrics', 0, 'name'], message: /lone UTF-16 surrogate/ },
  { title: 'an idempotency key', mutation: 'makePromise', input: () => makePromise({ idempotencyKey: 'po-\uD800-1' }), path: ['input', 'idempotencyKey'], message: /lone UTF-16 surrogate/ },
  { title: 'a batch entry payload', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER', note: 'Good call \uDFFF' } }] }), path: ['input', 'entries', 0, 'payload', 'note'], message: /lone UTF-16 surrogate/ },
  // NUL (U+0000): no meaning in business text, and PostgreSQL's text type refuses it, so neither store takes it.
  { title: 'a description holding NUL', mutation: 'makePromise', input: () => makePromise({ description: 'Deliver\u000040 chairs' }), path: ['input', 'description'], message: /NUL character \(U\+0000\) at character 8/ },
  { title: 'a batch entry note holding NUL', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER', note: 'Good call\u0000' } }] }), path: ['input', 'entries', 0, 'payload', 'note'], message: /NUL character/ },
  // The same checks inside a batch, with the entry's index.
  { title: 'a batch entry due before it was made', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'PROMISE_MADE', occurredAt: '2026-06-01T09:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: '2026-01-01T09:00:00Z' } }] }), path: ['input', 'entries', 0, 'payload', 'dueAt'], message: /Entry 0: the due time .* must be after the promise is made/ },
  { title: 'a batch entry with currency XYZ', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'PROMISE_MADE', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', dueAt: daysFromNow(5), amount: { amount: 10, currency: 'XYZ' } } }] }), path: ['input', 'entries', 0, 'payload', 'amount', 'currency'], message: /Entry 0: "XYZ" is not an active ISO 4217/ },
  { title: 'a batch entry in 1900', mutation: 'recordEntries', input: () => ({ relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', occurredAt: '1900-01-01T00:00:00Z', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'SUPPLIER' } }] }), path: ['input', 'entries', 0, 'occurredAt'], message: /Entry 0: 1900-01-01 is before 2000-01-01/ },
];

describe.each(REFUSED)('$mutation refuses $title', (c) => {
  test(`a ValidationError at ${c.path.join('.')}, and nothing is written`, async () => {
    const before = await head(ts, rel);
    const err = await fails(c.as?.() ?? ts.supplier, c.mutation, c.input());
    expect(err).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', path: c.path.map(String) });
    expect(err.message).toMatch(c.message);
    expect(err.message).not.toMatch(/ZodError|undefined|\[object|SQLITE|stack/i);
    // The error itself is well-formed, whatever the input held.
    expect(JSON.stringify(err)).not.toMatch(/\\ud[89a-f]/i);
    expect(await head(ts, rel)).toEqual(before);
  });
});

describe('what RFC 3339 allows is accepted, and stored in the canonical UTC form', () => {
  test.each([
    ['lower-case t and z (the issue case)', () => lower(daysFromNow(40).replace(/\.\d+Z$/, 'Z')), (v: string) => `${v.slice(0, 19).toUpperCase()}.000Z`],
    ['fractional seconds past the millisecond (truncated)', () => '2027-03-01T09:00:00.123456789+02:00', () => '2027-03-01T07:00:00.123Z'],
    ['one fraction digit', () => '2027-03-01T09:00:00.5Z', () => '2027-03-01T09:00:00.500Z'],
    ['a negative offset across midnight', () => '2027-03-01T22:30:00-05:30', () => '2027-03-02T04:00:00.000Z'],
    ['-00:00 (unknown local offset) as UTC', () => '2027-03-01T09:00:00-00:00', () => '2027-03-01T09:00:00.000Z'],
    ['29 February of a leap year', () => '2028-02-29T12:00:00Z', () => '2028-02-29T12:00:00.000Z'],
  ])('%s', async (_title, value, expected) => {
    const v = value();
    const made = await must(ts.supplier, 'makePromise', makePromise({ dueAt: v }), 'promise { id dueAt } entry { payload }');
    expect(made.promise.dueAt).toBe(expected(v));
    expect(made.entry.payload.dueAt).toBe(expected(v));
  });

  test('occurredAt in lower case, in a mutation and in a batch', async () => {
    const at = '2026-03-02t08:15:00z';
    const one = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', occurredAt: at }, 'entry { occurredAt }');
    expect(one.entry.occurredAt).toBe('2026-03-02T08:15:00.000Z');
    const batch = await must(ts.client, 'recordEntries', { relationshipId: rel, entries: [{ type: 'INTERACTION_RECORDED', occurredAt: at, payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } }] }, 'entries { occurredAt }');
    expect(batch.entries[0].occurredAt).toBe('2026-03-02T08:15:00.000Z');
  });

  test('a leap second is read as the last instant of its day; asOf takes the same grammar', async () => {
    const data = ok(await ts.client.gql(`query($id: ID!, $a: DateTime, $b: DateTime) { node(id: $id) { ... on Relationship {
      a: scorecard(asOf: $a) { asOf } b: scorecard(asOf: $b) { asOf } } } }`, { id: rel, a: '2016-12-31T23:59:60Z', b: '2026-03-01t09:00:00z' }));
    expect(data.node.a.asOf).toBe('2016-12-31T23:59:59.999Z');
    expect(data.node.b.asOf).toBe('2026-03-01T09:00:00.000Z');
    const bad = await ts.client.gql(`query($id: ID!) { node(id: $id) { ... on Relationship { scorecard(asOf: "2026-03-01 09:00:00Z") { asOf } } } }`, { id: rel });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'VALIDATION' } });
    expect(bad.errors?.[0].message).toMatch(/separated by "T"/);
  });

  test('the earliest business time, 2000-01-01T00:00:00Z, and a due time just under 10 years ahead are accepted', async () => {
    const early = await must(ts.client, 'recordInteraction', { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', occurredAt: '2000-01-01T00:00:00Z' }, 'entry { occurredAt }');
    expect(early.entry.occurredAt).toBe('2000-01-01T00:00:00.000Z');
    const far = await must(ts.supplier, 'makePromise', makePromise({ occurredAt: '2026-01-10T00:00:00Z', dueAt: '2035-12-31T00:00:00Z' }), 'promise { dueAt }');
    expect(far.promise.dueAt).toBe('2035-12-31T00:00:00.000Z');
  });

  test('ISO 4217 codes beyond EUR, and well-formed text outside the BMP, are kept as sent', async () => {
    for (const currency of ['JPY', 'CHF', 'XAU', 'ZWG']) {
      const made = await must(ts.supplier, 'makePromise', makePromise({ amount: { amount: 1200, currency } }), 'promise { amount { currency } }');
      expect(made.promise.amount.currency).toBe(currency);
    }
    // Down to the minor unit, however binary floating point writes it (0.07 × 100 is not exactly 7).
    for (const [amount, currency] of [[0.07, 'USD'], [19.99, 'EUR'], [1.005, 'BHD'], [0.0001, 'CLF'], [1.5, 'XAU'], [90_071_992_547_409.91, 'USD'], [1200, 'JPY']] as const) {
      const made = await must(ts.supplier, 'makePromise', makePromise({ amount: { amount, currency } }), 'promise { amount { amount currency } }');
      expect(made.promise.amount).toEqual({ amount, currency });
    }
    const text = 'Deliver 40 chairs 🪑 (𝔽𝕒𝕤𝕥)';
    const made = await must(ts.supplier, 'makePromise', makePromise({ description: text }), 'promise { id }');
    expect((await node(ts.client, made.promise.id, '... on Promise { description }')).description).toBe(text);
  });
});
