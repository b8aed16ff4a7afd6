import type { ChurnStage, LedgerEntry } from '@trustledger/schema';
import { describe, expect, it } from 'vitest';
import { scorecardSeries } from '../../src/scorecard/index.ts';
import { LedgerBuilder } from '../../src/scorecard/testing.ts';

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const dayAt = (d: number) => iso(START + d * DAY + 9 * 3_600_000);
const LEVEL: Record<ChurnStage, number> = { STABLE: 0, THAWING: 1, ANTI: 2, SWITCHING: 3, LOST: 4 };

/**
 * A busy client for 400 days (5 orders a week, a positive contact every 6 days, a negative one
 * every 60, a pulse of 4 a month); from day 400 its positive contacts stop and a negative contact
 * comes every `every` days. With `policy` agreed at the start.
 */
function thawing(every: number, policy?: Record<string, unknown>): LedgerEntry[] {
  const b = new LedgerBuilder({ start: iso(START) });
  if (policy) {
    const seq = b.add('POLICY_PROPOSED', { policy: { churn: policy } });
    b.add('POLICY_ACCEPTED', { policySeq: seq }, { by: 'CLIENT' });
  }
  const add = (d: number, kind: Parameters<LedgerBuilder['interaction']>[0], extra: Record<string, unknown> = {}) => {
    b.at(START + d * DAY);
    b.interaction(kind, 'CLIENT', extra);
  };
  for (let d = 0; d < 460; d += 7 / 5) add(d, 'ACTIVITY', { volume: 40 });
  for (let d = 3; d < 400; d += 6) add(d, 'POSITIVE_CONTACT', { note: 'thanks' });
  for (let d = 20; d < 400; d += 60) add(d, 'NEGATIVE_CONTACT', { note: 'late again' });
  for (let d = 15; d < 460; d += 30) add(d, 'SATISFACTION', { score: 4 });
  for (let d = 400 + every; d < 460; d += every) add(d, 'NEGATIVE_CONTACT', { note: 'late again' });
  return [...b.entries].sort((x, y) => x.seq - y.seq);
}

const days = Array.from({ length: 60 }, (_, i) => dayAt(400 + i));

describe('churn: accumulated evidence of a persistent shift (windowed CUSUM)', () => {
  it('positive contacts that stopped beside a thaw speak from their accumulated evidence, named with count, baseline and window; the policy can switch it off', () => {
    const series = scorecardSeries(thawing(7), days);
    const first = series.findIndex((c) => LEVEL[c.churn.stage] >= LEVEL.THAWING);
    expect(first).toBeGreaterThan(0);
    const card = series[first];
    const p = card.policy.churn;
    const positive = card.churn.signals.find((s) => s.name === 'positiveContacts');
    // None in the last days, where a couple were due: the evidence's window, not a fixed one.
    expect(positive).toBeDefined();
    expect(positive?.count).toBe(0);
    expect(positive?.expected).toBeGreaterThan(2);
    expect(positive?.windowDays).toBeLessThanOrEqual(p.evidenceWindowDays);
    expect(positive?.probability).toBeLessThan(0.1);
    expect(card.churn.signals.map((s) => s.name)).toContain('negativeContacts');
    // The same ledger with the evidence's threshold agreed out of reach: the negative contacts
    // alone speak on the same day, the stopped positive contacts do not.
    const strict = scorecardSeries(thawing(7, { evidenceThreshold: 1000 }), days)[first];
    expect(strict.churn.stage).toBe('THAWING');
    expect(strict.churn.signals.map((s) => s.name)).toEqual(['negativeContacts']);
  });

  it('the same client without the thaw is never flagged', () => {
    const b = thawing(1000);
    const series = scorecardSeries(b, days);
    expect(series.every((c) => c.churn.stage === 'STABLE')).toBe(true);
  });
});
