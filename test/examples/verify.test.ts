import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { record, replay } from '../support/ledger.ts';
import { activeRelationship, startTestServer, type TestServer } from '../support/server.ts';
import { Story } from '../support/story.ts';
import { runExample } from './run.ts';

let ts: TestServer;
let dir: string;
let relationshipId: string;
let env: Record<string, string>;

/** A relationship with kept, rescheduled, broken and open promises, a complaint answered, contacts. */
beforeEach(async () => {
  ts = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'verify-'));
  relationshipId = await activeRelationship(ts, '2026-01-05T09:00:00Z');
  const story = new Story('2026-01-10T09:00:00Z');
  const a = story.promise('SUPPLIER', 'DELIVERY', 'Chairs (PO-1)', 10);
  story.later(9).add('PROMISE_KEPT', { promiseSeq: a.seq });
  const b = story.promise('CLIENT', 'PAYMENT', 'Advance (PO-2)', 14, { amount: 5000, currency: 'EUR' });
  story.later(10).add('PROMISE_RESCHEDULED', { promiseSeq: b.seq, newDueAt: new Date(story.time + 10 * 86_400_000).toISOString(), reason: 'Budget approval' });
  story.later(8).add('PROMISE_KEPT', { promiseSeq: b.seq });
  const c = story.promise('SUPPLIER', 'INSTALLATION', 'Install (PO-3)', 5);
  story.later(7).add('PROMISE_BROKEN', { promiseSeq: c.seq, reason: 'Fitter ill' });
  const complaint = story.interaction('COMPLAINT', 'CLIENT', { note: 'No show' });
  story.later(0.5).add('COMPLAINT_RESPONDED', { interactionSeq: complaint });
  story.later(3).interaction('POSITIVE_CONTACT', 'CLIENT');
  story.interaction('SATISFACTION', 'CLIENT', { score: 4 });
  story.promise('SUPPLIER', 'DELIVERY', 'Tables (PO-4)', 400);
  // Each side records what it may author (DESIGN §2a).
  await replay(ts, relationshipId, story.entries);
  env = { TRUSTLEDGER_URL: ts.url, TRUSTLEDGER_KEY: ts.client.keys.reader, TRUSTLEDGER_RELATIONSHIP: relationshipId };
});

afterEach(async () => {
  await ts.close();
  rmSync(dir, { recursive: true, force: true });
});

const rawId = () => Buffer.from(relationshipId, 'base64').toString().split(':')[1];

it('verifies a good ledger, prints every figure served and computed with ✓, and keeps a pinned head', async () => {
  const pin = join(dir, 'head.json');
  const run = await runExample('verify', ['--pin', pin], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Oak & Sons Furniture (supplier) – Harbor Hotels (client): 14 ledger entries');
  expect(run.stdout).toMatch(/✓ hash chain verifies: entries 1–14/);
  expect(run.stdout).toContain('✓ all 53 figures agree');
  expect(run.stdout).not.toContain('✗');
  for (const figure of ['supplier.trustScore', 'client.reliability.score', 'supplier.responsiveness.evidence', 'churn.stage'])
    expect(run.stdout).toMatch(new RegExp(`^${figure.replace(/\./g, '\\.')}\\s+\\S+\\s+\\S+\\s+✓$`, 'm'));
  const pinned = JSON.parse(readFileSync(pin, 'utf8'));
  expect(pinned).toMatchObject({ relationshipId, seq: 14 });

  // The ledger grows: it still extends the pin, which moves to the new head.
  await record(ts.client, relationshipId, [{ type: 'INTERACTION_RECORDED', occurredAt: '2026-03-20T09:00:00Z', payload: { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } }]);
  const again = await runExample('verify', ['--pin', pin], env);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`✓ it extends the pinned head, entry 14 (${pinned.hash.slice(0, 12)}…)`);
  expect(JSON.parse(readFileSync(pin, 'utf8'))).toMatchObject({ seq: 15 });
});

