/**
 * Several stateless API instances on one PostgreSQL database (issue 14): a throw-away cluster
 * (test/support/pg.ts), each instance its own store (pool and writer) and HTTP listener, as
 * separate processes would have. What must hold whatever instance a request lands on: one
 * idempotency key records once, concurrent appenders never fork a chain, and an acknowledged
 * write survives kill -9 of the instance that acknowledged it.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verifyLedger } from '@trustledger/sdk';
import { createApiKey, createFirm, openStore, type RunningServer, startServer, type Store } from '@trustledger/server';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT } from '../cli/cli.ts';
import { alertStream } from '../support/alerts.ts';
import { startPgCluster, type PgCluster } from '../support/pg.ts';

let cluster: PgCluster;
let url: string;
const stores: Store[] = [];
const servers: RunningServer[] = [];

interface Party {
  id: string;
  rawId: string;
  key: string;
}

async function post(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

async function party(store: Store, name: string): Promise<Party> {
  const f = await createFirm(store, name);
  return { id: Buffer.from(`Firm:${f.id}`).toString('base64'), rawId: f.id, key: (await createApiKey(store, f.id, 'WRITER')).secret };
}

async function relationship(url: string, supplier: Party, client: Party): Promise<string> {
  const proposed = await post(url, supplier.key, 'mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }', {
    i: { counterpartyId: client.id, viewerSide: 'SUPPLIER' },
  });
  const id = proposed.data.proposeRelationship.relationship.id as string;
  const accepted = await post(url, client.key, 'mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }', { i: { relationshipId: id } });
  expect(accepted.data.acceptRelationship.errors).toEqual([]);
  return id;
}

const LEDGER = `query($id: ID!, $after: String) { node(id: $id) { ... on Relationship { ledger(after: $after, first: 100) {
  edges { node { relationshipId seq type payload actorId occurredAt recordedAt prevHash hash } } pageInfo { hasNextPage endCursor } } } } }`;

async function ledgerOf(url: string, key: string, id: string): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const body = await post(url, key, LEDGER, { id, after });
    const conn = body.data.node.ledger;
    out.push(...conn.edges.map((e: { node: unknown }) => e.node));
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}

const INTERACTION = 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { entry { seq hash } errors { code message } } }';

beforeAll(async () => {
  cluster = await startPgCluster();
  url = await cluster.database('instances');
  for (let i = 0; i < 4; i++) {
    const store = await openStore({ databaseUrl: url, poolSize: 4 });
    stores.push(store);
    servers.push(await startServer({ store, port: 0, host: '127.0.0.1', rateLimitPerMinute: 0, overdueCheckMs: 250 }));
  }
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const s of stores) await s.close();
  cluster?.stop();
});

test('20 parallel requests with one idempotency key on 4 instances record one entry, and all answer with it', async () => {
  const supplier = await party(stores[0], 'Oak & Sons Furniture');
  const client = await party(stores[1], 'Harbor Hotels');
  const rel = await relationship(servers[2].graphqlUrl, supplier, client);
  const input = { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'Deliver 40 chairs', dueAt: new Date(Date.now() + 10 * 86_400_000).toISOString(), idempotencyKey: 'po-1042' };
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      post(servers[i % 4].graphqlUrl, supplier.key, 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { promise { id } entry { seq hash } errors { code message } } }', { i: input }),
    ),
  );
  for (const a of answers) expect(a.data?.makePromise.errors, JSON.stringify(a)).toEqual([]);
  const entries = new Set(answers.map((a) => `${a.data.makePromise.entry.seq}:${a.data.makePromise.entry.hash}`));
  expect(entries.size).toBe(1);
  expect(new Set(answers.map((a) => a.data.makePromise.promise.id)).size).toBe(1);
  const ledger = await ledgerOf(servers[3].graphqlUrl, client.key, rel);
  expect(ledger.filter((e) => e.type === 'PROMISE_MADE')).toHaveLength(1);
  expect(verifyLedger(ledger).ok).toBe(true);
}, 120_000);

test('concurrent appenders on 4 instances: every acknowledged write is in one unforked chain, seqs without gaps', async () => {
  const supplier = await party(stores[0], 'Birch Joinery');
  const client = await party(stores[0], 'Lakeside Linen');
  const rels = [await relationship(servers[0].graphqlUrl, supplier, client), await relationship(servers[1].graphqlUrl, supplier, client)];
  const writes = await Promise.all(
    Array.from({ length: 48 }, (_, i) =>
      post(servers[i % 4].graphqlUrl, client.key, INTERACTION, { i: { relationshipId: rels[i % 2], kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: `contact ${i}` } }),
    ),
  );
  for (const w of writes) expect(w.data.recordInteraction.errors).toEqual([]);
  for (const [r, rel] of rels.entries()) {
    const ledger = await ledgerOf(servers[(r + 2) % 4].graphqlUrl, supplier.key, rel);
    const verdict = verifyLedger(ledger);
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
    // The two entries of the negotiation, and the 24 writes sent to this relationship.
    expect(ledger).toHaveLength(2 + 24);
    const held = new Set(ledger.map((e) => `${e.seq}:${e.hash}`));
    for (const [i, w] of writes.entries()) if (i % 2 === r) expect(held.has(`${w.data.recordInteraction.entry.seq}:${w.data.recordInteraction.entry.hash}`)).toBe(true);
    // Each write's note once: nothing recorded twice, nothing lost.
    expect(new Set(ledger.slice(2).map((e) => e.payload.note)).size).toBe(24);
  }
}, 120_000);

test('kill -9 of an instance loses no acknowledged write: another instance serves them all, chain intact', async () => {
  const supplier = await party(stores[0], 'Quarry Stone');
  const client = await party(stores[0], 'Civic Builders');
  const rel = await relationship(servers[0].graphqlUrl, supplier, client);
  // A separate process, as in production: `trustledger serve` on the same database.
  const tsx = pathToFileURL(createRequire(join(ROOT, 'packages/server/package.json')).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, join(ROOT, 'packages/server/src/cli/main.ts'), 'serve', '--port', '0', '--no-demo', '--json'], {
    env: { ...process.env, TRUSTLEDGER_DATABASE_URL: url, TRUSTLEDGER_RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const childUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 90_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"url":\s*"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const acknowledged: string[] = [];
  let killed = false;
  const writer = async (n: number) => {
    for (let i = 0; !killed; i++) {
      try {
        const w = await post(childUrl, client.key, INTERACTION, { i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: `w${n}-${i}` } });
        if (w.data?.recordInteraction?.entry) acknowledged.push(`${w.data.recordInteraction.entry.seq}:${w.data.recordInteraction.entry.hash}`);
      } catch {
        return; // the connection died with the process: this write was not acknowledged
      }
    }
  };
  const streams = Promise.all([writer(1), writer(2), writer(3)]);
  // Until 15 writes are acknowledged; a server that dies first, or never gets there, fails the test with its output.
  for (const deadline = Date.now() + 60_000; acknowledged.length < 15; await new Promise((r) => setTimeout(r, 20)))
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`${acknowledged.length} writes acknowledged; serve exited ${child.exitCode}: ${err.slice(-2000)}`);
  child.kill('SIGKILL');
  killed = true;
  await streams;
  // A process killed by a signal keeps exitCode null (signalCode is set): wait for 'exit' only if it has not come yet.
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  const ledger = await ledgerOf(servers[1].graphqlUrl, supplier.key, rel);
  expect(verifyLedger(ledger).ok).toBe(true);
  const held = new Set(ledger.map((e) => `${e.seq}:${e.hash}`));
  expect(acknowledged.length).toBeGreaterThanOrEqual(15);
  for (const a of acknowledged) expect(held.has(a), a).toBe(true);
  // And the chain goes on from another instance.
  const next = await post(servers[3].graphqlUrl, client.key, INTERACTION, { i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT', note: 'after the crash' } });
  expect(next.data.recordInteraction.entry.seq).toBe(ledger.length + 1);
}, 180_000);

test('an alert reaches the firm on every instance, once: one watcher leads, LISTEN/NOTIFY carries it', async () => {
  const supplier = await party(stores[0], 'Granite Movers');
  const client = await party(stores[0], 'Hillside Hotel');
  const readerKey = (await createApiKey(stores[0], client.rawId, 'READER')).secret;
  const rel = await relationship(servers[0].graphqlUrl, supplier, client);
  const streams = await Promise.all([1, 2, 3].map((i) => alertStream(servers[i].graphqlUrl, readerKey)));
  try {
    const made = await post(servers[0].graphqlUrl, supplier.key, 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { message } } }', {
      i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'ship the marble', dueAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect(made.data.makePromise.errors).toEqual([]);
    const deadline = Date.now() + 20_000;
    while (streams.some((s) => s.alerts.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Time for any duplicate from another instance's watcher to arrive too.
    await new Promise((r) => setTimeout(r, 1500));
    for (const s of streams) {
      expect(s.alerts.map((a) => [a.kind, a.promise?.description])).toEqual([['PROMISE_OVERDUE', 'ship the marble']]);
      expect(s.alerts[0].relationship.id).toBe(rel);
    }
  } finally {
    for (const s of streams) s.close();
  }
}, 120_000);

/** How many sessions on the database are LISTENing for alerts (an instance's LISTEN connection, idle after `listen …`). */
async function listening(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`);
  return rows[0].n;
}

test('alerts cross instances again after every LISTEN session was lost (ended as a restart or a network drop would): each instance listens anew', async () => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    expect(await listening(admin)).toBe(servers.length);
    const ended = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`);
    expect(ended.rowCount).toBe(servers.length);
    const deadline = Date.now() + 30_000;
    while ((await listening(admin)) < servers.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await listening(admin)).toBe(servers.length);
  } finally {
    await admin.end();
  }
  const supplier = await party(stores[0], 'Quarry Freight');
  const client = await party(stores[0], 'Lakeview Inn');
  const readerKey = (await createApiKey(stores[0], client.rawId, 'READER')).secret;
  const rel = await relationship(servers[0].graphqlUrl, supplier, client);
  const streams = await Promise.all([1, 2, 3].map((i) => alertStream(servers[i].graphqlUrl, readerKey)));
  try {
    const made = await post(servers[0].graphqlUrl, supplier.key, 'mutation($i: MakePromiseInput!) { makePromise(input: $i) { errors { message } } }', {
      i: { relationshipId: rel, promisor: 'SUPPLIER', kind: 'DELIVERY', description: 'ship the slate', dueAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect(made.data.makePromise.errors).toEqual([]);
    const deadline = Date.now() + 20_000;
    while (streams.some((s) => s.alerts.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    for (const s of streams) expect(s.alerts.map((a) => [a.kind, a.promise?.description])).toEqual([['PROMISE_OVERDUE', 'ship the slate']]);
  } finally {
    for (const s of streams) s.close();
  }
}, 120_000);

test('a write cancelled by the statement timeout answers 503 UNAVAILABLE with Retry-After and records nothing, as a busy SQLite does', async () => {
  // An instance with a short statement timeout and no lock timeout: a write that waits for a row
  // lock is cancelled by the statement timeout (57014), not the lock timeout (55P03).
  const store = await openStore({ databaseUrl: url, poolSize: 2, statementTimeoutMs: 300, busyTimeoutMs: 0 });
  const server = await startServer({ store, port: 0, host: '127.0.0.1', rateLimitPerMinute: 0, overdueCheckMs: 3_600_000 });
  const holder = new pg.Client({ connectionString: url });
  try {
    const supplier = await party(store, 'Slow Lane Logistics');
    const client = await party(store, 'Harborview Suites');
    const rel = await relationship(server.graphqlUrl, supplier, client);
    const before = (await ledgerOf(server.graphqlUrl, supplier.key, rel)).length;
    await holder.connect();
    await holder.query('begin');
    const rawId = Buffer.from(rel, 'base64').toString('utf8').replace(/^[^:]*:/, '');
    expect((await holder.query('select id from relationships where id = $1 for update', [rawId])).rowCount).toBe(1);
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supplier.key}` },
      body: JSON.stringify({ query: INTERACTION, variables: { i: { relationshipId: rel, kind: 'COMPLAINT', initiatedBy: 'CLIENT', idempotencyKey: 'slow-1' } } }),
    });
    await holder.query('rollback');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['UNAVAILABLE']);
    expect(body.errors[0].message).toMatch(/nothing was recorded/);
    expect(await ledgerOf(server.graphqlUrl, supplier.key, rel)).toHaveLength(before);
  } finally {
    await holder.end().catch(() => undefined);
    await server.close();
    await store.close();
  }
}, 120_000);

test('the rate limit holds across instances: one key’s budget is spent on whichever instance its requests reach', async () => {
  const a = await openStore({ databaseUrl: url, poolSize: 2 });
  const b = await openStore({ databaseUrl: url, poolSize: 2 });
  const limited = [
    await startServer({ store: a, port: 0, host: '127.0.0.1', rateLimitPerMinute: 6, overdueCheckMs: 3_600_000 }),
    await startServer({ store: b, port: 0, host: '127.0.0.1', rateLimitPerMinute: 6, overdueCheckMs: 3_600_000 }),
  ];
  try {
    const firm = await party(a, 'Budget Buyer');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(limited[i % 2].graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${firm.key}` },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Six a minute in all, not six on each instance.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  } finally {
    for (const s of limited) await s.close();
    await a.close();
    await b.close();
  }
}, 120_000);
