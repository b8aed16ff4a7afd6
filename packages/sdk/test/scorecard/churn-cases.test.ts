import type { ChurnStage, LedgerEntry } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { computeScorecard, foldLedger, scorecardFromState, scorecardSeries } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const LEVEL: Record<ChurnStage, number> = { STABLE: 0, THAWING: 1, ANTI: 2, SWITCHING: 3, LOST: 4 };
/** Days from START, at 18:00, for daily reading. */
const dayAt = (d: number) => iso(START + d * DAY + 9 * 3_600_000);
const daily = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => dayAt(from + i));

/**
 * A healthy, busy client: `perWeek` orders a week of `volume` (spread over the week), a positive
 * contact every 10 days and a pulse of 4 every month, from day `from` to day `to`.
 */
function busyClient(b: LedgerBuilder, from: number, to: number, options: { perWeek?: number; volume?: number; contacts?: boolean } = {}) {
  const perWeek = options.perWeek ?? 5;
  for (let i = 0; i < ((to - from) * perWeek) / 7; i++) {
    b.at(START + (from + (i * 7) / perWeek) * DAY);
    b.interaction('ACTIVITY', 'CLIENT', { volume: options.volume ?? 40 });
  }
  if (options.contacts === false) return;
  for (let d = from + 3; d < to; d += 10) {
    b.at(START + d * DAY);
    b.interaction('POSITIVE_CONTACT', 'CLIENT', { note: 'thanks' });
  }
  for (let d = from + 15; d < to; d += 30) {
    b.at(START + d * DAY);
    b.interaction('SATISFACTION', 'CLIENT', { score: 4 });
  }
}

/** Entries sorted by seq with their times, so a series can run over them. */
const sorted = (b: LedgerBuilder): LedgerEntry[] => [...b.entries].sort((x, y) => x.seq - y.seq);

