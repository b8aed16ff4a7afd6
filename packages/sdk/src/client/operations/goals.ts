import type { Core } from '../core.ts';
import { EntryFields, GoalFields, MeasurementFields, MetricFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { checkPageSize, type Paginated, paginate, relayPage } from '../pagination.ts';
import type { RequestOptions } from '../transport/http.ts';
import { type InputOf, nodeOf } from './shared.ts';

const ProposeGoal = graphql(
  `
  mutation ProposeGoal($input: ProposeGoalInput!) {
    proposeGoal(input: $input) { goal { ...GoalFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [GoalFields, EntryFields, UserErrorFields],
);

const AcceptGoal = graphql(
  `
  mutation AcceptGoal($input: AcceptGoalInput!) {
    acceptGoal(input: $input) { goal { ...GoalFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [GoalFields, EntryFields, UserErrorFields],
);

const RejectGoal = graphql(
  `
  mutation RejectGoal($input: RejectGoalInput!) {
    rejectGoal(input: $input) { goal { ...GoalFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [GoalFields, EntryFields, UserErrorFields],
);

const RetireGoal = graphql(
  `
  mutation RetireGoal($input: RetireGoalInput!) {
    retireGoal(input: $input) { goal { ...GoalFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [GoalFields, EntryFields, UserErrorFields],
);

const AddMetric = graphql(
  `
  mutation AddMetric($input: AddMetricInput!) {
    addMetric(input: $input) { metric { ...MetricFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [MetricFields, EntryFields, UserErrorFields],
);

const RecordMeasurement = graphql(
  `
  mutation RecordMeasurement($input: RecordMeasurementInput!) {
    recordMeasurement(input: $input) { measurement { ...MeasurementFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [MeasurementFields, EntryFields, UserErrorFields],
);

const GoalsPage = graphql(
  `
  query GoalsPage($id: ID!, $first: Int!, $after: String, $status: GoalStatus) {
    node(id: $id) {
      __typename
      ... on Relationship {
        goals(first: $first, after: $after, status: $status) {
          edges { node { ...GoalFields } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`,
  [GoalFields],
);

export type Goal = ResultOf<typeof GoalFields>;
export type Metric = ResultOf<typeof MetricFields>;
export type Measurement = ResultOf<typeof MeasurementFields>;

export interface ListGoalsOptions {
  status?: 'PROPOSED' | 'AGREED' | 'REJECTED' | 'RETIRED';
  /** Nodes per request, 1–100. @default 50 */
  pageSize?: number;
}

export function goalsApi(core: Core) {
  return {
    /** Proposes a goal and the metrics that measure it; the other side accepts or rejects it. */
    propose: (input: InputOf<typeof ProposeGoal>, options?: RequestOptions) => core.run(ProposeGoal, 'proposeGoal', input, options),
    /** Agrees to a goal the other side proposed. */
    accept: (input: InputOf<typeof AcceptGoal>, options?: RequestOptions) => core.run(AcceptGoal, 'acceptGoal', input, options),
    /** Rejects a goal the other side proposed. */
    reject: (input: InputOf<typeof RejectGoal>, options?: RequestOptions) => core.run(RejectGoal, 'rejectGoal', input, options),
    /** Retires an agreed goal (or withdraws your own proposal). */
    retire: (input: InputOf<typeof RetireGoal>, options?: RequestOptions) => core.run(RetireGoal, 'retireGoal', input, options),
    /** Adds a metric to a goal that is still proposed. */
    addMetric: (input: InputOf<typeof AddMetric>, options?: RequestOptions) => core.run(AddMetric, 'addMetric', input, options),
    /** Records a value of a metric, observed at occurredAt. */
    recordMeasurement: (input: InputOf<typeof RecordMeasurement>, options?: RequestOptions) =>
      core.run(RecordMeasurement, 'recordMeasurement', input, options),
    /** A relationship's goals, fetched page by page as you iterate. */
    list(relationshipId: string, options: ListGoalsOptions = {}, request?: RequestOptions): Paginated<Goal> {
      const first = checkPageSize(options.pageSize, 50);
      return paginate(async (after: string | null) => {
        const data = await core.query(GoalsPage, { id: relationshipId, first, after, status: options.status }, request);
        return relayPage(nodeOf(data.node, 'Relationship', relationshipId).goals);
      });
    },
  };
}
