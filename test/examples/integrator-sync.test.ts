import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@trustledger/sdk';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { activeRelationship, startTestServer, type TestServer } from '../support/server.ts';
import { batchKey, plan, readRows, toInput } from '../../examples/integrator-sync/src/rows.ts';
import { runExample } from './run.ts';

const SAMPLE = fileURLToPath(new URL('../../examples/integrator-sync/sample.csv', import.meta.url));
const rows = parse(readFileSync(SAMPLE, 'utf8'), { columns: true }) as Record<string, string>[];

let ts: TestServer;
let dir: string;
let relationshipId: string;
let env: Record<string, string>;

beforeEach(async () => {
  ts = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'integrator-sync-'));
  relationshipId = await activeRelationship(ts, '2026-01-05T09:00:00Z');
  env = { TRUSTLEDGER_URL: ts.url, TRUSTLEDGER_KEY: ts.supplier.keys.writer, TRUSTLEDGER_RELATIONSHIP: relationshipId };
});

afterEach(async () => {
  await ts.close();
  rmSync(dir, { recursive: true, force: true });
});

const reader = () => createClient({ url: ts.url, apiKey: ts.client.keys.reader });
const head = async () => (await reader().relationships.get(relationshipId)).head;

/** Each promise's state as the CSV tells it: what its last follow-up row did, else OPEN. */
function expectedStates(csvRows: Record<string, string>[]): Map<string, string> {
  const description = new Map(csvRows.filter((r) => r.type === 'promise').map((r) => [r.ref, r.description]));
  const state = new Map([...description.values()].map((d) => [d, 'OPEN']));
  // A cancellation row only proposes it: the promise stays open until the client accepts (DESIGN §2a).
  const after = { keep: 'KEPT', break: 'BROKEN' } as Record<string, string>;
  for (const r of csvRows) if (after[r.type]) state.set(description.get(r.ref) as string, after[r.type]);
  return state;
}

