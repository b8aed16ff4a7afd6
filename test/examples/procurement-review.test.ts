import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ReviewItem } from '@trustledger/sdk';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BatchEntry } from '../support/ledger.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { runExample, tableRows } from './run.ts';

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
/** One instant for the example and the API calls it is compared with. */
const AS_OF = ago(0);

let ts: TestServer;
let env: Record<string, string>;
let dir: string;

/** Harbor Hotels buys from six suppliers: supplier k kept k of its promises and broke the rest; one has none. */
beforeAll(async () => {
  ts = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'procurement-review-'));
  env = { TRUSTLEDGER_URL: ts.url, TRUSTLEDGER_KEY: ts.client.keys.reader };
  const client = createClient({ url: ts.url, apiKey: ts.client.keys.writer });
  const names = ['Alder Timber', 'Birch, Beech & Co', 'Cedar "Premium" Joinery', 'Dogwood Textiles', 'Elm Lighting', 'Fir Fittings'];
  for (const [k, name] of names.entries()) {
    const firm = await ts.firm(name);
    const supplier = createClient({ url: ts.url, apiKey: firm.keys.writer });
    const { relationship } = await supplier.relationships.propose({ counterpartyId: ts.client.id, viewerSide: 'SUPPLIER', occurredAt: ago(120) });
    await client.relationships.accept({ relationshipId: relationship.id, occurredAt: ago(120) });
    const entries: BatchEntry[] = [];
    for (let i = 0; i < (k === 5 ? 0 : 5); i++) {
      entries.push({ type: 'PROMISE_MADE', occurredAt: ago(100 - i), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `Order ${i}`, dueAt: ago(80 - i) } });
      const promiseSeq = 3 + 2 * i;
      entries.push(
        i < k
          ? { type: 'PROMISE_KEPT', occurredAt: ago(81 - i), payload: { promiseSeq } }
          : { type: 'PROMISE_BROKEN', occurredAt: ago(79 - i), payload: { promiseSeq, reason: 'No stock' } },
      );
    }
    if (k === 2) entries.push({ type: 'PROMISE_MADE', occurredAt: ago(20), payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Late', dueAt: ago(5) } });
    if (entries.length) await supplier.entries.recordBatch({ relationshipId: relationship.id, entries: entries as never });
  }
});

afterAll(async () => {
  await ts?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const review = (orderBy: 'TRUST_SCORE_ASC' | 'TRUST_SCORE_DESC') =>
  createClient({ url: ts.url, apiKey: ts.client.keys.reader }).review({ as: 'CLIENT', orderBy, asOf: AS_OF }).toArray();

/** Trust scores in the order printed, "–" (Unrated) only at the end. */
function expectOrder(scores: string[], direction: 1 | -1) {
  const rated = scores.filter((s) => s !== '–').map(Number);
  expect(scores.slice(rated.length).every((s) => s === '–')).toBe(true);
  for (let i = 1; i < rated.length; i++) expect((rated[i] - rated[i - 1]) * direction).toBeGreaterThanOrEqual(0);
}

it('prints the suppliers lowest trust score first by default, Unrated last, as the API ranks them', async () => {
  const run = await runExample('procurement-review', ['--as-of', AS_OF], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Harbor Hotels: 6 suppliers, lowest trust score first');
  const rows = tableRows(run.stdout);
  const items = await review('TRUST_SCORE_ASC');
  expect(rows.map((r) => r[1])).toEqual(items.map((i) => i.counterparty.name));
  expectOrder(
    rows.map((r) => r[3]),
    1,
  );
  expect(rows.at(-1)).toEqual(['6', 'Fir Fittings', 'UNRATED', '–', 'STABLE', '–', '0', '0']);
  // # supplier band trust-score stage reliability open overdue, as the API has them.
  const cedar = rows.find((r) => r[1].startsWith('Cedar'));
  const item = items.find((i) => i.counterparty.name.startsWith('Cedar')) as ReviewItem;
  expect(cedar?.slice(2)).toEqual([item.band, item.trustScore?.toFixed(1), item.stage, item.score.reliability.score?.toFixed(1), '1', '1']);
});

it('prints highest first with --order desc and writes a CSV whose rows match the API review', async () => {
  const csv = join(dir, 'suppliers.csv');
  const run = await runExample('procurement-review', ['--order', 'desc', '--csv', csv, '--as-of', AS_OF], env);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('highest trust score first');
  expect(run.stdout).toContain(`Wrote 6 rows to ${csv}`);
  const items = await review('TRUST_SCORE_DESC');
  const rows = tableRows(run.stdout);
  expect(rows.map((r) => r[1])).toEqual(items.map((i) => i.counterparty.name));
  expectOrder(
    rows.map((r) => r[3]),
    -1,
  );

  // Starts with a BOM, so Excel reads it as UTF-8.
  expect(readFileSync(csv).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const records = parse(readFileSync(csv, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
  const cell = (v: number | null, digits: number) => (v === null ? '' : String(Number(v.toFixed(digits))));
  expect(records).toEqual(
    items.map((i) => ({
      counterparty: i.counterparty.name,
      counterparty_id: i.counterparty.id,
      relationship_id: i.relationship.id,
      status: 'ACTIVE',
      band: i.band,
      trust_score: cell(i.trustScore, 1),
      change_90d: cell(i.change, 1),
      confidence: cell(i.score.confidence, 2),
      reliability: cell(i.score.reliability.score, 1),
      transparency: cell(i.score.transparency.score, 1),
      responsiveness: cell(i.score.responsiveness.score, 1),
      goal_attainment: cell(i.score.goalAttainment.score, 1),
      churn_stage: i.stage,
      open_promises: String(i.openPromises),
      overdue_promises: String(i.overduePromises),
    })),
  );
  // Names with commas and quotes survive the round trip.
  expect(records.map((r) => r.counterparty)).toContain('Birch, Beech & Co');
  expect(records.map((r) => r.counterparty)).toContain('Cedar "Premium" Joinery');
});

it('reviews the clients with --as supplier, filters by band, and fails plainly on a bad key', async () => {
  const asSupplier = await runExample('procurement-review', ['--as', 'supplier'], { ...env, TRUSTLEDGER_KEY: ts.supplier.keys.reader });
  expect(asSupplier.code).toBe(0);
  expect(asSupplier.stdout).toContain('Oak & Sons Furniture: 0 clients');

  const unrated = await runExample('procurement-review', ['--band', 'unrated', '--as-of', AS_OF], env);
  expect(tableRows(unrated.stdout).map((r) => r[1])).toEqual(['Fir Fittings']);

  const bad = await runExample('procurement-review', [], { ...env, TRUSTLEDGER_KEY: 'tl_not-a-key' });
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toMatch(/^error: .*key/i);
  const missing = await runExample('procurement-review', [], { TRUSTLEDGER_URL: ts.url, TRUSTLEDGER_KEY: '' });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('Usage: procurement-review');
});
