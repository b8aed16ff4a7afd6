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
    // The positive calls stopped in week 26; Thawing is read once complaints join the silence.
    expect(fired('thawing')).toEqual(expect.arrayContaining(['positiveContacts', 'negativeContacts']));
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
    // Read every day from week 20 to week 70: alerts follow the announced stage.
    const days = Array.from({ length: 50 * 7 }, (_, d) => new Date(Date.parse(driftWeek(20)) + d * 86_400_000).toISOString());
    const daily = scorecardSeries(entries, days);
    const stages = daily.map((c) => c.churn.stage);
    const announced = daily.map((c) => c.churn.announcedStage);
    const dwell = daily[0].policy.churn.dwellDays;
    const firstThawing = stages.indexOf('THAWING');
    expect(firstThawing).toBeGreaterThan(0);
    expect(announced.indexOf('THAWING')).toBe(firstThawing + dwell - 1);
    const order = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'];
    // Announced stages walk the process in order, never back.
    for (let d = 1; d < days.length; d++) expect(order.indexOf(announced[d])).toBeGreaterThanOrEqual(order.indexOf(announced[d - 1]));
  });

  it('gives each point the same result as computing it alone', () => {
    phases.forEach(([, week], i) => {
      expect(JSON.stringify(series[i])).toBe(JSON.stringify(computeScorecard(entries, { asOf: driftWeek(week) })));
    });
  });
});
