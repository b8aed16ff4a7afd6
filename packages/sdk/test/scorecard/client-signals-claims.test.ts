import type { LedgerEntry, Side } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { applyEntry, computeScorecard, initialState, scorecardFromState, scorecardSeries } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const at = (d: number) => iso(START + d * DAY);
type Kind = 'ACTIVITY' | 'POSITIVE_CONTACT' | 'SATISFACTION' | 'NEGATIVE_CONTACT' | 'COMPLAINT' | 'ALTERNATIVE_SUPPLIER';
const extra = (kind: Kind) => (kind === 'ACTIVITY' ? { volume: 40 } : kind === 'SATISFACTION' ? { score: 5 } : { note: 'said so' });

/**
 * A client that ordered five times a week, made a positive contact every 6 days and gave a pulse
 * of 4 a month for 300 days, then went quiet (its churn stage falls to LOST by day 361). On day 360
 * `told(b, add)` may record more of the client's signals, dated days 330–360.
 */
function drifting(told: (b: LedgerBuilder, add: (d: number, by: Side, kind: Kind) => number) => void = () => {}): LedgerEntry[] {
  const b = new LedgerBuilder({ start: at(0) });
  const add = (d: number, by: Side, kind: Kind) => b.add('INTERACTION_RECORDED', { kind, initiatedBy: 'CLIENT', ...extra(kind) }, { by, at: at(d) });
  for (let d = 0; d < 300; d += 7 / 5) add(d, 'CLIENT', 'ACTIVITY');
  for (let d = 3; d < 300; d += 6) add(d, 'CLIENT', 'POSITIVE_CONTACT');
  for (let d = 15; d < 300; d += 30) b.add('INTERACTION_RECORDED', { kind: 'SATISFACTION', initiatedBy: 'CLIENT', score: 4 }, { by: 'CLIENT', at: at(d) });
  // A last entry on day 360: what follows is recorded then (the builder's clock), back-dated.
  b.add('REPRESENTATIVE_HANDOVER', { side: 'SUPPLIER', name: 'Dana' }, { by: 'SUPPLIER', at: at(360) });
  told(b, add);
  return [...b.entries];
}

/** The client's orders, positive contacts and pulses of 5 from day 330 to 360, recorded by `by`; their seqs. */
function good(by: Side) {
  return (_b: LedgerBuilder, add: (d: number, by: Side, kind: Kind) => number) => {
    const seqs: number[] = [];
    for (let d = 330; d < 360; d += 7 / 5) seqs.push(add(d, by, 'ACTIVITY'));
    for (let d = 331; d < 360; d += 3) seqs.push(add(d, by, 'POSITIVE_CONTACT'));
    seqs.push(add(345, by, 'SATISFACTION'), add(355, by, 'SATISFACTION'));
    return seqs;
  };
}

const stage = (entries: readonly LedgerEntry[], d: number) => computeScorecard(entries, { asOf: at(d) }).churn;
const withFollowUp = (type: 'ENTRY_CONFIRMED' | 'ENTRY_DISPUTED', d: number) => (b: LedgerBuilder, add: (d: number, by: Side, kind: Kind) => number) => {
  const seqs = good('SUPPLIER')(b, add);
  b.at(START + d * DAY);
  for (const seq of seqs) b.add(type, type === 'ENTRY_CONFIRMED' ? { entrySeq: seq } : { entrySeq: seq, reason: 'we did not order' }, { by: 'CLIENT' });
};

describe("DESIGN §2a: the client's own signals recorded by the supplier are claims the churn detector hears once attested", () => {
  const quiet = drifting();
  const byClient = drifting(good('CLIENT'));
  const bySupplier = drifting(good('SUPPLIER'));

  it('recorded by the client they quiet the stage at once; recorded by the supplier alone they change nothing while claimed', () => {
    expect(stage(quiet, 361).stage).toBe('LOST');
    expect(stage(byClient, 361).stage).not.toBe('LOST');
    expect(stage(bySupplier, 361)).toEqual(stage(quiet, 361));
    expect(stage(bySupplier, 366)).toEqual(stage(quiet, 366));
  });

  it('once the attestation window (7 days from when they were recorded) passes undisputed they count as if the client had recorded them', () => {
    expect(stage(bySupplier, 368)).toEqual(stage(byClient, 368));
    expect(stage(bySupplier, 368).stage).not.toBe(stage(quiet, 368).stage);
  });

  it('confirmed by the client they count at once; disputed they count for nothing until the dispute lapses (30 days)', () => {
    const confirmed = drifting(withFollowUp('ENTRY_CONFIRMED', 360.5));
    expect(stage(confirmed, 361).stage).toBe(stage(byClient, 361).stage);
    const disputed = drifting(withFollowUp('ENTRY_DISPUTED', 360.5));
    expect(stage(disputed, 368)).toEqual(stage(quiet, 368));
    expect(stage(disputed, 389)).toEqual(stage(quiet, 389));
    // Lapsed unresolved on day 390.5: they count again, contested.
    expect(stage(disputed, 392)).toEqual(stage(byClient, 392));
  });

  it("the client's signals against the supplier count at once whoever records them", () => {
    const against = (by: Side) => drifting((_b, add) => {
      for (let d = 340; d < 360; d += 2) add(d, by, 'NEGATIVE_CONTACT');
      add(350, by, 'ALTERNATIVE_SUPPLIER');
    });
    // A busy client that turns sour: judged on day 361 the same whoever wrote its complaints down.
    expect(stage(against('SUPPLIER'), 361)).toEqual(stage(against('CLIENT'), 361));
  });

  it('the state kept entry by entry (as the server keeps it) serves the same scorecards as the full recomputation, before and after the window', () => {
    let state = initialState();
    for (const e of bySupplier) {
      const next = applyEntry(state, e);
      expect(next.rebuild).toBe(false);
      state = next.state;
    }
    for (const d of [360, 361, 367.4, 368, 400]) expect(scorecardFromState(state, at(d))).toEqual(computeScorecard(bySupplier, { asOf: at(d) }));
    const series = scorecardSeries(bySupplier, [361, 368, 400].map(at));
    expect(series.map((c) => c.churn)).toEqual([361, 368, 400].map((d) => stage(bySupplier, d)));
  });
});
