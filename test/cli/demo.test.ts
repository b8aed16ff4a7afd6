/**
 * `seed --demo` and `export review`: the real CLI seeds a fresh database, the demo's stories are
 * read back through the GraphQL API with the printed keys, and the review is exported as CSV.
 */
import { openStore, type RunningServer, startServer } from '@trustledger/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../packages/server/src/demo/index.ts';
import { testDatabase } from '../support/store.ts';
import { cli, cliJson, gql, tempDb } from './cli.ts';

interface Demo {
  graphqlUrl: string;
  portalUrl: string;
  firms: { name: string; id: string; rawId: string; keys: { admin: string; writer: string } }[];
  relationships: { id: string; supplier: string; client: string; story: string; entries: number }[];
  entries: number;
}

const tmp = tempDb();
let demo: Demo;
let seedStderr: string;
let server: RunningServer;
const key = (name: string) => {
  const f = demo.firms.find((x) => x.name === name);
  if (!f) throw new Error(`no demo firm ${name}`);
  return f.keys.writer;
};
const relOf = (story: string) => demo.relationships.find((r) => r.story === story)?.id as string;
const q = <T = any>(firm: string, query: string, variables?: Record<string, unknown>) => gql<T>(server.graphqlUrl, key(firm), query, variables);

beforeAll(async () => {
  const r = await cli(tmp.db, ['seed', '--demo', '--json', '--port', '4123']);
  if (r.code !== 0) throw new Error(r.stderr);
  demo = JSON.parse(r.stdout);
  seedStderr = r.stderr;
  server = await startServer({ ...tmp.options, port: 0, rateLimitPerMinute: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp[Symbol.dispose]();
});

describe('seed --demo', () => {
  test('prints the URLs and, per firm, its name, id and an admin and a writer key', () => {
    expect(demo.graphqlUrl).toBe('http://127.0.0.1:4123/graphql');
    expect(demo.portalUrl).toBe('http://127.0.0.1:4123/portal');
    expect(demo.firms.map((f) => f.name)).toEqual([
      'Oak & Sons Furniture',
      'Harbor Hotels',
      'Brightwave Telecom',
      'Northwind Logistics',
      'Fresh Fields Catering',
      'Mosaic Retail Group',
    ]);
    for (const f of demo.firms) {
      expect(f.keys.admin).toMatch(/^tl_/);
      expect(f.keys.writer).toMatch(/^tl_/);
      expect(Buffer.from(f.id, 'base64').toString()).toBe(`Firm:${f.rawId}`);
    }
    expect(demo.relationships.map((r) => `${r.supplier} → ${r.client}`)).toEqual([
      'Oak & Sons Furniture → Harbor Hotels',
      'Brightwave Telecom → Northwind Logistics',
      'Fresh Fields Catering → Harbor Hotels',
      'Oak & Sons Furniture → Mosaic Retail Group',
      'Brightwave Telecom → Mosaic Retail Group',
    ]);
    expect(demo.entries).toBe(demo.relationships.reduce((n, r) => n + r.entries, 0));
    expect(demo.entries).toBeGreaterThan(500);
  });

  test('shows progress as plain lines when stdout is not a terminal', () => {
    expect(seedStderr).toMatch(/^seeded 1\/\d+ entries$/m);
    expect(seedStderr).toContain(`seeded ${demo.entries}/${demo.entries} entries`);
  });

  test('the keys work: each firm sees its own relationships, and the history ends now', async () => {
    const data = await q('Harbor Hotels', '{ viewer { role relationships(as: CLIENT) { edges { node { supplier { name } status head { seq } } } } } }');
    expect(data.viewer.role).toBe('WRITER');
    expect(data.viewer.relationships.edges.map((e: any) => e.node.supplier.name).sort()).toEqual(['Fresh Fields Catering', 'Oak & Sons Furniture']);
    expect(data.viewer.relationships.edges.every((e: any) => e.node.status === 'ACTIVE')).toBe(true);

    const ledger = await q('Brightwave Telecom', 'query($id: ID!) { node(id: $id) { ... on Relationship { ledger(first: 1) { edges { node { occurredAt } } } scorecard { head { seq } } } } }', {
      id: relOf('telecom'),
    });
    const first = Date.parse(ledger.node.ledger.edges[0].node.occurredAt);
    expect(Date.now() - first).toBeGreaterThan(360 * 86_400_000);
    expect(Date.now() - first).toBeLessThan(367 * 86_400_000);
  });

  test('furniture: the 70% advance is kept and confirmed; the installation is broken after a reschedule', async () => {
    const data = await q('Harbor Hotels', `query($id: ID!) { node(id: $id) { ... on Relationship {
      broken: promises(outcome: BROKEN_AFTER_RESCHEDULE) { edges { node { description kind promisor originalDueAt dueAt history { type } } } }
      payments: promises(promisor: CLIENT, first: 50) { edges { node { description outcome amount { amount currency } } } }
      representatives { side name }
      ledger(first: 100) { edges { node { type status } } }
    } } }`, { id: relOf('furniture') });
    const broken = data.node.broken.edges.map((e: any) => e.node);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ kind: 'INSTALLATION', promisor: 'SUPPLIER', description: expect.stringContaining('reception desk') });
    expect(broken[0].history.map((h: any) => h.type)).toEqual(['PROMISE_MADE', 'PROMISE_RESCHEDULED', 'PROMISE_BROKEN']);
    expect(broken[0].dueAt > broken[0].originalDueAt).toBe(true);
    const advance = data.node.payments.edges.map((e: any) => e.node).find((p: any) => p.description.startsWith('70% advance on order PO-1042'));
    expect(advance).toMatchObject({ outcome: 'KEPT_ON_TIME', amount: { amount: 58800, currency: 'EUR' } });
    // The supplier's representative changed hands during the year.
    expect(data.node.representatives).toEqual(expect.arrayContaining([{ side: 'SUPPLIER', name: 'Yossi Cohen' }]));
    const types = data.node.ledger.edges.map((e: any) => e.node.type);
    expect(types).toEqual(expect.arrayContaining(['GOAL_PROPOSED', 'METRIC_ADDED', 'GOAL_ACCEPTED', 'MEASUREMENT_RECORDED', 'ENTRY_CONFIRMED']));
    expect(types.filter((t: string) => t === 'REPRESENTATIVE_HANDOVER')).toHaveLength(3);
    // Confirmed: the advance payment and batch 1 (attested), and the agreed resolution of batch 2's dispute.
    expect(data.node.ledger.edges.filter((e: any) => e.node.status === 'CONFIRMED')).toHaveLength(3);
  });

  test('telecom: the client drifts away: the churn stage is not Stable at the end', async () => {
    const data = await q('Brightwave Telecom', `query($id: ID!) { node(id: $id) { ... on Relationship {
      scorecard { churn { stage signals { name } } }
      alternatives: interactions(kinds: [ALTERNATIVE_SUPPLIER]) { edges { node { kind } } }
      goals { edges { node { id status } } }
    } } }`, { id: relOf('telecom') });
    expect(['ANTI', 'SWITCHING', 'LOST']).toContain(data.node.scorecard.churn.stage);
    expect(data.node.scorecard.churn.signals.length).toBeGreaterThan(0);
    expect(data.node.alternatives.edges.length).toBeGreaterThanOrEqual(1);
    // The client disputes one uptime reading the supplier recorded.
    const [goal] = data.node.goals.edges.map((e: any) => e.node);
    expect(goal.status).toBe('AGREED');
    // The goal's metrics and their readings, asked of the goal (within the depth limit).
    const detail = await q('Brightwave Telecom', `query($id: ID!) { node(id: $id) { ... on Goal {
      metrics { name measurements(first: 50) { edges { node { entry { status } } } } } } } }`, { id: goal.id });
    const uptime = detail.node.metrics.find((m: any) => m.name === 'Network uptime');
    const statuses = uptime.measurements.edges.map((e: any) => e.node.entry.status);
    expect(statuses.filter((s: string) => s === 'DISPUTED')).toHaveLength(1);
    // Half a year earlier the same ledger read Stable: the drift is visible in the series.
    const halfYear = new Date(Date.now() - 250 * 86_400_000).toISOString();
    const past = await q('Brightwave Telecom', 'query($id: ID!, $at: DateTime) { node(id: $id) { ... on Relationship { scorecard(asOf: $at) { churn { stage } } } } }', {
      id: relOf('telecom'),
      at: halfYear,
    });
    expect(past.node.scorecard.churn.stage).toBe('STABLE');
  });

  test('food service: a cancellation by agreement turned into a better offer, kept, and high satisfaction', async () => {
    const data = await q('Fresh Fields Catering', `query($id: ID!) { node(id: $id) { ... on Relationship {
      cancelled: promises(state: CANCELLED) { edges { node { description } } }
      gala: promises(promisor: SUPPLIER, first: 100) { edges { node { description outcome } } }
      pulses: interactions(kinds: [SATISFACTION], first: 100) { edges { node { score } } }
    } } }`, { id: relOf('food-service') });
    expect(data.node.cancelled.edges.map((e: any) => e.node.description)).toEqual([expect.stringContaining('seafood menu')]);
    const upgraded = data.node.gala.edges.map((e: any) => e.node).find((p: any) => p.description.includes('upgraded'));
    expect(upgraded.outcome).toBe('KEPT_ON_TIME');
    const scores = data.node.pulses.edges.map((e: any) => e.node.score);
    expect(scores.length).toBeGreaterThan(5);
    expect(scores.every((s: number) => s >= 4)).toBe(true);
  });

  test('late payer: payment promises kept late, and an invoice overdue', async () => {
    const data = await q('Oak & Sons Furniture', `query($id: ID!) { node(id: $id) { ... on Relationship {
      payments: promises(promisor: CLIENT, first: 50) { edges { node { outcome overdue } } }
    } } }`, { id: relOf('late-payer') });
    const payments = data.node.payments.edges.map((e: any) => e.node);
    expect(payments.filter((p: any) => p.outcome === 'KEPT_LATE').length).toBeGreaterThanOrEqual(5);
    expect(payments.filter((p: any) => p.outcome === 'KEPT_AFTER_NOTICE')).toHaveLength(1);
    expect(payments.filter((p: any) => p.overdue)).toHaveLength(1);
  });

  test('late payer: a reschedule written up after the due date is marked back-dated and buys no notice', async () => {
    const data = await q('Oak & Sons Furniture', `query($id: ID!) { node(id: $id) { ... on Relationship {
      payments: promises(promisor: CLIENT, first: 50) { edges { node { outcome history { type backdated } } } }
    } } }`, { id: relOf('late-payer') });
    const rescheduled = data.node.payments.edges
      .map((e: any) => e.node)
      .filter((p: any) => p.history.some((h: any) => h.type === 'PROMISE_RESCHEDULED'));
    const late = rescheduled.filter((p: any) => p.history.some((h: any) => h.type === 'PROMISE_RESCHEDULED' && h.backdated));
    expect(late).toHaveLength(1);
    expect(late[0].outcome).toBe('KEPT_LATE');
    // The reschedule told in time is not back-dated, and earned its notice.
    expect(rescheduled.filter((p: any) => p.outcome === 'KEPT_AFTER_NOTICE')).toHaveLength(1);
  });

  test('furniture: a disputed delivery, resolved by agreement, shows its dispute and stands', async () => {
    const data = await q('Harbor Hotels', `query($id: ID!) { node(id: $id) { ... on Relationship {
      ledger(first: 100) { edges { node { seq type status payload } } }
    } } }`, { id: relOf('furniture') });
    const entries = data.node.ledger.edges.map((e: any) => e.node);
    const dispute = entries.find((e: any) => e.type === 'ENTRY_DISPUTED');
    const resolution = entries.find((e: any) => e.type === 'DISPUTE_RESOLVED');
    expect(resolution).toMatchObject({ status: 'CONFIRMED', payload: { outcome: 'STANDS', entrySeq: dispute.payload.entrySeq } });
    // The kept delivery is no longer under dispute.
    expect(entries.find((e: any) => e.seq === dispute.payload.entrySeq)).toMatchObject({ type: 'PROMISE_KEPT', status: 'STANDING' });
  });

  test('refuses a database that already has firms (see --force below)', async () => {
    const again = await cli(tmp.db, ['seed', '--demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has firms.*--force/);
    const nothing = await cli(tmp.db, ['seed']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/pass --demo/);
  });

  test('the same stories every time: only the clock moves them', async () => {
    const shape = async (now: string) => {
      // Seeded through the store under test, read back through it: every ledger, in the order the stories were told.
      using database = testDatabase('shape');
      const store = await openStore(database.options);
      try {
        const seeded = await seedDemo(store, { now });
        const day0 = Math.floor(Date.parse(now) / 86_400_000) * 86_400_000;
        const rows = [];
        for (const r of seeded.relationships)
          for (const e of await store.ledger(r.rawId))
            rows.push({
              seq: e.seq,
              type: e.type,
              at: Date.parse(e.occurredAt) - day0,
              // Firm ids and due times differ between runs; the rest of the payload does not.
              payload: e.type === 'RELATIONSHIP_PROPOSED' ? null : JSON.stringify(e.payload).replace(/"(dueAt|newDueAt)":"[^"]+"/g, '"$1":…'),
            });
        return rows;
      } finally {
        await store.close();
      }
    };
    expect(await shape('2026-01-10T08:00:00.000Z')).toEqual(await shape('2027-06-01T21:30:00.000Z'));
  });
});

describe('export review', () => {
  const parseCsv = (text: string) => text.trim().split('\n').map((l) => l.split(','));

  test('a supplier reviews its clients: a header and a row per counterparty', async () => {
    const r = await cli(tmp.db, ['export', 'review', '--firm', 'Brightwave Telecom', '--as', 'supplier']);
    expect(r.code).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual([
      'counterparty',
      'counterparty_id',
      'relationship_id',
      'status',
      'band',
      'trust_score',
      'confidence',
      'reliability',
      'transparency',
      'responsiveness',
      'goal_attainment',
      'churn_stage',
      'open_promises',
      'overdue_promises',
    ]);
    expect(rows.map((row) => row[0]).sort()).toEqual(['Mosaic Retail Group', 'Northwind Logistics']);
    const northwind = Object.fromEntries(header.map((h, i) => [h, rows.find((row) => row[0] === 'Northwind Logistics')?.[i]]));
    expect(northwind.relationship_id).toBe(relOf('telecom'));
    expect(['ANTI', 'SWITCHING', 'LOST']).toContain(northwind.churn_stage);
    expect(Number(northwind.trust_score)).toBeGreaterThan(0);
  });

  test('a client reviews its suppliers, by firm id; overdue promises counted', async () => {
    const mosaic = demo.firms.find((f) => f.name === 'Mosaic Retail Group')?.id as string;
    const asClient = await cli(tmp.db, ['export', 'review', '--firm', mosaic, '--as', 'client']);
    const [header, ...rows] = parseCsv(asClient.stdout);
    expect(rows.map((row) => row[0]).sort()).toEqual(['Brightwave Telecom', 'Oak & Sons Furniture']);
    expect(header).toContain('band');

    // Oak & Sons reviewing its clients sees Mosaic's overdue invoice.
    const oak = await cli(tmp.db, ['export', 'review', '--firm', 'Oak & Sons Furniture', '--as', 'supplier']);
    const [h, ...clients] = parseCsv(oak.stdout);
    const m = clients.find((row) => row[0] === 'Mosaic Retail Group') as string[];
    expect(Number(m[h.indexOf('overdue_promises')])).toBe(1);
    expect(Number(m[h.indexOf('open_promises')])).toBe(2);
  });

  test('rejects an unknown side or firm', async () => {
    const side = await cli(tmp.db, ['export', 'review', '--firm', 'Harbor Hotels', '--as', 'partner']);
    expect(side.code).not.toBe(0);
    expect(side.stderr).toMatch(/supplier or client/);
    const firm = await cli(tmp.db, ['export', 'review', '--firm', 'Nobody', '--as', 'client']);
    expect(firm.code).toBe(1);
    expect(firm.stderr).toMatch(/no firm "Nobody"/);
  });
});

describe('seed --demo --force', () => {
  test('adds another set of demo firms to a database that has firms', async () => {
    const again = await cliJson<Demo>(tmp.db, ['seed', '--demo', '--force']);
    expect(again.firms).toHaveLength(6);
    expect(again.firms.map((f) => f.id)).not.toEqual(expect.arrayContaining([demo.firms[0].id]));
    expect(await cliJson(tmp.db, ['firm', 'list'])).toHaveLength(12);
    // Names are no longer unique: the CLI asks for an id.
    const ambiguous = await cli(tmp.db, ['export', 'review', '--firm', 'Harbor Hotels', '--as', 'client']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/2 firms are named "Harbor Hotels"; give the id/);
  });
});