it('reproduces a scorecard pinned earlier with --as-of and --at-seq, after back-dated entries moved the unpinned one', async () => {
  const first = await runExample('verify', ['--as-of', '2026-03-15T00:00:00Z'], env);
  expect(first.code).toBe(0);
  const figure = (out: string, name: string) => new RegExp(`^${name.replace(/\./g, '\\.')}\\s+(\\S+)`, 'm').exec(out)?.[1];
  const pinnedScore = figure(first.stdout, 'supplier.trustScore');
  expect(pinnedScore).toBeDefined();
  // The supplier back-dates a broken delivery to before 15 March.
  await record(ts.supplier, relationshipId, [
    { type: 'PROMISE_MADE', occurredAt: '2026-02-01T09:00:00Z', payload: { promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Lamps (PO-5)', dueAt: '2026-02-10T09:00:00Z' } },
    { type: 'PROMISE_BROKEN', occurredAt: '2026-02-12T09:00:00Z', payload: { promiseSeq: 15, reason: 'Lost in transit' } },
  ]);
  const unpinned = await runExample('verify', ['--as-of', '2026-03-15T00:00:00Z'], env);
  expect(unpinned.code).toBe(0);
  expect(figure(unpinned.stdout, 'supplier.trustScore')).not.toBe(pinnedScore);
  const pinned = await runExample('verify', ['--as-of', '2026-03-15T00:00:00Z', '--at-seq', '14'], env);
  expect(pinned.code).toBe(0);
  expect(pinned.stdout).toContain('from entry 14 (as known then; the ledger is now at entry 16)');
  expect(figure(pinned.stdout, 'supplier.trustScore')).toBe(pinnedScore);
  expect(pinned.stdout).toContain('✓ all 53 figures agree');
});

it('exits 1 naming the entry when a stored payload was edited, and leaves the pin alone', async () => {
  const pin = join(dir, 'head.json');
  expect((await runExample('verify', ['--pin', pin], env)).code).toBe(0);
  const before = readFileSync(pin, 'utf8');

  // Someone with access to the database halves the advance of PO-2 (entry 5).
  const [row] = (await ts.rawSql<{ type: string; payload: string }>('select type, payload from entries where relationship_id = ? and seq = 5', rawId())).rows;
  expect(row.type).toBe('PROMISE_MADE');
  const payload = JSON.parse(row.payload);
  payload.amount.amount = 2500;
  await ts.rawSql('update entries set payload = ? where relationship_id = ? and seq = 5', JSON.stringify(payload), rawId());

  const run = await runExample('verify', ['--pin', pin], env);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^✗ ledger entry 5 \(PROMISE_MADE, occurred [^)]+\): entry 5's content does not match its hash \[HASH_MISMATCH\]$/m);
  expect(run.stdout).not.toContain('figures agree');
  expect(readFileSync(pin, 'utf8')).toBe(before);
});

it('exits 1 marking the figure with ✗ when the served scorecard differs from the one the ledger gives', async () => {
  // A server bug, simulated: its incremental score state counts one promise too many for the supplier.
  const [{ score_state }] = (await ts.rawSql<{ score_state: string }>('select score_state from relationships where id = ?', rawId())).rows;
  const state = JSON.parse(score_state);
  state.sides.SUPPLIER.reliability.n += 1;
  await ts.rawSql('update relationships set score_state = ? where id = ?', JSON.stringify(state), rawId());

  const run = await runExample('verify', [], env);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/✓ hash chain verifies/);
  expect(run.stdout).toMatch(/^supplier\.reliability\.evidence\s+3\s+2\s+✗$/m);
  expect(run.stdout).toMatch(/^supplier\.reliability\.score\s+\S+\s+\S+\s+✓$/m);
  expect(run.stdout).toContain('✗ 1 of 53 figures differ: supplier.reliability.evidence');
});

it('exits 1 when history was cut behind a pinned head', async () => {
  const pin = join(dir, 'head.json');
  expect((await runExample('verify', ['--pin', pin], env)).code).toBe(0);
  const cut = await ts.rawSql('delete from entries where relationship_id = ? and seq = 14', rawId());
  expect(cut.changes).toBe(1);
  const run = await runExample('verify', ['--pin', pin], env);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/✗ ledger entry 14: .*truncated \[PINNED_HEAD_MISSING\]/);
  expect(existsSync(pin)).toBe(true);
});
