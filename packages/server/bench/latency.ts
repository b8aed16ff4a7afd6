/**
 * pnpm bench, the event loop's part (issue 11): a trivial query's latency (`{ viewer { role } }`,
 * p50 and p99 of wall time) on an idle server, while 4 clients run the heaviest queries the limits
 * allow (series over a large ledger, as many as the scoring budget of 1,000,000 entries lets one
 * request ask for), and the same load with every recomputation on the main thread (the pool off:
 * TRUSTLEDGER_OFF_THREAD_WORK=Infinity), as before the pool. Ratios are of the same run. The
 * server and the clients share this process, as a server shares its event loop with every request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { SqliteStore, type WriteTx } from '../src/store/index.ts';
import { MAX_WORK, POINT_WORK } from '../src/graphql/work-budget.ts';
import { createApiKeyIn, createFirmIn } from '../src/keys/service.ts';
import { appendEntry, createRelationship } from '../src/ledger/append.ts';
import { closeScoringPool, scoringThreads } from '../src/scoring/pool.ts';
import { startServer } from '../src/server.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const median = (xs: number[]) => quantile(xs, 0.5);

/** p50 and p99 of the trivial query's wall time (ms), and how many of them failed. */
interface Phase {
  p50: number;
  p99: number;
  failed: number;
}

export interface LatencyResult {
  entries: number;
  seriesPerRequest: number;
  threads: number;
  rounds: { idle: Phase; pooled: Phase & { heavy: number }; inline: Phase & { heavy: number } }[];
}

/** Runs the latency benchmark: `entries` in the heavy ledger, `samples` trivial queries per phase, `rounds` rounds. */
export async function runLatencyBench({ entries = 5_000, samples = 100, rounds = 3 } = {}): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-latency-'));
  // Setup, not measured: written synchronously on the SQLite store.
  const db = SqliteStore.open({ path: join(dir, 'bench.db') });
  const inTransaction = <T>(store: SqliteStore, fn: (tx: WriteTx) => T): T => store.writeSync(fn);
  const supplier = db.writeSync((tx) => createFirmIn(tx, 'Oak & Sons Furniture'));
  const clientFirm = db.writeSync((tx) => createFirmIn(tx, 'Harbor Hotels'));
  const key = db.writeSync((tx) => createApiKeyIn(tx, clientFirm.id, 'READER')).secret;
  const start = Date.now() - 400 * DAY;
  const step = (380 * DAY) / entries;
  // A ledger of `entries`: promises kept, orders, contacts, complaints answered (setup, not measured).
  let rel = inTransaction(db, (tx) => {
    const r = createRelationship(tx, { firmId: supplier.id, side: 'SUPPLIER' }, clientFirm.id, iso(start), iso(Date.now())).rel;
    return appendEntry(tx, r, clientFirm.id, { type: 'RELATIONSHIP_ACCEPTED', payload: {}, occurredAt: iso(start) }, iso(Date.now())).rel;
  });
  let seq = 2;
  while (seq < entries) {
    rel = inTransaction(db, (tx) => {
      let r = rel;
      const add = (by: string, type: string, payload: unknown, ms: number) => {
        r = appendEntry(tx, r, by, { type: type as never, payload: payload as never, occurredAt: iso(ms) }, iso(Date.now())).rel;
        return ++seq;
      };
      for (let i = 0; i < 1000 && seq < entries; i++) {
        const ms = start + seq * step;
        const k = seq % 6;
        if (k === 0 && seq + 1 < entries) {
          const p = add(supplier.id, 'PROMISE_MADE', { promisor: 'SUPPLIER', kind: 'DELIVERY', description: `order ${seq}`, dueAt: iso(ms + 3 * DAY) }, ms);
          add(clientFirm.id, 'PROMISE_KEPT', { promiseSeq: p, inFull: true }, ms + 2 * DAY);
        } else if (k === 1) add(clientFirm.id, 'INTERACTION_RECORDED', { kind: 'ACTIVITY', initiatedBy: 'CLIENT', volume: 10 + (seq % 9) }, ms);
        else if (k === 2 && seq + 1 < entries) {
          const c = add(clientFirm.id, 'INTERACTION_RECORDED', { kind: 'COMPLAINT', initiatedBy: 'CLIENT', note: 'late shipment' }, ms);
          add(supplier.id, 'COMPLAINT_RESPONDED', { interactionSeq: c }, ms + 3_600_000);
        } else add(clientFirm.id, 'INTERACTION_RECORDED', { kind: 'POSITIVE_CONTACT', initiatedBy: 'CLIENT' }, ms);
      }
      return r;
    });
  }
  const server = await startServer({ port: 0, host: '127.0.0.1', store: db, rateLimitPerMinute: 0 });
  const id = encodeGlobalID('Relationship', rel.id);
  const send = async (query: string, variables: Record<string, unknown> = {}) => {
    const go = () =>
      fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
    // A kept-alive connection the server closed meanwhile: sent again on a new one (counted in the time).
    const res = await go().catch(go);
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  };
  // The heaviest request the limits allow: as many 100-point series over the ledger as the budget
  // lets one request ask for (each costs the ledger once plus 150 a point).
  // (The keeps recorded two days late make each series resume from checkpoints too: charged, so
  // the count is lowered until a request fits the budget.)
  let seriesPerRequest = Math.floor(MAX_WORK / (rel.headSeq + 100 * POINT_WORK));
  const heavyQuery = `query($ids: [ID!]!, $points: [DateTime!]!) { nodes(ids: $ids) { ... on Relationship { scorecardSeries(points: $points) { asOf supplier { trustScore } churn { stage } } } } }`;
  let round = 0;
  const heavy = () => {
    // Points that differ every request, all in the ledger's past (nothing is served from a cache).
    const offset = (round++ % 1000) * 60_000;
    const points = Array.from({ length: 100 }, (_, i) => iso(start + offset + ((i + 1) * 370 * DAY) / 101));
    return send(heavyQuery, { ids: Array(seriesPerRequest).fill(id), points });
  };
  let failed = 0;
  const trivial = async () => {
    const t = performance.now();
    // A request the server dropped (its event loop held past Node's headers timeout) counts with
    // the time it took to fail, and is counted.
    await send('{ viewer { role } }').catch(() => failed++);
    return performance.now() - t;
  };
  const measure = async (n: number) => {
    const times: number[] = [];
    failed = 0;
    for (let i = 0; i < n; i++) {
      times.push(await trivial());
      await new Promise((r) => setTimeout(r, 5));
    }
    return { p50: median(times), p99: quantile(times, 0.99), failed };
  };
  const underLoad = async () => {
    let stop = false;
    let done = 0;
    const load = Array.from({ length: 4 }, async () => {
      while (!stop) {
        await heavy().catch(() => undefined);
        done++;
      }
    });
    // Every client has a heavy request in flight before the trivial queries start.
    await new Promise((r) => setTimeout(r, 200));
    const m = await measure(samples);
    stop = true;
    await Promise.all(load);
    return { ...m, heavy: done };
  };
  await measure(20); // warm-up
  for (;;) {
    // Warm-up, the pool's thread started, and the largest count of series that fits the budget.
    try {
      await heavy();
      break;
    } catch (error) {
      if (!String(error).includes('LIMIT_EXCEEDED') || seriesPerRequest <= 1) throw error;
      seriesPerRequest = Math.floor(seriesPerRequest * 0.8);
    }
  }
  const result: LatencyResult = { entries: rel.headSeq, seriesPerRequest, threads: scoringThreads(), rounds: [] };
  const saved = process.env.TRUSTLEDGER_OFF_THREAD_WORK;
  try {
    for (let r = 0; r < rounds; r++) {
      const idle = await measure(samples);
      process.env.TRUSTLEDGER_OFF_THREAD_WORK = saved ?? '';
      const pooled = await underLoad();
      process.env.TRUSTLEDGER_OFF_THREAD_WORK = 'Infinity';
      const inline = await underLoad();
      process.env.TRUSTLEDGER_OFF_THREAD_WORK = saved ?? '';
      result.rounds.push({ idle, pooled, inline });
      console.error(`latency round ${r + 1}/${rounds}: ${JSON.stringify(result.rounds.at(-1))}`);
    }
  } finally {
    if (saved === undefined) delete process.env.TRUSTLEDGER_OFF_THREAD_WORK;
    else process.env.TRUSTLEDGER_OFF_THREAD_WORK = saved;
    await server.close();
    await closeScoringPool();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));

