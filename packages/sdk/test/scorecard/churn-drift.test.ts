import { describe, expect, it } from 'vitest';
import { computeScorecard, scorecardSeries } from '../../src/scorecard/index.ts';
import { DRIFT_CHECKPOINTS, driftStory, driftWeek } from './stories.ts';

describe('churn is a process: a client drifting away week by week', () => {
  const { entries } = driftStory();
  const phases = Object.entries(DRIFT_CHECKPOINTS) as [keyof typeof DRIFT_CHECKPOINTS, number][];
  const series = scorecardSeries(
    entries,
    phases.map(([, week]) => driftWeek(week)),
  );
  const at = Object.fromEntries(phases.map(([name], i) => [name, series[i]])) as Record<keyof typeof DRIFT_CHECKPOINTS, (typeof series)[number]>;

  it('goes Stable → Thawing → Anti → Switching → Lost', () => {
    expect(series.map((c) => c.churn.stage)).toEqual(['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST']);
  });

  it('names the signals that fired at each stage', () => {
    const fired = (k: keyof typeof at) => at[k].churn.signals.map((s) => s.name);
    expect(fired('stable')).toEqual([]);
    expect(fired('thawing')).toEqual(['positiveContacts']);
    expect(fired('anti')).toContain('negativeContacts');
    expect(fired('switching')).toEqual(expect.arrayContaining(['activity', 'alternativeSupplier']));
    expect(fired('lost')).toContain('activity');
    const positive = at.thawing.churn.signals.find((s) => s.name === 'positiveContacts');
    expect(positive?.ratio).toBeLessThan(0.7);
    expect(positive?.shortRate).toBeLessThan(positive?.baseline as number);
  });

  it('marks Thawing as the repair window and says repair is still possible', () => {
    expect(at.thawing.churn.repairWindow).toBe(true);
    expect(at.thawing.churn.actions.join('\n')).toMatch(/can still be repaired/);
    expect(at.thawing.churn.actions.join('\n')).toMatch(/face-to-face/);
    for (const k of ['stable', 'anti', 'switching', 'lost'] as const) expect(at[k].churn.repairWindow).toBe(false);
    expect(at.anti.churn.actions.join('\n')).toMatch(/Escalate/);
  });

  it('reads a young steady relationship as neither growing nor shrinking', () => {
    for (const week of [1, 2, 4]) {
      const card = computeScorecard(entries, { asOf: driftWeek(week) });
      expect(card.churn.stage).toBe('STABLE');
      const activity = card.churn.measures.find((m) => m.name === 'activity');
      expect(activity?.ratio).toBeGreaterThan(0.85);
      expect(activity?.ratio).toBeLessThan(1.15);
    }
  });

  it('gives each point the same result as computing it alone', () => {
    phases.forEach(([, week], i) => {
      expect(JSON.stringify(series[i])).toBe(JSON.stringify(computeScorecard(entries, { asOf: driftWeek(week) })));
    });
  });
});
