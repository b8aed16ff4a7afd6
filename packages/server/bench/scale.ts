/**
 * pnpm bench, the stores' part (issue 14): one mixed workload (scorecard reads 60 %, review pages
 * 10 %, single writes 25 %, batches of 20 entries 5 %, over 20 relationships) against SQLite with
 * one instance and PostgreSQL with 1, 2 and 4 instances, each instance its own `trustledger serve`
 * process on loopback, the clients in this process spread round-robin over the instances. Figures
 * are operations per second over a fixed time, and their ratio to SQLite's, from the same run on
 * the same machine (a throw-away PostgreSQL cluster, test/support/pg.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPgCluster } from '../../../test/support/pg.ts';
import { createApiKey, createFirm } from '../src/keys/service.ts';
import { openStore, type Store } from '../src/store/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

interface Instance {
  url: string;
  child: ChildProcess;
}

/** Starts `trustledger serve` as its own process on a free port; resolves with its GraphQL URL. */
function serve(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--no-demo', '--json'], {
    env: { ...process.env, TRUSTLEDGER_RATE_LIMIT: '0', TRUSTLEDGER_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /"url":\s*"([^"]+)"/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

async function post(url: string, key: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, { errors?: unknown[] }>; errors?: unknown[] };
  const payloadErrors = body.data && Object.values(body.data).find((v) => v && Array.isArray(v.errors) && v.errors.length > 0);
  if (body.errors || payloadErrors) throw new Error(JSON.stringify(body.errors ?? payloadErrors));
  return body.data;
}

const SCORECARD = 'query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { supplier { trustScore band } client { trustScore } churn { stage } } } } }';
const REVIEW = '{ viewer { review(as: CLIENT, first: 20) { edges { node { trustScore band stage } } } } }';
const INTERACTION = 'mutation($i: RecordInteractionInput!) { recordInteraction(input: $i) { entry { seq } errors { message } } }';
const RECORD = 'mutation($i: RecordEntriesInput!) { recordEntries(input: $i) { errors { message } } }';

/** Sets up 20 relationships of one client on `store`; returns the client's key and the relationship ids. */
async function setUp(store: Store, url: string) {
  const client = await createFirm(store, 'Bench Client');
  const clientKey = (await createApiKey(store, client.id, 'WRITER')).secret;
  const clientGid = Buffer.from(`Firm:${client.id}`).toString('base64');
  const rels: string[] = [];
  for (let i = 0; i < 20; i++) {
    const supplier = await createFirm(store, `Bench Supplier ${i}`);
    const key = (await createApiKey(store, supplier.id, 'WRITER')).secret;
    const p = await post(url, key, 'mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { message } } }', {
      i: { counterpartyId: clientGid, viewerSide: 'SUPPLIER' },
    });
    const id = (p?.proposeRelationship as unknown as { relationship: { id: string } }).relationship.id;
    await post(url, clientKey, 'mutation($i: AcceptRelationshipInput!) { acceptRelationship(input: $i) { errors { message } } }', { i: { relationshipId: id } });
    rels.push(id);
  }
  return { clientKey, rels };
}

/** Runs the mixed workload for `seconds` with `clients` concurrent loops over the instances; returns operations per second. */
async function load(urls: string[], clientKey: string, rels: string[], seconds: number, clients: number): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let n = 0;
  const loop = async (c: number) => {
    for (let i = 0; Date.now() < end; i++) {
      const url = urls[(c + i) % urls.length];
      const rel = rels[(c * 7 + i) % rels.length];
      const r = (n++ * 37) % 100;
      if (r < 60) await post(url, clientKey, SCORECARD, { id: rel });
      else if (r < 70) await post(url, clientKey, REVIEW);
      else if (r < 95) await post(url, clientKey, INTERACTION, { i: { relationshipId: rel, kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' } });
      else
        await post(url, clientKey, RECORD, {
          i: { relationshipId: rel, entries: Array.from({ length: 20 }, () => ({ type: 'INTERACTION_RECORDED', occurredAt: new Date().toISOString(), payload: { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 5 } })) },
        });
      done++;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  return done / seconds;
}

export interface ScaleRow {
  store: string;
  instances: number;
  opsPerSecond: number;
  ratio: number;
}

/** The workload on each configuration, in one run: SQLite × 1, then PostgreSQL × 1, 2, 4. */
export async function runScaleBench(options: { seconds?: number; clients?: number } = {}): Promise<ScaleRow[]> {
  const seconds = options.seconds ?? 15;
  const clients = options.clients ?? 16;
  const rows: ScaleRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-scale-'));
  const cluster = await startPgCluster();
  try {
    const configs: { store: 'SQLite' | 'PostgreSQL'; instances: number }[] = [
      { store: 'SQLite', instances: 1 },
      { store: 'PostgreSQL', instances: 1 },
      { store: 'PostgreSQL', instances: 2 },
      { store: 'PostgreSQL', instances: 4 },
    ];
    for (const [i, config] of configs.entries()) {
      const env: Record<string, string> =
        config.store === 'SQLite' ? { TRUSTLEDGER_DB: join(dir, `scale-${i}.db`), TRUSTLEDGER_DATABASE_URL: '' } : { TRUSTLEDGER_DATABASE_URL: await cluster.database(`scale_${i}`) };
      const first = await serve(env);
      const instances = [first, ...(await Promise.all(Array.from({ length: config.instances - 1 }, () => serve(env))))];
      const store = await openStore(config.store === 'SQLite' ? { path: env.TRUSTLEDGER_DB, databaseUrl: '' } : { databaseUrl: env.TRUSTLEDGER_DATABASE_URL, poolSize: 2 });
      try {
        const { clientKey, rels } = await setUp(store, first.url);
        const ops = await load(
          instances.map((x) => x.url),
          clientKey,
          rels,
          seconds,
          clients,
        );
        rows.push({ store: config.store, instances: config.instances, opsPerSecond: ops, ratio: ops / (rows[0]?.opsPerSecond ?? ops) });
      } finally {
        await store.close();
        for (const x of instances) x.child.kill('SIGTERM');
      }
    }
    return rows;
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table. */
export function scaleTable(rows: ScaleRow[]): string {
  const lines = ['| store | API instances | operations / s (mixed) | vs SQLite × 1 |', '| --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.store} | ${r.instances} | ${r.opsPerSecond.toFixed(0)} | ${r.ratio.toFixed(2)} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(scaleTable(await runScaleBench({ seconds: Number(process.argv[2] ?? 15) })));
}
