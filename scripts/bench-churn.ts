// pnpm bench:churn [relationships per class] [seed]: the churn backtest (issue 9, DESIGN §3).
// Simulates relationships with known truth per day, reads the churn stage every day through the
// engine with the default policy, and prints per class the figures, their targets and the same
// figures for a simple points score on the same data. Exit code 1 when a target is missed.
import { backtest, better, CLASSES, meets, TARGETS } from './churn/simulate.ts';

const n = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 2026);
const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: x < 1 && x > 0 ? 3 : 1 }));

console.log(`# Churn backtest: ${n} relationships per class, seed ${seed}, default policy\n`);
let failed = 0;
const started = performance.now();
for (const cls of CLASSES) {
  const t0 = performance.now();
  const { detector, baseline } = backtest(cls, n, seed);
  console.log(`## ${cls} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log('| figure | target | detector | points score | met | better |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const t of TARGETS[cls]) {
    const d = detector[t.figure];
    const b = baseline[t.figure];
    const ok = meets(t, d);
    const beats = better(t, d, b);
    if (!ok || !beats) failed++;
    console.log(`| ${t.label} | ${t.op === '<=' ? '≤' : '≥'} ${t.bound} | ${fmt(d)} | ${fmt(b)} | ${ok ? 'yes' : 'NO'} | ${beats ? 'yes' : 'NO'} |`);
  }
  const extra = Object.keys(detector).filter((k) => !TARGETS[cls].some((t) => t.figure === k));
  for (const k of extra) console.log(`| ${k} | | ${fmt(detector[k])} | ${fmt(baseline[k])} | | |`);
  console.log('');
}
console.log(`${failed === 0 ? 'All targets met, and better than the points score on every row' : `${failed} row(s) missed`}; ${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
process.exitCode = failed === 0 ? 0 : 1;
