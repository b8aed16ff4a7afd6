import type { Core } from '../core.ts';
import { EntryFields, PromiseFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { checkPageSize, type Paginated, paginate, relayPage } from '../pagination.ts';
import type { RequestOptions } from '../transport/http.ts';
import { type InputOf, nodeOf } from './shared.ts';

const MakePromise = graphql(
  `
  mutation MakePromise($input: MakePromiseInput!) {
    makePromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const ReschedulePromise = graphql(
  `
  mutation ReschedulePromise($input: ReschedulePromiseInput!) {
    reschedulePromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const KeepPromise = graphql(
  `
  mutation KeepPromise($input: KeepPromiseInput!) {
    keepPromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const BreakPromise = graphql(
  `
  mutation BreakPromise($input: BreakPromiseInput!) {
    breakPromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const CancelPromise = graphql(
  `
  mutation CancelPromise($input: CancelPromiseInput!) {
    cancelPromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const AcceptPromise = graphql(
  `
  mutation AcceptPromise($input: AcceptPromiseInput!) {
    acceptPromise(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const AcceptCancellation = graphql(
  `
  mutation AcceptCancellation($input: AcceptCancellationInput!) {
    acceptCancellation(input: $input) { promise { ...PromiseFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [PromiseFields, EntryFields, UserErrorFields],
);

const PromisesPage = graphql(
  `
  query PromisesPage(
    $id: ID!, $first: Int!, $after: String,
    $promisor: Side, $state: PromiseState, $overdue: Boolean, $outcome: PromiseOutcome
  ) {
    node(id: $id) {
      __typename
      ... on Relationship {
        promises(first: $first, after: $after, promisor: $promisor, state: $state, overdue: $overdue, outcome: $outcome) {
          edges { node { ...PromiseFields } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`,
  [PromiseFields],
);

/** A promise as the SDK returns it (named so it does not shadow the global Promise). */
export type PromiseNode = ResultOf<typeof PromiseFields>;

export type ListPromisesOptions = {
  promisor?: 'SUPPLIER' | 'CLIENT';
  state?: 'PROPOSED' | 'OPEN' | 'KEPT' | 'BROKEN' | 'CANCELLED';
  /** true: open and past due now; false: the others. */
  overdue?: boolean;
  outcome?: NonNullable<PromiseNode['outcome']>;
  /** Nodes per request, 1–100. @default 50 */
  pageSize?: number;
};

export function promisesApi(core: Core) {
  return {
    /** Records a promise: by its promisor it stands; by its beneficiary it is PROPOSED until the promisor accepts it. */
    make: (input: InputOf<typeof MakePromise>, options?: RequestOptions) => core.run(MakePromise, 'makePromise', input, options),
    /** Announces a new due time with a reason (promisor only); advance notice only if recorded before the due time in force. */
    reschedule: (input: InputOf<typeof ReschedulePromise>, options?: RequestOptions) =>
      core.run(ReschedulePromise, 'reschedulePromise', input, options),
    /** Records that a promise was kept (at occurredAt), in full or in part; by the promisor it is a claim until attested. */
    keep: (input: InputOf<typeof KeepPromise>, options?: RequestOptions) => core.run(KeepPromise, 'keepPromise', input, options),
    /** Records that a promise was not or will not be kept (its beneficiary says so, or its promisor admits it). */
    break: (input: InputOf<typeof BreakPromise>, options?: RequestOptions) => core.run(BreakPromise, 'breakPromise', input, options),
    /** Proposes to cancel a promise by agreement; it is cancelled once the other side accepts (acceptCancellation). */
    cancel: (input: InputOf<typeof CancelPromise>, options?: RequestOptions) => core.run(CancelPromise, 'cancelPromise', input, options),
    /** Accepts the other side's proposal to cancel a promise. */
    acceptCancellation: (input: InputOf<typeof AcceptCancellation>, options?: RequestOptions) =>
      core.run(AcceptCancellation, 'acceptCancellation', input, options),
    /** The promisor accepts a promise its beneficiary wrote for it. */
    accept: (input: InputOf<typeof AcceptPromise>, options?: RequestOptions) => core.run(AcceptPromise, 'acceptPromise', input, options),
    /** A relationship's promises, fetched page by page as you iterate. */
    list(relationshipId: string, options: ListPromisesOptions = {}, request?: RequestOptions): Paginated<PromiseNode> {
      const { pageSize, ...filters } = options;
      const first = checkPageSize(pageSize, 50);
      return paginate(async (after: string | null) => {
        const data = await core.query(PromisesPage, { id: relationshipId, first, after, ...filters }, request);
        return relayPage(nodeOf(data.node, 'Relationship', relationshipId).promises);
      });
    },
  };
}
