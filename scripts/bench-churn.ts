// pnpm bench:churn [relationships per class] [seed] [--classes=a,b] [--policy=JSON] [--detail]:
// the churn backtest (issue 9, DESIGN §3). Simulates relationships with known truth per day, reads
// the churn stage every day through the engine with the default policy (or the policy override
// given as JSON, e.g. --policy='{"churn":{"evidenceThreshold":4}}', to try a calibration), and
// prints per class the figures, their targets and the same figures for a simple points score on
// the same data. --classes runs only the classes named (a shorter run while calibrating);
// --detail prints slow drifts' first-ANTI lead by kind (silent or with complaints). Exit code 1
// when a target is missed.
import type { PolicyOverride } from '../packages/schema/src/index.ts';
import { backtest, better, CLASSES, type ClassName, meets, TARGETS } from './churn/simulate.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const positional = args.filter((a) => !a.startsWith('--'));
const n = Number(positional[0] ?? 200);
const seed = Number(positional[1] ?? 2026);
const only = flag('classes')?.split(',');
for (const c of only ?? []) if (!CLASSES.includes(c as ClassName)) throw new Error(`unknown class "${c}"; classes: ${CLASSES.join(', ')}`);
const classes = only ? CLASSES.filter((c) => only.includes(c)) : CLASSES;
const policyJson = flag('policy');
const policy = policyJson ? (JSON.parse(policyJson) as PolicyOverride) : undefined;
const detail = args.includes('--detail');
const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: x < 1 && x > 0 ? 3 : 1 }));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`# Churn backtest: ${n} relationships per class, seed ${seed}, ${policy ? `policy override ${policyJson}` : 'default policy'}\n`);
let failed = 0;
const started = performance.now();
for (const cls of classes) {
  const t0 = performance.now();
  const { detector, baseline, sims, stages } = backtest(cls, n, seed, policy);
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
  if (detail && cls === 'slowDrift') {
    const lead = { silent: [] as number[], loud: [] as number[] };
    const afterOnset = { silent: [] as number[], loud: [] as number[] };
    sims.forEach((sim, i) => {
      const j = stages[i].findIndex((s, k) => sim.from + k >= sim.marks.start && (s === 'ANTI' || s === 'SWITCHING' || s === 'LOST'));
      const d = j < 0 ? null : sim.from + j;
      const kind = sim.silent ? 'silent' : 'loud';
      lead[kind].push(d === null || d > sim.marks.lastOrder ? 0 : sim.marks.lastOrder - d);
      afterOnset[kind].push(d === null ? 999 : d - sim.marks.anti);
    });
    for (const k of ['silent', 'loud'] as const)
      console.log(`| first ANTI lead, ${k} (${lead[k].length}) | | ${fmt(median(lead[k]))} | days after true ANTI onset: ${fmt(median(afterOnset[k]))} | | |`);
  }
  console.log('');
}
console.log(`${failed === 0 ? 'All targets met, and better than the points score on every row' : `${failed} row(s) missed`}; ${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
process.exitCode = failed === 0 ? 0 : 1;
