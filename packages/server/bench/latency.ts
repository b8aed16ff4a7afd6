/**
 * pnpm bench, the event loop's part (issue 11): a trivial query's latency (`{ viewer { role } }`,
 * p50, p99 and max of wall time) on an idle server, and while 4 clients run the heaviest queries
 * the limits allow (series over a large ledger, as many scorecards as one request may have
 * recomputed), until each client has had whole heavy requests answered; with BENCH_LATENCY_INLINE=1
 * also the same load with every recomputation on the main thread (the pool off:
 * TRUSTLEDGER_OFF_THREAD_WORK=Infinity), as before the pool. The event loop's longest delay is watched meanwhile (monitorEventLoopDelay).
 * It ends by saying whether LATENCY_BOUND is met. Ratios are of the same run. The server and the
 * clients share this process, as a server shares its event loop with every request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { SqliteStore, type WriteTx } from '../src/store/index.ts';
import { MAX_CARDS, MAX_WORK, POINT_WORK } from '../src/graphql/work-budget.ts';
import { createApiKeyIn, createFirmIn } from '../src/keys/service.ts';
import { appendEntry, createRelationship } from '../src/ledger/append.ts';
import { closeScoringPool, scoringThreads } from '../src/scoring/pool.ts';
import { startServer } from '../src/server.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const median = (xs: number[]) => quantile(xs, 0.5);

/**
 * The trivial query's wall time in one phase (ms): p50, p99 and max over `samples` queries, how
 * many failed, and the longest the event loop was held meanwhile (`loopMax`, perf_hooks'
 * monitorEventLoopDelay: how late a 10 ms timer fired).
 */
interface Phase {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  failed: number;
  loopMax: number;
}

/** A phase under load: also the heavy requests answered (and how many of them failed) and its length in seconds. */
type LoadPhase = Phase & { heavy: number; heavyFailed: number; seconds: number };

export interface LatencyResult {
  entries: number;
  seriesPerRequest: number;
  threads: number;
  rounds: { idle: Phase; pooled: LoadPhase; inline: LoadPhase | null }[];
}

/**
 * Runs the latency benchmark: `entries` in the heavy ledger; per phase at least `samples` trivial
 * queries, and under load until the 4 clients have had 4 × `heavyEach` heavy requests answered;
 * `rounds` rounds; `inline`: also the phase with every recomputation on the main thread.
 */