/** The README's table: medians over the rounds, ratios to the idle p99 of the same rounds. */
export function latencyTable(r: LatencyResult): string {
  const m = (f: (x: LatencyResult['rounds'][number]) => number) => median(r.rounds.map(f));
  const idle = m((x) => x.idle.p99);
  return [
    `Ledger of ${r.entries.toLocaleString('en-US')} entries; each heavy request asks for ${r.seriesPerRequest} series of 100 points (the scoring budget's worth); 4 clients; ${r.threads} scoring thread(s); medians of ${r.rounds.length} rounds.`,
    '',
    '| `{ viewer { role } }` | p50 | p99 | p99 / idle p99 | failed | heavy requests done |',
    '| --- | --- | --- | --- | --- | --- |',
    `| idle server | ${ms(m((x) => x.idle.p50))} ms | ${ms(idle)} ms | 1 | ${m((x) => x.idle.failed)} | |`,
    `| 4 clients running heavy queries, recomputations on the pool's thread | ${ms(m((x) => x.pooled.p50))} ms | ${ms(m((x) => x.pooled.p99))} ms | ${(m((x) => x.pooled.p99) / idle).toFixed(1)} | ${m((x) => x.pooled.failed)} | ${m((x) => x.pooled.heavy)} |`,
    `| the same, every recomputation on the main thread (as before the pool) | ${ms(m((x) => x.inline.p50))} ms | ${ms(m((x) => x.inline.p99))} ms | ${(m((x) => x.inline.p99) / idle).toFixed(1)} | ${m((x) => x.inline.failed)} | ${m((x) => x.inline.heavy)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = Number(process.env.BENCH_LATENCY_ENTRIES ?? 5_000);
  console.log(latencyTable(await runLatencyBench({ entries, samples: Number(process.env.BENCH_LATENCY_SAMPLES ?? 100), rounds: Number(process.env.BENCH_LATENCY_ROUNDS ?? 3) })));
}
