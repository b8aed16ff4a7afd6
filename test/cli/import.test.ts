/**
 * `import FILE.csv`: the real CLI records a CSV file in a relationship's ledger; a second import
 * records nothing new; a bad row is reported by line and nothing is written, unless --skip-bad.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@trustledger/server';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createClient } from '@trustledger/sdk';
import { cli, cliJson, gql, SAMPLE, tempDb } from './cli.ts';

interface Firm {
  id: string;
  name: string;
  key: string;
}

const tmp = tempDb();
let server: RunningServer;
let supplier: Firm;
let client: Firm;
/** The relationship under test: a new one for each test, between the same two firms. */
let relationshipId: string;

const api = <T = any>(key: string, query: string, variables?: Record<string, unknown>) => gql<T>(server.graphqlUrl, key, query, variables);

/** The relationship's ledger through the API: its head and entries. */
async function ledger(): Promise<{ head: number; entries: { seq: number; type: string; actorId: string; payload: any; occurredAt: string; status: string }[] }> {
  const data = await api(
    client.key,
    'query($id: ID!) { node(id: $id) { ... on Relationship { head { seq } ledger(first: 100) { edges { node { seq type actorId payload occurredAt status } } } } } }',
    { id: relationshipId },
  );
  return { head: data.node.head.seq, entries: data.node.ledger.edges.map((e: any) => e.node) };
}

