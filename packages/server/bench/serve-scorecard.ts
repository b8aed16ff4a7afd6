import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { appendEntry, createRelationship } from '../src/ledger/append.ts';
import { createApiKeyIn, createFirmIn } from '../src/keys/service.ts';
import { SqliteStore } from '../src/store/index.ts';
import { createApp } from '../src/yoga.ts';

const DAY = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Appends `n` realistic entries (promises and their outcomes, orders, contacts, complaints) over two years. */
function fill(db: SqliteStore, n: number, start: number) {
  const inTransaction = <T>(_db: SqliteStore, fn: Parameters<SqliteStore['writeSync']>[0]) => db.writeSync(fn) as T;
  const supplier = db.writeSync((tx) => createFirmIn(tx, `Supplier ${n}`));
  const client = db.writeSync((tx) => createFirmIn(tx, `Client ${n}`));
  const key = db.writeSync((tx) => createApiKeyIn(tx, client.id, 'READER')).secret;
  const iso = (ms: number) => new Date(ms).toISOString();
  let rel = inTransaction(db, (tx) => createRelationship(tx, { firmId: supplier.id, side: 'SUPPLIER' }, client.id, iso(start), iso(start)).rel);
  rel = inTransaction(db, (tx) => appendEntry(tx, rel, client.id, { type: 'RELATIONSHIP_ACCEPTED', payload: {}, occurredAt: iso(start) }, iso(Date.now())).rel);
  const span = Date.now() - start - 10 * DAY;
  let written = 2;
  const now = iso(Date.now());
  while (written < n) {
    rel = inTransaction(db, (tx) => {
      let r = rel;
      for (let i = 0; i < 1000 && written < n; i++) {
        const at = start + Math.floor((written / n) * span);
        const k = written % 5;
        const add = (type: string, payload: unknown, occurredAt: number, actor = supplier.id) => {
          r = appendEntry(tx, r, actor, { type, payload, occurredAt: iso(occurredAt) }, now).rel;
          written++;
        };
        if (k === 0 && written + 1 < n) {
          add('PROMISE_MADE', { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `order ${written}`, dueAt: iso(at + 3 * DAY) }, at);
          add('PROMISE_KEPT', { promiseSeq: r.headSeq, inFull: true }, at + (written % 7 === 0 ? 4 : 2) * DAY);
        } else if (k === 1) add('INTERACTION_RECORDED', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 10 + (written % 9) }, at, client.id);
        else if (k === 2) add('INTERACTION_RECORDED', { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, at, client.id);
        else add('INTERACTION_RECORDED', { kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 3 + (written % 3) }, at, client.id);
      }
      return r;
    });
  }
  return { id: encodeGlobalID('Relationship', rel.id), key, entries: rel.headSeq };
}

/** Median time to serve one scorecard over the API (in-process fetch), for a small and a large ledger. */
export async function runServeBench(large = 100_000, runs = 50) {
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-bench-'));
  try {
    const db = SqliteStore.open({ path: join(dir, 'bench.db') });
    const start = Date.now() - 730 * DAY;
    const t0 = performance.now();
    const small = fill(db, 10, start);
    const big = fill(db, large, start);
    const fillSeconds = (performance.now() - t0) / 1000;
    const app = createApp({ store: db });
    const query = 'query($id: ID!) { node(id: $id) { ... on Relationship { scorecard { supplier { trustScore band } client { trustScore } churn { stage } head { seq } } } } }';
    const time = async (r: { id: string; key: string }) => {
      const samples: number[] = [];
      for (let i = 0; i < runs + 5; i++) {
        const t = performance.now();
        const res = await app.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${r.key}` },
          body: JSON.stringify({ query, variables: { id: r.id } }),
        });
        const body = (await res.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        if (i >= 5) samples.push(performance.now() - t);
      }
      return median(samples);
    };
    const smallMs = await time(small);
    const bigMs = await time(big);
    await db.close();
    return { smallEntries: small.entries, largeEntries: big.entries, smallMs, largeMs: bigMs, ratio: bigMs / smallMs, writesPerSecond: (small.entries + big.entries) / fillSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runServeBench(Number(process.argv[2] ?? 100_000));
  console.log(JSON.stringify(r, null, 2));
}
