// pnpm bench: the benchmarks behind the figures in the README. Medians; ratios within one run.
import { runEngineBench } from '../packages/sdk/bench/engine.ts';
import { runServeBench } from '../packages/server/bench/serve-scorecard.ts';

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

console.log('## Scorecard engine (full recomputation)\n');
const engine = await runEngineBench();
console.log(engine.table ?? JSON.stringify(engine, null, 2));

console.log('\n## Serving a scorecard over the API (in-process fetch, median of 50)\n');
const serve = await runServeBench();
console.log('| ledger | median ms |\n| --- | --- |');
console.log(`| ${fmt(serve.smallEntries, 0)} entries | ${fmt(serve.smallMs)} |`);
console.log(`| ${fmt(serve.largeEntries, 0)} entries | ${fmt(serve.largeMs)} |`);
console.log(`\nratio large/small: ${fmt(serve.ratio)}; ledger writes while filling: ${fmt(serve.writesPerSecond, 0)} entries/s`);