/** Two firms and their keys through the CLI; the API server the tests read the ledger with. */
beforeAll(async () => {
  const firm = async (name: string): Promise<Firm> => {
    const f = await cliJson(tmp.db, ['firm', 'create', name]);
    return { id: f.id, name, key: (await cliJson(tmp.db, ['key', 'create', f.id, '--role', 'writer'])).secret };
  };
  supplier = await firm('Oak & Sons Furniture');
  client = await firm('Harbor Hotels');
  server = await startServer({ ...tmp.options, port: 0, rateLimitPerMinute: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp[Symbol.dispose]();
});

/** An active relationship with an agreed goal (4 entries), through the API. */
beforeEach(async () => {
  const at = '2026-01-05T09:00:00Z';
  const proposed = await api(supplier.key, 'mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }', {
    i: { counterpartyId: client.id, viewerSide: 'SUPPLIER', occurredAt: at },
  });
  relationshipId = proposed.proposeRelationship.relationship.id;
  await api(client.key, 'mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }', { i: { relationshipId, occurredAt: at } });
  const goal = await api(client.key, 'mutation($i: ProposeGoalInput!) { proposeGoal(input: $i) { goal { id } errors { message } } }', {
    i: {
      relationshipId,
      title: 'Deliveries on time',
      occurredAt: at,
      metrics: [{ name: 'On-time delivery', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80, accountable: 'SUPPLIER' }],
    },
  });
  await api(supplier.key, 'mutation($i: AcceptGoalInput!) { acceptGoal(input: $i) { errors { message } } }', { i: { goalId: goal.proposeGoal.goal.id, occurredAt: at } });
  expect((await ledger()).head).toBe(SETUP_ENTRIES);
});

/** The relationship's setup entries: proposed, accepted, goal proposed, goal accepted. */
const SETUP_ENTRIES = 4;

const importArgs = (file: string, ...more: string[]) => ['import', file, '--relationship', relationshipId, '--as-firm', 'Oak & Sons Furniture', ...more];

test('the sample file is recorded; importing it again records nothing new', async () => {
  const first = await cli(tmp.db, importArgs(SAMPLE));
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/19 rows, 19 recorded, 0 already in the ledger, 0 bad/);
  // Progress as plain lines: stdout is not a terminal.
  expect(first.stderr).toContain('checked 19/19 rows');

  const read = await ledger();
  expect(read.head).toBe(SETUP_ENTRIES + 19);
  const imported = read.entries.slice(SETUP_ENTRIES);
  const supplierRaw = Buffer.from(supplier.id, 'base64').toString().slice('Firm:'.length);
  expect(imported.every((e) => e.actorId === supplierRaw)).toBe(true);
  expect(imported.map((e) => e.type)).toEqual([
    'INTERACTION_RECORDED',
    'PROMISE_MADE',
    'PROMISE_MADE',
    'PROMISE_MADE',
    'INTERACTION_RECORDED',
    'PROMISE_MADE',
    'PROMISE_CANCELLED',
    'PROMISE_MADE',
    'PROMISE_KEPT',
    'PROMISE_RESCHEDULED',
    'INTERACTION_RECORDED',
    'COMPLAINT_RESPONDED',
    'COMPLAINT_RESOLVED',
    'PROMISE_KEPT',
    'PROMISE_MADE',
    'INTERACTION_RECORDED',
    'PROMISE_BROKEN',
    'INTERACTION_RECORDED',
    'INTERACTION_RECORDED',
  ]);
  // The client's payment promises, written by the supplier, are proposals the client accepts (DESIGN §2a).
  const advance = imported.find((e) => e.type === 'PROMISE_MADE' && e.payload.description.startsWith('70% advance'));
  expect(advance?.payload).toMatchObject({ promisor: 'CLIENT', kind: 'PAYMENT', amount: { amount: 58800, currency: 'EUR' }, dueAt: '2026-03-16T17:00:00.000Z' });
  expect(advance?.status).toBe('PROPOSED');
  // Refs become seqs: the delivery's keep points at the delivery's promise, the response at its complaint.
  const delivery = imported.find((e) => e.type === 'PROMISE_MADE' && e.payload.description === 'Lobby furniture (PO-1042)');
  expect(imported.find((e) => e.type === 'PROMISE_KEPT')?.payload).toEqual({ promiseSeq: delivery?.seq, inFull: true });
  expect(imported[11].payload.interactionSeq).toBe(imported[10].seq);
  expect(imported[4].payload).toEqual({ kind: 'ACTIVITY', initiatedBy: 'CLIENT', note: 'Order for 12 guest rooms', volume: 12 });

  const again = await cliJson(tmp.db, importArgs(SAMPLE));
  expect(again).toMatchObject({ rows: 19, recorded: 0, duplicates: 19, bad: [], written: false });
  expect((await ledger()).head).toBe(SETUP_ENTRIES + 19);
});

test('rows dated ahead of the server clock (within the skew) are recorded at its now, and importing the file again records nothing new', async () => {
  // Another firm's clock running fast: 4 minutes ahead, inside the 5-minute skew the server accepts.
  const ahead = new Date(Date.now() + 4 * 60_000);
  const at = (s: number) => new Date(ahead.getTime() + s * 1000).toISOString();
  const due = new Date(ahead.getTime() + 10 * 86_400_000).toISOString();
  const file = join(tmp.dir, 'ahead.csv');
  writeFileSync(
    file,
    `ref,type,occurred_at,promisor,kind,description,due_at,interaction_kind,initiated_by,volume
PO-9,promise,${at(0)},supplier,delivery,Spare chairs,${due},,,
,interaction,${at(1)},,,,,activity,client,7
PO-9,keep,${at(2)},,,,,,,
`,
  );
  const first = await cliJson(tmp.db, importArgs(file));
  expect(first).toMatchObject({ rows: 3, recorded: 3, duplicates: 0, bad: [], written: true });
  const read = await ledger();
  const recorded = read.entries.slice(SETUP_ENTRIES);
  expect(recorded.map((e) => e.type)).toEqual(['PROMISE_MADE', 'INTERACTION_RECORDED', 'PROMISE_KEPT']);
  // No business time after the moment of recording.
  for (const e of recorded) expect(Date.parse(e.occurredAt)).toBeLessThan(ahead.getTime());

  const again = await cliJson(tmp.db, importArgs(file));
  expect(again).toMatchObject({ rows: 3, recorded: 0, duplicates: 3, bad: [], written: false });
  expect((await ledger()).head).toBe(SETUP_ENTRIES + 3);

  // The same rows dated earlier than the moment they were recorded are other events: recorded.
  const earlier = new Date(Date.parse(recorded[1].occurredAt) - 60_000).toISOString();
  writeFileSync(file, `type,occurred_at,interaction_kind,initiated_by,volume\ninteraction,${earlier},activity,client,7\n`);
  expect(await cliJson(tmp.db, importArgs(file))).toMatchObject({ recorded: 1, duplicates: 0, written: true });
});

const BAD = `ref,type,occurred_at,promisor,kind,description,due_at,new_due_at,reason,interaction_kind,initiated_by,volume,metric_ref,value
PO-1,promise,2026-02-01T09:00:00Z,supplier,delivery,Chairs,2026-02-10T16:00:00Z,,,,,,,
PO-2,promise,2026-02-01T09:05:00Z,supplier,delivery,Tables,next week,,,,,,,
PO-1,keep,2026-02-09T12:00:00Z,,,,,,,,,,,
,interaction,2026-02-11T10:00:00Z,,,,,,,activity,client,,,
,measurement,2026-02-28T18:00:00Z,,,,,,,,,,On-time delivery,90
PO-2,keep,2026-03-01T12:00:00Z,,,,,,,,,,,
`;

test('a file with bad rows reports each by line and reason, and writes nothing', async () => {
  const file = join(tmp.dir, 'bad.csv');
  writeFileSync(file, BAD);
  const r = await cli(tmp.db, importArgs(file));
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('line 3: due_at: "next week" is not an RFC 3339 date-time');
  expect(r.stderr).toContain('line 5: volume: an activity needs a volume');
  expect(r.stderr).toContain('line 7: ref: "PO-2" is the ref of line 3, which is bad');
  expect(r.stdout).toMatch(/6 rows, 3 would be recorded, 0 already in the ledger, 3 bad; nothing written/);
  expect((await ledger()).head).toBe(SETUP_ENTRIES);

  // --dry-run checks and writes nothing either; --json gives the same report.
  const dry = await cliJson(tmp.db, importArgs(file, '--dry-run', '--skip-bad'));
  expect(dry).toMatchObject({ rows: 6, recorded: 3, written: false });
  expect(dry.bad.map((b: any) => b.line)).toEqual([3, 5, 7]);
  expect((await ledger()).head).toBe(SETUP_ENTRIES);
});

test('--skip-bad writes the good rows and reports the bad ones', async () => {
  const file = join(tmp.dir, 'bad.csv');
  writeFileSync(file, BAD);
  const r = await cliJson(tmp.db, importArgs(file, '--skip-bad'));
  expect(r).toMatchObject({ rows: 6, recorded: 3, duplicates: 0, written: true });
  expect(r.bad).toEqual([
    { line: 3, message: expect.stringContaining('due_at') },
    { line: 5, message: 'volume: an activity needs a volume' },
    { line: 7, message: expect.stringContaining('PO-2') },
  ]);
  const read = await ledger();
  expect(read.head).toBe(SETUP_ENTRIES + 3);
  expect(read.entries.slice(SETUP_ENTRIES).map((e) => e.type)).toEqual(['PROMISE_MADE', 'PROMISE_KEPT', 'MEASUREMENT_RECORDED']);
  // The measurement found its metric by name: the goal proposed at seq 3, metric 0.
  expect(read.entries[SETUP_ENTRIES + 2].payload).toEqual({ metricSeq: 3, metricIndex: 0, value: 90 });

  // Once fixed, the file imports the rest; what is already there is not recorded twice.
  writeFileSync(file, BAD.replace('next week', '2026-02-20T16:00:00Z').replace('activity,client,,', 'activity,client,14,'));
  const fixed = await cliJson(tmp.db, importArgs(file));
  expect(fixed).toMatchObject({ recorded: 3, duplicates: 3, bad: [], written: true });
  expect((await ledger()).head).toBe(SETUP_ENTRIES + 6);
});

test('the recording firm must be party to the relationship; the file must be CSV with known columns', async () => {
  await cliJson(tmp.db, ['firm', 'create', 'Nosy Competitor']);
  const outsider = await cli(tmp.db, ['import', SAMPLE, '--relationship', relationshipId, '--as-firm', 'Nosy Competitor']);
  expect(outsider.code).toBe(1);
  expect(outsider.stderr).toMatch(/no relationship ".+" that Nosy Competitor is party to/);

  const file = join(tmp.dir, 'odd.csv');
  writeFileSync(file, 'ref,type,occurred_at,colour\nA,promise,2026-02-01T09:00:00Z,red\n');
  const odd = await cli(tmp.db, importArgs(file));
  expect(odd.code).toBe(1);
  expect(odd.stderr).toMatch(/line 1: unknown column colour/);

  writeFileSync(file, 'ref,type,occurred_at\nA,"promise,2026-02-01\n');
  const broken = await cli(tmp.db, importArgs(file));
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/not valid CSV/);
  expect((await ledger()).head).toBe(SETUP_ENTRIES);
});