describe('churn: the cases of issue 9, and their kind', () => {
  it('a satisfaction pulse of 2 with no later pulse does not keep a busy client in ANTI, and stops speaking after its window', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 300, { contacts: false });
    for (let d = 3; d < 400; d += 10) {
      b.at(START + d * DAY);
      b.interaction('POSITIVE_CONTACT', 'CLIENT', { note: 'thanks' });
    }
    busyClient(b, 300, 400, { contacts: false });
    b.at(START + 200 * DAY);
    b.interaction('SATISFACTION', 'CLIENT', { score: 2 });
    const series = scorecardSeries(sorted(b), daily(200, 400));
    const stages = series.map((c) => c.churn.stage);
    expect(stages.filter((s) => LEVEL[s] >= LEVEL.ANTI)).toEqual([]);
    // One low pulse asks for attention while it is recent…
    expect(series[1].churn.signals.map((s) => s.name)).toContain('satisfaction');
    // … and ages out: after the satisfaction window it no longer speaks.
    const window = series[0].policy.churn.satisfactionWindowDays;
    for (const card of series.slice(window + 1)) {
      expect(card.churn.signals.map((s) => s.name)).not.toContain('satisfaction');
      expect(card.churn.stage).toBe('STABLE');
    }
  });

  it.each([
    ['forty orders a week', { perWeek: 40, volume: 1 }],
    ['one weekly order of forty', { perWeek: 1, volume: 40 }],
  ])('%s for 26 weeks then nothing for 4 weeks is SWITCHING, with or without an old unrelated entry', (_label, shape) => {
    const build = (oldEntry: 'none' | 'keptPromise' | 'positiveContact') => {
      const b = new LedgerBuilder({ start: iso(START - 400 * DAY) });
      if (oldEntry === 'keptPromise') {
        b.at(START - 380 * DAY);
        const p = b.promise('SUPPLIER', 'DELIVERY', 'sample delivery', 10);
        b.at(START - 372 * DAY);
        b.keep(p, 'SUPPLIER');
      } else if (oldEntry === 'positiveContact') {
        b.at(START - 365 * DAY);
        b.interaction('POSITIVE_CONTACT', 'CLIENT', { note: 'first meeting' });
      }
      busyClient(b, 0, 26 * 7, { ...shape, contacts: false });
      return b;
    };
    for (const oldEntry of ['none', 'keptPromise', 'positiveContact'] as const) {
      const b = build(oldEntry);
      // Four weeks (28 days) after the last order.
      const lastOrder = Math.max(...b.entries.filter((e) => e.type === 'INTERACTION_RECORDED').map((e) => Date.parse(e.occurredAt)));
      const card = computeScorecard(b.entries, { asOf: iso(lastOrder + 28 * DAY) });
      expect(card.churn.stage, oldEntry).toBe('SWITCHING');
      expect(card.churn.signals.map((s) => s.name)).toContain('orderCadence');
      // Days since the last order against the typical gap, and how improbable the silence is.
      const cadence = card.churn.signals.find((s) => s.name === 'orderCadence');
      expect(cadence?.count).toBeGreaterThan(3 * (cadence?.expected as number));
      expect(cadence?.probability).toBeLessThan(0.001);
      // Before the silence the same client is STABLE, whatever old entry is on record.
      expect(computeScorecard(b.entries, { asOf: dayAt(26 * 7 - 1) }).churn.stage).toBe('STABLE');
    }
  });

  it.each([1, 2.5, 4])('a quiet year, then one complaint answered in %s h and resolved, is never ANTI and barely THAWING', (hours) => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 500);
    const at = START + 380 * DAY;
    b.at(at);
    const c = b.interaction('COMPLAINT', 'CLIENT', { note: 'one crate arrived damaged' });
    b.at(at + hours * 3_600_000);
    b.add('COMPLAINT_RESPONDED', { interactionSeq: c, note: 'replacement on its way' }, { by: 'SUPPLIER' });
    b.at(at + 2 * DAY);
    b.add('COMPLAINT_RESOLVED', { interactionSeq: c }, { by: 'SUPPLIER' });
    const stages = scorecardSeries(sorted(b), daily(370, 500)).map((x) => x.churn.stage);
    expect(stages.filter((s) => LEVEL[s] >= LEVEL.ANTI)).toEqual([]);
    expect(stages.filter((s) => s === 'THAWING').length).toBeLessThanOrEqual(14);
  });

  it('the same complaint left unanswered is a sign; repeated unhandled complaints with low pulses make ANTI', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 500);
    b.at(START + 380 * DAY);
    b.interaction('COMPLAINT', 'CLIENT', { note: 'one crate arrived damaged' });
    const once = computeScorecard(b.entries, { asOf: dayAt(383) });
    expect(once.churn.stage).toBe('THAWING');
    expect(once.churn.signals.map((s) => s.name)).toContain('negativeContacts');
    b.at(START + 390 * DAY);
    b.interaction('COMPLAINT', 'CLIENT', { note: 'wrong items again' });
    b.interaction('SATISFACTION', 'CLIENT', { score: 2 });
    b.at(START + 400 * DAY);
    b.interaction('SATISFACTION', 'CLIENT', { score: 1 });
    const card = computeScorecard(b.entries, { asOf: dayAt(402) });
    expect(card.churn.stage).toBe('ANTI');
    expect(card.churn.actions.join('\n')).toMatch(/Escalate/);
  });

  it('one event is never ANTI: an alternative supplier named once, while orders go on, ages out', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 400);
    b.at(START + 250 * DAY);
    b.interaction('ALTERNATIVE_SUPPLIER', 'CLIENT', { note: 'got a quote elsewhere' });
    const series = scorecardSeries(sorted(b), daily(250, 400));
    expect(series.filter((c) => LEVEL[c.churn.stage] >= LEVEL.ANTI)).toEqual([]);
    expect(series[1].churn.stage).toBe('THAWING');
    const window = series[0].policy.churn.alternativeWindowDays;
    for (const card of series.slice(window + 1)) expect(card.churn.stage).toBe('STABLE');
  });

  it('a young relationship with teething complaints, handled in time, is not flagged', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 60);
    for (const d of [5, 12, 20, 33]) {
      b.at(START + d * DAY);
      const c = b.interaction('COMPLAINT', 'CLIENT', { note: 'teething trouble' });
      b.at(START + d * DAY + 3 * 3_600_000);
      b.add('COMPLAINT_RESOLVED', { interactionSeq: c }, { by: 'SUPPLIER' });
    }
    const stages = scorecardSeries(sorted(b), daily(0, 60)).map((x) => x.churn.stage);
    expect(new Set(stages)).toEqual(new Set(['STABLE']));
  });

  it('a relationship that ended is LOST, and a long silence after weekly orders becomes LOST', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 200, { perWeek: 1, volume: 40 });
    expect(computeScorecard(b.entries, { asOf: dayAt(199 + 45) }).churn.stage).toBe('LOST');
    b.at(START + 210 * DAY);
    b.add('RELATIONSHIP_ENDED', {}, { by: 'CLIENT' });
    expect(computeScorecard(b.entries, { asOf: dayAt(211) }).churn.signals.map((s) => s.name)).toContain('relationshipEnded');
  });

  it('hysteresis and dwell depend only on the entries and asOf: the served state agrees with recomputation every day', () => {
    const b = new LedgerBuilder({ start: iso(START) });
    busyClient(b, 0, 300);
    for (const d of [200, 204, 209]) {
      b.at(START + d * DAY);
      b.interaction('NEGATIVE_CONTACT', 'CLIENT', { note: 'late again' });
    }
    const entries = sorted(b);
    const points = daily(195, 240);
    const series = scorecardSeries(entries, points);
    points.forEach((asOf, i) => {
      const within = entries.filter((e) => Date.parse(e.occurredAt) <= Date.parse(asOf));
      const state = foldLedger(within);
      expect(JSON.stringify(scorecardFromState(state, asOf)?.churn)).toBe(JSON.stringify(series[i].churn));
    });
    // Entering takes stronger evidence than staying: the stage stays THAWING on days where the
    // contacts alone would no longer enter it.
    const stages = series.map((c) => c.churn.stage);
    const first = stages.indexOf('THAWING');
    expect(first).toBeGreaterThan(0);
    const run = stages.slice(first).findIndex((s) => s !== 'THAWING');
    expect(run === -1 ? stages.length - first : run).toBeGreaterThanOrEqual(series[0].policy.churn.dwellDays);
  });
});
