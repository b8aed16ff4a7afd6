import { builder } from '../graphql/builder.ts';
import { GoalStatusEnum, MetricDirectionEnum, SideEnum } from '../graphql/enums.ts';
import type { GoalRow, MeasurementRow, MetricRow } from '../graphql/loaders.ts';
import { loadVisible } from '../graphql/node.ts';
import { pageSize, decodeIntCursor, toConnection } from '../graphql/pagination.ts';
import { entityId } from '../ids.ts';
import { defineEntryMutation, madeByEntry } from '../ledger/entry-mutation.ts';
import { EntryRef } from '../ledger/types.ts';
import { RelationshipRef } from '../relationships/types.ts';

export const MeasurementRef = builder.objectRef<MeasurementRow>('Measurement');
builder.node(MeasurementRef, {
  id: { resolve: (m) => entityId(m.relationshipId, m.seq) },
  loadMany: loadVisible((ctx) => ctx.loaders.measurement),
  fields: (t) => ({
    value: t.exposeFloat('value'),
    observedAt: t.field({ type: 'DateTime', resolve: (m) => m.observedAt }),
    recordedBy: t.field({ type: SideEnum, resolve: (m) => m.recordedBy }),
    entry: t.field({ type: EntryRef, resolve: (m, _a, ctx) => ctx.loaders.entry.load(entityId(m.relationshipId, m.seq)) as never }),
  }),
});
export const MeasurementConnection = builder.connectionObject({ type: MeasurementRef, name: 'MeasurementConnection' });

export const MetricRef = builder.objectRef<MetricRow>('Metric');
builder.node(MetricRef, {
  description: 'How success of a goal is measured, agreed up front.',
  id: { resolve: (m) => entityId(m.relationshipId, m.seq, m.idx) },
  loadMany: loadVisible((ctx) => ctx.loaders.metric),
  fields: (t) => ({
    name: t.exposeString('name'),
    unit: t.exposeString('unit'),
    direction: t.field({ type: MetricDirectionEnum, resolve: (m) => m.direction }),
    target: t.exposeFloat('target'),
    baseline: t.exposeFloat('baseline', { nullable: true }),
    accountable: t.field({ type: SideEnum, description: 'The side whose score this metric feeds.', resolve: (m) => m.accountable }),
    measurements: t.field({
      type: MeasurementConnection,
      args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
      resolve: async (m, args, ctx) => {
        const { first, limit } = pageSize(args.first);
        const after = decodeIntCursor(args.after, 0) ?? 0;
        const rows = await ctx.loaders.measurementsPage.load({ parent: entityId(m.relationshipId, m.seq, m.idx), args: {}, limit, after });
        return toConnection(rows, first, (r) => r.seq, after > 0);
      },
    }),
  }),
});

export const GoalRef = builder.objectRef<GoalRow>('Goal');
builder.node(GoalRef, {
  description: 'A goal one side proposed; it counts once the other side agrees.',
  id: { resolve: (g) => entityId(g.relationshipId, g.seq) },
  loadMany: loadVisible((ctx) => ctx.loaders.goal),
  fields: (t) => ({
    title: t.exposeString('title'),
    proposedBy: t.field({ type: SideEnum, resolve: (g) => g.proposedBy }),
    status: t.field({ type: GoalStatusEnum, resolve: (g) => g.status }),
    metrics: t.field({ type: [MetricRef], resolve: (g, _a, ctx) => ctx.loaders.metricsOfGoal.load(entityId(g.relationshipId, g.seq)) }),
  }),
});
export const GoalConnection = builder.connectionObject({ type: GoalRef, name: 'GoalConnection' });

builder.objectFields(RelationshipRef, (t) => ({
  goals: t.field({
    type: GoalConnection,
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string(), status: t.arg({ type: GoalStatusEnum }) },
    resolve: async (r, args, ctx) => {
      const { first, limit } = pageSize(args.first);
      const after = decodeIntCursor(args.after, 0) ?? 0;
      const rows = await ctx.loaders.goalsPage.load({ parent: r.id, args: { status: args.status }, limit, after });
      return toConnection(rows, first, (g) => g.seq, after > 0);
    },
  }),
}));

