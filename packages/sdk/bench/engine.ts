import type { LedgerEntry } from '@trustledger/schema';
import { computeScorecard, foldLedger, scorecardFromState } from '../src/scorecard/index.ts';
import { LedgerBuilder } from '../src/scorecard/testing.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A realistic ledger of about `n` entries over two years: deliveries promised and kept (some
 * late, some rescheduled or broken), client payments, weekly orders, contacts, complaints with
 * responses, satisfaction pulses.
 */
export function benchLedger(n: number): LedgerEntry[] {
  const b = new LedgerBuilder({ start: '2024-06-01T08:00:00.000Z', validate: false });
  const step = (730 * 86_400_000) / n;
  let i = 0;
  while (b.entries.length < n) {
    b.advance(step / 86_400_000);
    const k = i++ % 10;
    if (k === 0) {
      const p = b.promise('SUPPLIER', 'DELIVERY', `order ${i}`, 3);
      if (i % 7 === 0) b.reschedule(p, 'SUPPLIER', 6);
      if (i % 31 === 0) b.break(p, 'SUPPLIER');
      else b.keep(p, 'SUPPLIER');
    } else if (k === 1) {
      const p = b.promise('CLIENT', 'PAYMENT', `invoice ${i}`, 30);
      b.keep(p, 'CLIENT');
    } else if (k < 5) b.interaction('ACTIVITY', 'CLIENT', { volume: 50 + (i % 40) });
    else if (k < 7) b.interaction('POSITIVE_CONTACT', 'CLIENT');
    else if (k === 7) {
      const c = b.interaction('COMPLAINT', 'CLIENT', { note: 'late shipment' });
      b.add('COMPLAINT_RESPONDED', { interactionSeq: c }, { by: 'SUPPLIER' });
    } else b.interaction('SATISFACTION', 'CLIENT', { score: 3 + (i % 3) });
  }
  return b.entries.slice(0, n);
}

/** What a loop must do at the least: read the fields the engine reads, for every entry, by name (the target's floor). */
function bareLoop(entries: readonly LedgerEntry[]): number {
  let acc = 0;
  for (const e of entries) {
    acc += e.seq + e.type.length + e.occurredAt.length + e.actorFirmId.length;
    const p = e.payload as Record<string, unknown>;
    for (const key in p) acc += key.length;
  }
  return acc;
}

/**
 * The same fields read the way the engine reads them (prepareFold): by walking each entry's own
 * keys, which reads a field by its position in the shape's key list instead of a megamorphic
 * look-up by name (every bench entry has a hidden class of its own). Shown beside the bare loop,
 * which stays the target's floor.
 */
function keyWalkLoop(entries: readonly LedgerEntry[]): number {
  let acc = 0;
  for (const e of entries) {
    const fields = e as unknown as Record<string, unknown>;
    for (const key in fields) {
      if (key === 'seq') acc += fields[key] as number;
      else if (key === 'type' || key === 'occurredAt' || key === 'actorFirmId') acc += (fields[key] as string).length;
      else if (key === 'payload') for (const k in fields[key] as Record<string, unknown>) acc += k.length;
    }
  }
  return acc;
}

/** CPU milliseconds (user + system) of this process: the machine is shared, so wall time is too noisy. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function time(fn: () => unknown, runs: number): number {
  fn(); // warm up
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = cpu();
    fn();
    samples.push(cpu() - t);
  }
  return median(samples);
}

/** Median CPU ms of each function, run in alternation (so all see the same load on the shared machine). */
function timeAlternating(fns: (() => unknown)[], runs: number): number[] {
  for (const fn of fns) fn();
  const samples = fns.map((): number[] => []);
  for (let r = 0; r < runs; r++)
    fns.forEach((fn, i) => {
      const t = cpu();
      fn();
      samples[i].push(cpu() - t);
    });
  return samples.map(median);
}

/** Full recomputation throughput against the bare loop, and O(1) serving from the incremental state. */
export function runEngineBench(n = 100_000) {
  const entries = benchLedger(n);
  const asOf = new Date(Date.parse(entries[entries.length - 1].occurredAt) + 86_400_000).toISOString();
  const [fullMs, bareMs, keyWalkMs] = timeAlternating([() => computeScorecard(entries, { asOf }), () => bareLoop(entries), () => keyWalkLoop(entries)], 9);
  const smallState = foldLedger(benchLedger(10));
  const largeState = foldLedger(entries);
  const smallAsOf = new Date(Date.parse(benchLedger(10)[9].occurredAt) + 86_400_000).toISOString();
  const serveSmallMs = time(() => scorecardFromState(smallState, smallAsOf), 501);
  const serveLargeMs = time(() => scorecardFromState(largeState, asOf), 501);
  const stateBytes = JSON.stringify(largeState).length;
  const result = {
    entries: n,
    fullMs,
    entriesPerSecond: n / (fullMs / 1000),
    bareMs,
    ratioToBare: fullMs / bareMs,
    keyWalkMs,
    serveSmallMs,
    serveLargeMs,
    serveRatio: serveLargeMs / serveSmallMs,
    stateBytes,
  };
  const f = (x: number, d = 2) => x.toLocaleString('en-US', { maximumFractionDigits: d });
  const table = [
    '| measure (CPU time, median) | median |',
    '| --- | --- |',
    `| full recomputation, ${f(n, 0)} entries | ${f(fullMs, 0)} ms (${f(result.entriesPerSecond, 0)} entries/s) |`,
    `| bare loop reading the same fields | ${f(bareMs, 1)} ms |`,
    `| ratio full / bare loop | ${f(result.ratioToBare, 1)} |`,
    `| the same fields read by walking each entry's keys, as the engine reads them | ${f(keyWalkMs, 1)} ms (full / it: ${f(fullMs / keyWalkMs, 1)}) |`,
    `| scorecard from state folded from 10 entries | ${f(serveSmallMs * 1000, 0)} µs |`,
    `| scorecard from state folded from ${f(n, 0)} entries | ${f(serveLargeMs * 1000, 0)} µs (ratio ${f(result.serveRatio)}) |`,
    `| incremental state size, ${f(n, 0)} entries | ${f(stateBytes / 1024, 1)} KiB |`,
  ].join('\n');
  return { ...result, table };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(runEngineBench(Number(process.argv[2] ?? 100_000)).table);
