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

  it('does not read a young relationship as a trend: its rates are not tested yet', () => {
    for (const week of [1, 2, 4]) {
      const card = computeScorecard(entries, { asOf: driftWeek(week) });
      expect(card.churn.stage).toBe('STABLE');
      for (const name of ['activity', 'positiveContacts', 'negativeContacts']) {
        const m = card.churn.measures.find((x) => x.name === name);
        expect(m?.fired).toBe(false);
        expect(m?.probability).toBeNull();
      }
    }
  });

  it('names each fired signal with its count, the count its baseline expects and how improbable it is', () => {
    const positive = at.thawing.churn.signals.find((s) => s.name === 'positiveContacts');
    expect(positive?.count).toBe(0);
    expect(positive?.expected).toBeGreaterThan(4);
    expect(positive?.windowDays).toBeGreaterThanOrEqual(30);
    expect(positive?.probability).toBeLessThan(0.01);
    const activity = at.switching.churn.signals.find((s) => s.name === 'activity');
    expect(activity?.count).toBeLessThan((activity?.expected as number) * 0.6);
    expect(activity?.probability).toBeLessThan(0.01);
  });

  it('announces a stage only once it has held for the dwell, and then keeps it through a flicker', () => {
    // The week after the first THAWING reading the announced stage catches up; alerts follow it.
    const weekly = scorecardSeries(entries, Array.from({ length: 70 }, (_, w) => driftWeek(w)));
    const stages = weekly.map((c) => c.churn.stage);
    const announced = weekly.map((c) => c.churn.announcedStage);
    const firstThawing = stages.indexOf('THAWING');
    expect(announced.indexOf('THAWING')).toBeGreaterThan(firstThawing);
    expect(announced.indexOf('THAWING')).toBeLessThanOrEqual(firstThawing + 1);
    const order = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'];
    // Announced stages walk the process in order, never back.
    for (let w = 1; w < 70; w++) expect(order.indexOf(announced[w])).toBeGreaterThanOrEqual(order.indexOf(announced[w - 1]));
  });

  it('gives each point the same result as computing it alone', () => {
    phases.forEach(([, week], i) => {
      expect(JSON.stringify(series[i])).toBe(JSON.stringify(computeScorecard(entries, { asOf: driftWeek(week) })));
    });
  });
});
