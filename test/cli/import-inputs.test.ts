/**
 * The CSV importer checks rows with the same input module as the API (DESIGN §2a, last bullet):
 * RFC 3339 in full, ISO 4217, due after made, a plausible window. Each bad row is reported by
 * line and column in the API's own words, and nothing is written; good rows in RFC 3339's other
 * allowed forms (lower-case t/z, offsets, fractions) are recorded in canonical UTC.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@trustledger/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli, cliJson, gql, tempDb } from './cli.ts';

const tmp = tempDb();
let server: RunningServer;
let supplierKey: string;
let clientId: string;
let clientKey: string;

const api = <T = any>(query: string, variables?: Record<string, unknown>) => gql<T>(server.graphqlUrl, supplierKey, query, variables);

beforeAll(async () => {
  const supplier = await cliJson(tmp.db, ['firm', 'create', 'Oak & Sons Furniture']);
  supplierKey = (await cliJson(tmp.db, ['key', 'create', supplier.id, '--role', 'writer'])).secret;
  const client = await cliJson(tmp.db, ['firm', 'create', 'Harbor Hotels']);
  clientKey = (await cliJson(tmp.db, ['key', 'create', client.id, '--role', 'writer'])).secret;
  server = await startServer({ ...tmp.options, port: 0, rateLimitPerMinute: 0 });
  clientId = (await gql(server.graphqlUrl, clientKey, '{ viewer { firm { id } } }')).viewer.firm.id;
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp[Symbol.dispose]();
});

/** A new relationship, accepted, as of 2026-01-05. */
async function relationship(): Promise<{ id: string; head: () => Promise<number> }> {
  const at = '2026-01-05T09:00:00Z';
  const p = await api('mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }', {
    i: { counterpartyId: clientId, viewerSide: 'SUPPLIER', occurredAt: at },
  });
  const id = p.proposeRelationship.relationship.id as string;
  await gql(server.graphqlUrl, clientKey, 'mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }', { i: { relationshipId: id, occurredAt: at } });
  const head = async () => (await api('query($id: ID!) { node(id: $id) { ... on Relationship { head { seq } } } }', { id })).node.head.seq as number;
  return { id, head };
}

const HEADER = 'ref,type,occurred_at,promisor,kind,description,due_at,amount,currency,new_due_at,reason';

