import { ConflictError } from '@trustledger/sdk';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { activePair } from './helpers.ts';

const metric = { name: 'On time', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 80, accountable: 'SUPPLIER' } as const;

it('proposes a goal, adds a metric, accepts it and records a measurement', async () => {
  await using ts = await startTestServer();
  const { supplier, client, relationshipId } = await activePair(ts);
  const proposed = await supplier.goals.propose({ relationshipId, title: 'Reliable delivery', metrics: [metric] });
  expect(proposed.goal).toMatchObject({ title: 'Reliable delivery', status: 'PROPOSED', proposedBy: 'SUPPLIER' });
  expect(proposed.entry.type).toBe('GOAL_PROPOSED');

  const added = await supplier.goals.addMetric({
    goalId: proposed.goal.id,
    name: 'Damage rate',
    unit: '%',
    direction: 'LOWER_IS_BETTER',
    target: 1,
    accountable: 'SUPPLIER',
  });
  expect(added.metric).toMatchObject({ name: 'Damage rate', direction: 'LOWER_IS_BETTER', baseline: null });
  expect(added.entry).toMatchObject({ type: 'METRIC_ADDED', payload: { goalSeq: proposed.entry.seq } });

  const accepted = await client.goals.accept({ goalId: proposed.goal.id });
  expect(accepted.goal.status).toBe('AGREED');
  expect(accepted.goal.metrics.map((m) => m.name)).toEqual(['On time', 'Damage rate']);

  const measured = await client.goals.recordMeasurement({ metricId: accepted.goal.metrics[0].id, value: 91.5, occurredAt: '2026-02-01T00:00:00Z' });
  expect(measured.measurement).toMatchObject({ value: 91.5, observedAt: '2026-02-01T00:00:00.000Z', recordedBy: 'CLIENT' });
  expect(measured.entry.type).toBe('MEASUREMENT_RECORDED');

  const retired = await supplier.goals.retire({ goalId: proposed.goal.id, reason: 'contract renewed' });
  expect(retired.goal.status).toBe('RETIRED');
  await expect(client.goals.recordMeasurement({ metricId: accepted.goal.metrics[0].id, value: 90 })).rejects.toBeInstanceOf(ConflictError);
});

it('rejects a goal and lists goals by status across pages', async () => {
  await using ts = await startTestServer();
  const { supplier, client, relationshipId } = await activePair(ts);
  for (let i = 0; i < 5; i++) await client.goals.propose({ relationshipId, title: `Goal ${i}`, metrics: [metric] });
  const goals = await supplier.goals.list(relationshipId, { pageSize: 2 }).toArray();
  expect(goals.map((g) => g.title)).toEqual(['Goal 0', 'Goal 1', 'Goal 2', 'Goal 3', 'Goal 4']);
  const rejected = await supplier.goals.reject({ goalId: goals[1].id, reason: 'not measurable' });
  expect(rejected.goal.status).toBe('REJECTED');
  expect(rejected.entry.type).toBe('GOAL_REJECTED');
  const open = await supplier.goals.list(relationshipId, { status: 'PROPOSED', pageSize: 2 }).toArray();
  expect(open.map((g) => g.title)).toEqual(['Goal 0', 'Goal 2', 'Goal 3', 'Goal 4']);
});
