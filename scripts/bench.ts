// pnpm bench: the benchmarks behind the figures in the README. Medians; ratios within one run.
// BENCH_ENTRIES (default 100000) sizes the large ledger, BENCH_RELATIONSHIPS (default 1000) the review.
// BENCH_LATENCY_ENTRIES (default 5000) sizes the ledger the latency benchmark's heavy queries read;
// BENCH_LATENCY_INLINE=1 adds its phase with every recomputation on the main thread (as before the pool).
// BENCH_ONLY (comma-separated: engine, writes, reads, latency, scale; default all) runs only those parts:
// `writes` is batch ingestion and single writes, `reads` the server's reads (which load the large ledger too).
import { runEngineBench } from '../packages/sdk/bench/engine.ts';
import { perfTable, runPerfBench } from '../packages/server/bench/perf.ts';
import { latencyTable, runLatencyBench } from '../packages/server/bench/latency.ts';

// Request log lines (pino, one per request) are left out of the output: warnings only, unless TRUSTLEDGER_LOG_LEVEL says otherwise.
process.env.TRUSTLEDGER_LOG_LEVEL ??= 'warn';
const large = Number(process.env.BENCH_ENTRIES ?? 100_000);
const many = Number(process.env.BENCH_RELATIONSHIPS ?? 1000);
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
const want = (part: string) => !only || only.has(part);

if (want('engine')) {
  console.log('## Scorecard engine (full recomputation)\n');
  const engine = await runEngineBench(large);
  console.log(engine.table ?? JSON.stringify(engine, null, 2));
}

if (want('writes') || want('reads')) {
  console.log('\n## Ingestion, writes and reads through the API, against floors measured in the same run (CPU time)\n');
  console.log(perfTable(await runPerfBench({ large, manyRelationships: many, reads: want('reads') })));
}

if (want('latency')) {
  console.log("\n## A trivial query's latency while 4 clients run the heaviest queries allowed (wall time)\n");
  console.log(latencyTable(await runLatencyBench({ entries: Number(process.env.BENCH_LATENCY_ENTRIES ?? 5_000), inline: process.env.BENCH_LATENCY_INLINE === '1' })));
}
if (want('scale')) {
  console.log('\n## One mixed workload on each store: SQLite × 1 against PostgreSQL × 1, 2 and 4 API instances (operations per second, same run)\n');
  const { runScaleBench, scaleTable } = await import('../packages/server/bench/scale.ts');
  console.log(scaleTable(await runScaleBench({ seconds: Number(process.env.BENCH_SCALE_SECONDS ?? 15) })));
}