test('bad dates, times, currencies and due times are reported by line and column in the words the API uses; nothing is written', async () => {
  const rel = await relationship();
  const before = await rel.head();
  const rows = [
    'P1,promise,2026-02-01T09:00:00Z,supplier,delivery,Chairs,2027-13-01T00:00:00Z,,,,', // 2: month 13
    'P2,promise,2026-02-01T09:00:00Z,supplier,delivery,Tables,2027-03-01 09:00:00Z,,,,', // 3: space for T
    'P3,promise,1900-01-01,supplier,delivery,Lamps,2026-03-01T09:00:00Z,,,,', // 4: a spreadsheet's zero
    'P4,promise,2026-02-01T09:00:00Z,supplier,delivery,Sofas,2026-03-01T09:00:00Z,1200,XYZ,,', // 5: not ISO 4217
    'P5,promise,2026-06-01T09:00:00Z,supplier,delivery,Desks,2026-01-01T09:00:00Z,,,,', // 6: due before made
    'P6,promise,2026-02-01T09:00:00Z,supplier,delivery,Beds,2207-03-01T09:00:00Z,,,,', // 7: year typo
    'P7,promise,2026-02-01T09:00:00Z,supplier,delivery,Rugs,2026-02-30T09:00:00Z,,,,', // 8: 30 February
    'P8,promise,2026-02-01T09:00:00Z,supplier,delivery,Shelves,2026-03-01T09:00:00Z,,,,', // 9: good
    'P8,reschedule,2026-04-01T09:00:00Z,,,,,,,2026-03-15T09:00:00Z,Strike', // 10: new due before the reschedule
    'P8,reschedule,2026-02-10T09:00:00+01:00,,,,,,,2026-03-20T25:00:00Z,Strike', // 11: hour 25
    'P9,promise,2026-02-01T09:00:00Z,supplier,payment,Deposit,2026-03-01T09:00:00Z,5.5,JPY,,', // 12: finer than the yen
    'P10,promise,2026-02-01T09:00:00Z,supplier,payment,Fee,2026-03-01T09:00:00Z,1.005,USD,,', // 13: a tenth of a cent
  ];
  const file = join(tmp.dir, 'bad-inputs.csv');
  writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
  const r = await cli(tmp.db, ['import', file, '--relationship', rel.id, '--as-firm', 'Oak & Sons Furniture']);
  expect(r.code).toBe(1);
  const expected = [
    'line 2: due_at: "2027-13-01T00:00:00Z" is not an RFC 3339 date-time: month 13 does not exist',
    'line 3: due_at: "2027-03-01 09:00:00Z" is not an RFC 3339 date-time: date and time must be separated by "T" (2027-03-01T09:00:00Z)',
    'line 4: occurred_at: 1900-01-01 is before 2000-01-01, the earliest business time a ledger accepts',
    'line 5: currency: "XYZ" is not an active ISO 4217 currency code',
    'line 6: due_at: the due time 2026-01-01T09:00:00.000Z must be after the promise is made (2026-06-01T09:00:00.000Z)',
    'line 7: due_at: the due time 2207-03-01 is more than 10 years after the promise is made (2026-02-01); check the year.',
    'line 8: due_at: "2026-02-30T09:00:00Z" is not an RFC 3339 date-time: February 2026 has 28 days',
    'line 10: new_due_at: the due time 2026-03-15T09:00:00.000Z must be after the reschedule is made (2026-04-01T09:00:00.000Z)',
    'line 11: new_due_at: "2026-03-20T25:00:00Z" is not an RFC 3339 date-time: hour 25 does not exist',
    'line 12: amount: 5.5 JPY is finer than its minor unit: JPY has no minor unit in ISO 4217 (0 decimal places), so the amount must be a whole number',
    'line 13: amount: 1.005 USD is finer than its minor unit: ISO 4217 gives USD 2 decimal places (1/100 USD), so the amount can have at most 2',
  ];
  for (const line of expected) expect(r.stderr).toContain(line);
  expect(r.stderr).not.toMatch(/line 9:/);
  expect(r.stdout).toMatch(/12 rows, 1 would be recorded, 0 already in the ledger, 11 bad; nothing written/);
  expect(await rel.head()).toBe(before);

  // The API refuses the same values with the same words.
  const apiError = async (input: Record<string, unknown>) =>
    (
      await api('mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { message path } } }', {
        i: { relationshipId: rel.id, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Chairs', ...input },
      })
    ).makePromise.errors[0];
  for (const [input, line] of [
    [{ dueAt: '2027-13-01T00:00:00Z' }, 2],
    [{ occurredAt: '2026-02-01T09:00:00Z', dueAt: '2026-03-01T09:00:00Z', amount: { amount: 1200, currency: 'XYZ' } }, 5],
    [{ occurredAt: '2026-06-01T09:00:00Z', dueAt: '2026-01-01T09:00:00Z' }, 6],
  ] as const) {
    const e = await apiError(input);
    expect(r.stderr).toContain(`line ${line}: ${e.path.at(-1) === 'currency' ? 'currency' : 'due_at'}: ${e.message}`);
  }
  expect(await rel.head()).toBe(before);
});

test("rows in RFC 3339's other forms are recorded in canonical UTC; a lower-case currency is read as its code", async () => {
  const rel = await relationship();
  const rows = [
    'P1,promise,2026-02-01t09:00:00z,supplier,delivery,Chairs,2026-03-01t16:00:00.25+02:00,58800,eur,,',
    'P1,reschedule,2026-02-20T23:30:00-05:00,,,,,,,2026-03-10T09:00:00Z,Strike at the port',
  ];
  const file = join(tmp.dir, 'good-inputs.csv');
  writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
  const r = await cliJson(tmp.db, ['import', file, '--relationship', rel.id, '--as-firm', 'Oak & Sons Furniture']);
  expect(r).toMatchObject({ rows: 2, recorded: 2, bad: [], written: true });
  const data = await api('query($id: ID!) { node(id: $id) { ... on Relationship { ledger(first: 100) { edges { node { seq type occurredAt payload } } } } } }', { id: rel.id });
  const [made, rescheduled] = data.node.ledger.edges.map((e: any) => e.node).filter((e: any) => e.type.startsWith('PROMISE_'));
  expect(made).toMatchObject({ occurredAt: '2026-02-01T09:00:00.000Z', payload: { dueAt: '2026-03-01T14:00:00.250Z', amount: { amount: 58800, currency: 'EUR' } } });
  expect(rescheduled).toMatchObject({ occurredAt: '2026-02-21T04:30:00.000Z', payload: { newDueAt: '2026-03-10T09:00:00.000Z' } });
});