/** A metric's fields, as proposeGoal's MetricInput and addMetric's input both take them. */
const metricFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  name: t.string({ required: true }),
  unit: t.string({ required: true }),
  direction: t.field({ type: MetricDirectionEnum, required: true }),
  target: t.float({ required: true }),
  baseline: t.float({ required: false }),
  accountable: t.field({ type: SideEnum, required: true }),
});

export const MetricInput = builder.inputType('MetricInput', { fields: metricFields });

const metricPayload = (m: { name: string; unit: string; direction: string; target: number; baseline?: number | null; accountable: string }) => ({
  name: m.name,
  unit: m.unit,
  direction: m.direction,
  target: m.target,
  ...(m.baseline == null ? {} : { baseline: m.baseline }),
  accountable: m.accountable,
});

defineEntryMutation({
  name: 'proposeGoal',
  description: 'Proposes a goal and the metrics that measure it; the other side accepts or rejects it.',
  type: 'GOAL_PROPOSED',
  target: { field: 'relationshipId', typename: 'Relationship' },
  input: (t) => ({ relationshipId: t.id({ required: true }), title: t.string({ required: true }), metrics: t.field({ type: [MetricInput], required: true }) }),
  payload: (i) => ({ title: i.title, metrics: i.metrics.map(metricPayload) }),
  result: { field: 'goal', type: GoalRef as never, key: madeByEntry },
});

const goalTarget = { field: 'goalId', typename: 'Goal' };
const goalResult = { field: 'goal', type: GoalRef as never, key: (_e: unknown, k: { relationshipId: string; seq: number }) => entityId(k.relationshipId, k.seq) };

defineEntryMutation({
  name: 'acceptGoal',
  description: 'Agrees to a goal the other side proposed; its metrics now count.',
  type: 'GOAL_ACCEPTED',
  target: goalTarget,
  input: (t) => ({ goalId: t.id({ required: true }) }),
  payload: (_i, key) => ({ goalSeq: key.seq }),
  result: goalResult,
});

for (const [name, type, description] of [
  ['rejectGoal', 'GOAL_REJECTED', 'Rejects a goal the other side proposed.'],
  ['retireGoal', 'GOAL_RETIRED', 'Retires an agreed goal: it takes no more measurements, and those it had keep counting and fading (DESIGN §2a); or withdraws your own proposal, which then counts for nothing.'],
] as const) {
  defineEntryMutation({
    name,
    description,
    type,
    target: goalTarget,
    input: (t) => ({ goalId: t.id({ required: true }), reason: t.string({ required: false }) }),
    payload: (i, key) => ({ goalSeq: key.seq, reason: i.reason ?? undefined }),
    result: goalResult,
  });
}

defineEntryMutation({
  name: 'addMetric',
  description: 'Adds a metric to a goal that is still proposed.',
  type: 'METRIC_ADDED',
  target: goalTarget,
  input: (t) => ({ goalId: t.id({ required: true }), ...metricFields(t) }),
  payload: (i, key) => ({ goalSeq: key.seq, metric: metricPayload(i) }),
  result: { field: 'metric', type: MetricRef as never, key: (e) => entityId(e.relationshipId, e.seq, 0) },
});

defineEntryMutation({
  name: 'recordMeasurement',
  description: 'Records a value of a metric (observed at occurredAt). The other side may dispute it.',
  type: 'MEASUREMENT_RECORDED',
  target: { field: 'metricId', typename: 'Metric' },
  input: (t) => ({ metricId: t.id({ required: true }), value: t.float({ required: true }), note: t.string({ required: false }) }),
  payload: (i, key) => ({ metricSeq: key.seq, metricIndex: key.idx, value: i.value, note: i.note ?? undefined }),
  result: { field: 'measurement', type: MeasurementRef as never, key: madeByEntry },
});