test('a file with only the columns it needs; refs to entries already in the ledger by #seq, metrics by SEQ:INDEX', async () => {
  const file = join(tmp.dir, 'short.csv');
  writeFileSync(file, 'type,occurred_at,interaction_kind,initiated_by,volume,note\ninteraction,2026-06-01,activity,client,42,Week 22 orders\n');
  const short = await cliJson(tmp.db, importArgs(file));
  expect(short).toMatchObject({ recorded: 1, written: true });
  const [week] = (await ledger()).entries.slice(SETUP_ENTRIES);
  expect(week).toMatchObject({ occurredAt: '2026-06-01T00:00:00.000Z', payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 42 } });

  writeFileSync(file, 'ref,type,occurred_at,kind,description,due_at,metric_ref,value\nP,promise,2026-06-02T09:00:00Z,delivery,Lamps,2026-06-09T09:00:00Z,,\n');
  const promise = await cliJson(tmp.db, importArgs(file));
  const seq = promise.seqs[0];
  writeFileSync(file, `ref,type,occurred_at,metric_ref,value\n#${seq},keep,2026-06-08T09:00:00Z,,\n,measurement,2026-06-30T18:00:00Z,3:0,97\n#1,keep,2026-06-30T18:00:00Z,,\n`);
  const r = await cli(tmp.db, importArgs(file, '--skip-bad'));
  expect(r.stderr).toMatch(/line 4: ref: No promise was made at entry 1/);
  const entries = (await ledger()).entries.slice(SETUP_ENTRIES + 2);
  expect(entries.map((e) => [e.type, e.payload])).toEqual([
    ['PROMISE_KEPT', { promiseSeq: seq, inFull: true }],
    ['MEASUREMENT_RECORDED', { metricSeq: 3, metricIndex: 0, value: 97 }],
  ]);
});

test('a scorecard read while another process (the CLI) appends to the ledger is the one of the new head, as the SDK recomputes it', async () => {
  const CARD = 'query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { head { seq hash } supplier { trustScore evidence } client { evidence } } } } }';
  // Read twice: the server now holds the relationship's state in memory.
  const before = (await api(supplier.key, CARD, { id: relationshipId })).node.scorecard;
  expect((await api(supplier.key, CARD, { id: relationshipId })).node.scorecard).toEqual(before);
  expect(before.head.seq).toBe(SETUP_ENTRIES);
  expect((await cli(tmp.db, importArgs(SAMPLE))).code).toBe(0);
  const after = (await api(supplier.key, CARD, { id: relationshipId })).node.scorecard;
  expect(after.head.seq).toBe(SETUP_ENTRIES + 19);
  expect(after.supplier.evidence).toBeGreaterThan(before.supplier.evidence);
  const sdk = createClient({ url: server.graphqlUrl, apiKey: client.key });
  const verified = await sdk.relationships.scorecard(relationshipId, { verify: true });
  expect(verified.head.seq).toBe(SETUP_ENTRIES + 19);
});
