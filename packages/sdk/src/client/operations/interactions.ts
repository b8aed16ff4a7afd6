import type { Core } from '../core.ts';
import { EntryFields, InteractionFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { checkPageSize, type Paginated, paginate, relayPage } from '../pagination.ts';
import type { RequestOptions } from '../transport/http.ts';
import { type InputOf, nodeOf } from './shared.ts';

const RecordInteraction = graphql(
  `
  mutation RecordInteraction($input: RecordInteractionInput!) {
    recordInteraction(input: $input) { interaction { ...InteractionFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [InteractionFields, EntryFields, UserErrorFields],
);

const RespondToComplaint = graphql(
  `
  mutation RespondToComplaint($input: RespondToComplaintInput!) {
    respondToComplaint(input: $input) { interaction { ...InteractionFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [InteractionFields, EntryFields, UserErrorFields],
);

const ResolveComplaint = graphql(
  `
  mutation ResolveComplaint($input: ResolveComplaintInput!) {
    resolveComplaint(input: $input) { interaction { ...InteractionFields } entry { ...EntryFields } errors { ...UserErrorFields } }
  }
`,
  [InteractionFields, EntryFields, UserErrorFields],
);

const InteractionsPage = graphql(
  `
  query InteractionsPage($id: ID!, $first: Int!, $after: String, $kinds: [InteractionKind!]) {
    node(id: $id) {
      __typename
      ... on Relationship {
        interactions(first: $first, after: $after, kinds: $kinds) {
          edges { node { ...InteractionFields } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`,
  [InteractionFields],
);

export type Interaction = ResultOf<typeof InteractionFields>;

export interface ListInteractionsOptions {
  kinds?: Interaction['kind'][];
  /** Nodes per request, 1–100. @default 50 */
  pageSize?: number;
}

export function interactionsApi(core: Core) {
  return {
    /** Records a contact, complaint, activity (volume), satisfaction pulse (score 1–5) or alternative-supplier signal. */
    record: (input: InputOf<typeof RecordInteraction>, options?: RequestOptions) =>
      core.run(RecordInteraction, 'recordInteraction', input, options),
    /** Records the first response to a complaint (at occurredAt). */
    respond: (input: InputOf<typeof RespondToComplaint>, options?: RequestOptions) =>
      core.run(RespondToComplaint, 'respondToComplaint', input, options),
    /** Records that a complaint was resolved. */
    resolve: (input: InputOf<typeof ResolveComplaint>, options?: RequestOptions) =>
      core.run(ResolveComplaint, 'resolveComplaint', input, options),
    /** A relationship's interactions, fetched page by page as you iterate. */
    list(relationshipId: string, options: ListInteractionsOptions = {}, request?: RequestOptions): Paginated<Interaction> {
      const first = checkPageSize(options.pageSize, 50);
      return paginate(async (after: string | null) => {
        const data = await core.query(InteractionsPage, { id: relationshipId, first, after, kinds: options.kinds }, request);
        return relayPage(nodeOf(data.node, 'Relationship', relationshipId).interactions);
      });
    },
  };
}