it("records the sample's entries with plain progress lines, and a second run records nothing new", async () => {
  expect(rows).toHaveLength(20);
  expect(await head()).toMatchObject({ seq: 2 });

  const first = await runExample('integrator-sync', [], env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`${SAMPLE}: 20 rows, 0 already in the ledger, 20 to record`);
  expect(first.stdout).toContain('recorded 20/20 entries\n'); // not a terminal: a plain line, no bar
  expect(first.stdout).not.toMatch(/\u001b\[|█|░/);
  const after = await head();
  expect(after.seq).toBe(2 + rows.length);
  expect(first.stdout).toContain(`the ledger is now at entry ${after.seq} (${after.hash.slice(0, 12)}…)`);

  const promises = await reader().promises.list(relationshipId).toArray();
  expect(new Map(promises.map((p) => [p.description, p.state]))).toEqual(expectedStates(rows));
  const byRef = (ref: string) => promises.find((p) => p.description.includes(`(${ref})`) || p.description.endsWith(ref));
  expect(byRef('PO-1042')).toMatchObject({ kind: 'DELIVERY', outcome: 'KEPT_ON_TIME' });
  // The ERP sends the reschedule months after it happened: back-dated, it buys no notice (DESIGN §2a).
  expect(promises.find((p) => p.description.startsWith('Install the lobby'))).toMatchObject({
    outcome: 'KEPT_LATE',
    originalDueAt: '2026-03-27T07:00:00.000Z',
    dueAt: '2026-04-06T07:00:00.000Z',
  });

  const second = await runExample('integrator-sync', [], env);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('20 rows, 20 already in the ledger, 0 to record');
  expect(second.stdout).toContain(`Nothing new to record; the ledger stays at entry ${after.seq}.`);
  expect(await head()).toEqual(after);
});

it('records only the rows appended since the last run, referring to promises already in the ledger', async () => {
  expect((await runExample('integrator-sync', [], env)).code).toBe(0);
  const before = await head();

  const longer = join(dir, 'erp-export.csv');
  writeFileSync(
    longer,
    `${readFileSync(SAMPLE, 'utf8')}PO-1049,keep,2026-11-02T10:00:00Z,,,,,,,,\n` +
      `PO-1051,promise,2026-11-03T09:00:00Z,supplier,delivery,Banquet chairs (PO-1051),2027-01-15T16:00:00Z,,,,\n` +
      `PO-1050,reschedule,2026-11-04T09:00:00Z,,,,,,,2027-04-20T07:00:00Z,"Awning fabric delayed, new date agreed"\n`,
  );
  const run = await runExample('integrator-sync', ['--batch-size', '2', longer], env);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('23 rows, 20 already in the ledger, 3 to record');
  expect(run.stdout).toContain('recorded 2/3 entries\nrecorded 3/3 entries\n'); // one line per batch
  expect((await head()).seq).toBe(before.seq + 3);

  const promises = await reader().promises.list(relationshipId).toArray();
  const all = parse(readFileSync(longer, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(new Map(promises.map((p) => [p.description, p.state]))).toEqual(expectedStates(all));
  expect(promises.find((p) => p.description.includes('PO-1049'))?.state).toBe('KEPT');
  expect(promises.find((p) => p.description.includes('PO-1050'))?.dueAt).toBe('2027-04-20T07:00:00.000Z');

  // And again: nothing.
  const again = await runExample('integrator-sync', [longer], env);
  expect(again.stdout).toContain('23 rows, 23 already in the ledger, 0 to record');
  expect((await head()).seq).toBe(before.seq + 3);
});

it('rows dated ahead of the server clock (within its skew) are recorded at its now, and a second run records nothing new', async () => {
  // The ERP's clock runs 4 minutes fast: the server records those times as its own now.
  const ahead = Date.now() + 4 * 60_000;
  const at = (s: number) => new Date(ahead + s * 1000).toISOString();
  const file = join(dir, 'fast-clock.csv');
  writeFileSync(
    file,
    'ref,type,occurred_at,promisor,kind,description,due_at,amount,currency,new_due_at,reason\n' +
      `PO-2001,promise,${at(0)},supplier,delivery,Spare chairs (PO-2001),${new Date(ahead + 10 * 86_400_000).toISOString()},,,,\n` +
      `PO-2001,keep,${at(1)},,,,,,,,\n`,
  );
  const first = await runExample('integrator-sync', [file], env);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('2 rows, 0 already in the ledger, 2 to record');
  const after = await head();
  expect(after.seq).toBe(4);
  const entries = await reader().relationships.ledger(relationshipId).toArray();
  for (const e of entries.slice(2)) expect(Date.parse(e.occurredAt)).toBeLessThan(ahead);

  const second = await runExample('integrator-sync', [file], env);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('2 rows, 2 already in the ledger, 0 to record');
  expect(await head()).toEqual(after);
});

it('a batch sent again from a stale view of the ledger replays: its key is a hash of the relationship and its content', async () => {
  const sdk = createClient({ url: ts.url, apiKey: ts.supplier.keys.writer });
  const stale = await sdk.relationships.ledger(relationshipId).toArray();
  const { fresh } = plan(readRows(readFileSync(SAMPLE, 'utf8')), stale, 2);
  expect(batchKey(relationshipId, fresh)).toBe(batchKey(relationshipId, plan(readRows(readFileSync(SAMPLE, 'utf8')), stale, 2).fresh));
  expect(batchKey(relationshipId, fresh)).not.toBe(batchKey(relationshipId, fresh.slice(1)));
  expect(batchKey(relationshipId, fresh)).not.toBe(batchKey(ts.client.id, fresh));

  // As the example sends it; then once more, as a run that read the ledger before this write would.
  const send = () => sdk.entries.recordBatch({ relationshipId, idempotencyKey: batchKey(relationshipId, fresh), entries: fresh.map(toInput) });
  const first = await send();
  const replay = await send();
  expect(replay.entries.map((e) => e.hash)).toEqual(first.entries.map((e) => e.hash));
  expect((await head()).seq).toBe(2 + rows.length);
});

it('two runs at once record the file once', async () => {
  const [a, b] = await Promise.all([runExample('integrator-sync', [], env), runExample('integrator-sync', [], env)]);
  expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
  expect((await head()).seq).toBe(2 + rows.length);
  const ledger = await reader().relationships.ledger(relationshipId).toArray();
  expect(ledger.filter((e) => e.type === 'PROMISE_MADE')).toHaveLength(rows.filter((r) => r.type === 'promise').length);
});

it('reports bad rows by line and records nothing of the file', async () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(
    bad,
    [
      'ref,type,occurred_at,promisor,kind,description,due_at,amount,currency,new_due_at,reason',
      'PO-1,promise,2026-02-02T10:00:00Z,supplier,delivery,Chairs (PO-1),2026-03-01T00:00:00Z,,,,',
      'PO-2,keep,2026-02-10T10:00:00Z,,,,,,,,',
      'PO-1,keep,yesterday,,,,,,,,',
      'PO-1,promise,2026-02-02T10:00:00Z,supplier,delivery,Chairs again,2026-03-01T00:00:00Z,,,,',
    ].join('\n'),
  );
  const run = await runExample('integrator-sync', [bad], env);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('line 3: no promise row above has ref PO-2');
  expect(run.stderr).toContain('line 4: occurred_at "yesterday" is not a date-time');
  expect(run.stderr).toContain('line 5: ref PO-1 already names a promise above');
  expect((await head()).seq).toBe(2);

  // A row the server rejects is named by its line too; the batch is all or nothing.
  const rejected = join(dir, 'rejected.csv');
  writeFileSync(
    rejected,
    [
      'ref,type,occurred_at,promisor,kind,description,due_at',
      'PO-1,promise,2026-02-02T10:00:00Z,supplier,delivery,Chairs (PO-1),2026-03-01T00:00:00Z',
      'PO-2,promise,2026-02-02T10:00:00Z,supplier,teleportation,Beam the chairs (PO-2),2026-03-01T00:00:00Z',
    ].join('\n'),
  );
  const server = await runExample('integrator-sync', [rejected], env);
  expect(server.code).toBe(1);
  expect(server.stderr).toMatch(/^error: line 3: payload\.kind must be one of DELIVERY, PAYMENT/m);
  expect((await head()).seq).toBe(2);
});