export async function runLatencyBench({ entries = 5_000, samples = 100, rounds = 3, heavyEach = 2, inline = false } = {}): Promise<LatencyResult> {
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
  // The heaviest request the limits allow: as many 100-point series over the ledger as one request
  // may have recomputed (MAX_CARDS scorecards, within the scoring budget: each series costs the
  // ledger once plus 150 a point), each scorecard with every field the SDK asks for (drivers and
  // the entries behind them included), so the answer is the largest the main thread must execute
  // and serialise. (The keeps recorded two days late make each series resume from checkpoints
  // too: charged, so the count is lowered until a request fits the budget.)
  let seriesPerRequest = Math.min(Math.floor(MAX_CARDS / 100), Math.floor(MAX_WORK / (rel.headSeq + 100 * POINT_WORK)));
  const dimension = 'score status uncertainty positive negative evidence drivers { entry { seq } effect reason standing stake { amount currency typical ratio weight } }';
  const party = `trustScore band confidence evidence medianFirstResponseHours reliability { ${dimension} } transparency { ${dimension} } responsiveness { ${dimension} } goalAttainment { ${dimension} }`;
  const card = `asOf head { seq hash } policy supplier { ${party} } client { ${party} } churn { stage announcedStage repairWindow signals { name shortRate baseline ratio count expected windowDays probability } actions }`;
  const heavyQuery = `query($ids: [ID!]!, $points: [DateTime!]!) { nodes(ids: $ids) { ... on Relationship { scorecardSeries(points: $points) { ${card} } } } }`;
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
  /**
   * Trivial queries one after another (5 ms apart), at least `n` and until `more()` says enough,
   * with the event loop's delay (how long a timer waited for the loop) watched meanwhile.
   */
  const measure = async (n: number, more: () => boolean = () => false): Promise<Phase> => {
    const times: number[] = [];
    failed = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    while (times.length < n || more()) {
      times.push(await trivial());
      await new Promise((r) => setTimeout(r, 5));
    }
    loop.disable();
    return { p50: median(times), p99: quantile(times, 0.99), max: Math.max(...times), samples: times.length, failed, loopMax: loop.max / 1e6 };
  };
  /**
   * The trivial queries while 4 clients each send heavy requests one after another: sampled until
   * the clients have had 4 × `heavyEach` requests answered (so the window covers whole heavy
   * requests, their answers included) and at least `samples` queries were timed.
   */
  const underLoad = async () => {
    let stop = false;
    const done = [0, 0, 0, 0];
    let heavyFailed = 0;
    const started = performance.now();
    const load = done.map(async (_, c) => {
      while (!stop) {
        await heavy().catch(() => heavyFailed++);
        done[c]++;
      }
    });
    // Every client has a heavy request in flight before the trivial queries start.
    await new Promise((r) => setTimeout(r, 200));
    const m = await measure(samples, () => done.reduce((a, b) => a + b, 0) < 4 * heavyEach);
    stop = true;
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(load);
    return { ...m, heavy: done.reduce((a, b) => a + b, 0), heavyFailed, seconds };
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
      const onMain = inline ? await underLoad() : null;
      process.env.TRUSTLEDGER_OFF_THREAD_WORK = saved ?? '';
      result.rounds.push({ idle, pooled, inline: onMain });
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

/**
 * The bound this benchmark holds the server to (issue 11: a heavy request delays only itself):
 * under the heavy load, the trivial query's p99 is at most `ratio` × its p99 on the idle server of
 * the same round, or `floorMs` when that is more (an idle p99 of a few ms on a quiet machine would
 * otherwise make one scheduler hiccup a failure). Checked on the medians over the rounds.
 */
export const LATENCY_BOUND = { ratio: 3, floorMs: 100 };

/** Whether the pooled p99 (median over rounds) is within LATENCY_BOUND of the idle p99, and the limit it met or missed. */
export function latencyBound(r: LatencyResult): { met: boolean; limitMs: number; p99: number; idleP99: number } {
  const idleP99 = median(r.rounds.map((x) => x.idle.p99));
  const p99 = median(r.rounds.map((x) => x.pooled.p99));
  const limitMs = Math.max(LATENCY_BOUND.ratio * idleP99, LATENCY_BOUND.floorMs);
  return { met: p99 <= limitMs, limitMs, p99, idleP99 };
}

/** The README's table: medians over the rounds, ratios to the idle p99 of the same rounds, and the bound's verdict. */
export function latencyTable(r: LatencyResult): string {
  const m = (f: (x: LatencyResult['rounds'][number]) => number) => median(r.rounds.map(f));
  const idle = m((x) => x.idle.p99);
  const row = (label: string, f: (x: LatencyResult['rounds'][number]) => LoadPhase | Phase, heavy: boolean) => {
    const g = (k: keyof LoadPhase) => m((x) => (f(x) as LoadPhase)[k] as number);
    return `| ${label} | ${ms(g('p50'))} ms | ${ms(g('p99'))} ms | ${ms(g('max'))} ms | ${heavy ? (g('p99') / idle).toFixed(1) : '1'} | ${ms(g('loopMax'))} ms | ${g('samples')} | ${g('failed')} | ${heavy ? `${g('heavy')} (${g('heavyFailed')} failed) in ${g('seconds').toFixed(0)} s` : ''} |`;
  };
  const bound = latencyBound(r);
  const withInline = r.rounds.every((x) => x.inline !== null);
  return [
    `Ledger of ${r.entries.toLocaleString('en-US')} entries; each heavy request asks for ${r.seriesPerRequest} series of 100 points (the most the limits allow); 4 clients; ${r.threads} scoring thread(s); medians of ${r.rounds.length} rounds.`,
    '',
    '| `{ viewer { role } }` | p50 | p99 | max | p99 / idle p99 | event loop held at most | queries | failed | heavy requests answered |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('idle server', (x) => x.idle, false),
    row("4 clients running heavy queries, recomputations on the pool's thread", (x) => x.pooled, true),
    ...(withInline ? [row('the same, every recomputation on the main thread (as before the pool)', (x) => x.inline as LoadPhase, true)] : []),
    '',
    `Bound (p99 under load ≤ max(${LATENCY_BOUND.ratio} × idle p99, ${LATENCY_BOUND.floorMs} ms) = ${ms(bound.limitMs)} ms): ${bound.met ? 'met' : 'NOT met'} (p99 under load ${ms(bound.p99)} ms).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = Number(process.env.BENCH_LATENCY_ENTRIES ?? 5_000);
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  console.log(
    latencyTable(
      await runLatencyBench({
        entries,
        samples: env('BENCH_LATENCY_SAMPLES', 100),
        rounds: env('BENCH_LATENCY_ROUNDS', 3),
        heavyEach: env('BENCH_LATENCY_HEAVY_EACH', 2),
        inline: process.env.BENCH_LATENCY_INLINE === '1',
      }),
    ),
  );
}
