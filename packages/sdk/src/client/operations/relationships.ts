import type { LedgerEntry as SchemaLedgerEntry } from '@trustledger/schema';
import type { Core } from '../core.ts';
import { EntryFields, GoalFields, PolicyFields, RelationshipFields, UserErrorFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { checkPageSize, MAX_PAGE_SIZE, type Paginated, paginate, relayPage } from '../pagination.ts';
import type { RequestOptions } from '../transport/http.ts';
import { type InputOf, nodeOf } from './shared.ts';

const ProposeRelationship = graphql(
  `
  mutation ProposeRelationship($input: ProposeRelationshipInput!) {
    proposeRelationship(input: $input) {
      relationship { ...RelationshipFields } entry { ...EntryFields } errors { ...UserErrorFields }
    }
  }
`,
  [RelationshipFields, EntryFields, UserErrorFields],
);

const AcceptRelationship = graphql(
  `
  mutation AcceptRelationship($input: AcceptRelationshipInput!) {
    acceptRelationship(input: $input) {
      relationship { ...RelationshipFields } entry { ...EntryFields } errors { ...UserErrorFields }
    }
  }
`,
  [RelationshipFields, EntryFields, UserErrorFields],
);

const EndRelationship = graphql(
  `
  mutation EndRelationship($input: EndRelationshipInput!) {
    endRelationship(input: $input) {
      relationship { ...RelationshipFields } entry { ...EntryFields } errors { ...UserErrorFields }
    }
  }
`,
  [RelationshipFields, EntryFields, UserErrorFields],
);

const ListRelationships = graphql(
  `
  query ListRelationships($first: Int!, $after: String, $as: Side, $status: RelationshipStatus) {
    viewer {
      relationships(first: $first, after: $after, as: $as, status: $status) {
        edges { node { ...RelationshipFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  [RelationshipFields],
);

const GetRelationship = graphql(
  `
  query GetRelationship($id: ID!, $goals: Int!) {
    node(id: $id) {
      __typename
      ... on Relationship {
        ...RelationshipFields
        goals(first: $goals) { edges { node { ...GoalFields } } }
        policies { ...PolicyFields }
      }
    }
  }
`,
  [RelationshipFields, GoalFields, PolicyFields],
);

const LedgerPage = graphql(
  `
  query LedgerPage($id: ID!, $after: String, $afterSeq: Int, $first: Int!) {
    node(id: $id) {
      __typename
      ... on Relationship {
        ledger(after: $after, afterSeq: $afterSeq, first: $first) {
          edges { node { ...EntryFields } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`,
  [EntryFields],
);

const RelationshipDisputes = graphql(`
  query RelationshipDisputes($id: ID!, $asOf: DateTime, $state: [DisputeState!]) {
    node(id: $id) {
      __typename
      ... on Relationship {
        disputes(asOf: $asOf, state: $state) {
          state raisedBy raisedAt lapsesAt reason resolution endedAt
          entry { seq type occurredAt recordedAt backdated } disputeEntry { seq } endedBy { seq type }
        }
      }
    }
  }
`);

/** A dispute as the SDK returns it (DESIGN §2a): its state at asOf, who raised it and when, when it lapses, how it ended. */
export type Dispute = NonNullable<Extract<NonNullable<ResultOf<typeof RelationshipDisputes>['node']>, { __typename: 'Relationship' }>['disputes']>[number];

/** A relationship as the SDK returns it. */
export type Relationship = ResultOf<typeof RelationshipFields>;
/** A ledger entry as the API returns it (the hashed fields, `actorId` for the actor, plus id and status). */
export type LedgerEntry = ResultOf<typeof EntryFields>;
/**
 * A ledger entry ready for verifyLedger and the scorecard engine (`computeScorecard`): the
 * contract's entry (`actorFirmId` as hashed, payload typed by entry type, as the server validated
 * it) beside the API's id, status and actorId.
 */
export type LedgerRecord = SchemaLedgerEntry & Omit<LedgerEntry, 'type' | 'payload'>;
/** One relationship with its goals (up to 100, with metrics) and scoring-policy proposals. */
export type RelationshipDetail = Extract<NonNullable<ResultOf<typeof GetRelationship>['node']>, { __typename: 'Relationship' }>;

export interface ListRelationshipsOptions {
  /** The viewer's side: `CLIENT` lists its suppliers. */
  as?: 'SUPPLIER' | 'CLIENT';
  status?: 'PROPOSED' | 'ACTIVE' | 'ENDED';
  /** Nodes per request, 1–100. @default 50 */
  pageSize?: number;
}

export interface LedgerOptions {
  /** Start after this seq, e.g. a pinned head's (0: from the first entry). @default 0 */
  afterSeq?: number;
  /** @deprecated Use `afterSeq`: the seq to start after. */
  after?: number;
  /** Entries per request, 1–100. @default 100 */
  pageSize?: number;
}

/** Maps an entry as served to the hashed form (actorId is the actorFirmId that was hashed). */
export const toLedgerRecord = (e: LedgerEntry): LedgerRecord => ({ ...e, payload: e.payload as SchemaLedgerEntry['payload'], actorFirmId: e.actorId });

export function relationshipsApi(core: Core) {
  const ledger = (id: string, options: LedgerOptions = {}, request?: RequestOptions): Paginated<LedgerEntry> => {
    const first = checkPageSize(options.pageSize, 100);
    const afterSeq = options.afterSeq ?? options.after ?? 0;
    // The first page starts after a seq; the next ones follow the Relay cursor the server returned.
    return paginate<LedgerEntry, string>(async (after) => {
      const data = await core.query(LedgerPage, after === null ? { id, afterSeq, first } : { id, after, first }, request);
      return relayPage(nodeOf(data.node, 'Relationship', id).ledger);
    });
  };

  return {
    /** Proposes a relationship with another firm (its opaque id), the viewer taking `viewerSide`. */
    propose: (input: InputOf<typeof ProposeRelationship>, options?: RequestOptions) =>
      core.run(ProposeRelationship, 'proposeRelationship', input, options),
    /** Accepts a relationship the other firm proposed; it becomes ACTIVE. */
    accept: (input: InputOf<typeof AcceptRelationship>, options?: RequestOptions) =>
      core.run(AcceptRelationship, 'acceptRelationship', input, options),
    /** Ends a relationship (or declines a proposal). */
    end: (input: InputOf<typeof EndRelationship>, options?: RequestOptions) => core.run(EndRelationship, 'endRelationship', input, options),

    /** The viewer's relationships, oldest first, fetched page by page as you iterate. */
    list(options: ListRelationshipsOptions = {}, request?: RequestOptions): Paginated<Relationship> {
      const first = checkPageSize(options.pageSize, 50);
      return paginate(async (after: string | null) => {
        const data = await core.query(ListRelationships, { first, after, as: options.as, status: options.status }, request);
        if (!data.viewer) return { nodes: [], hasNextPage: false, next: null };
        return relayPage(data.viewer.relationships);
      });
    },

    /** One relationship with its goals and policies; throws NotFoundError when it is not visible. */
    async get(id: string, request?: RequestOptions): Promise<RelationshipDetail> {
      const data = await core.query(GetRelationship, { id, goals: MAX_PAGE_SIZE }, request);
      return nodeOf(data.node, 'Relationship', id);
    },

    /** The ledger in seq order, fetched page by page (Relay cursors; `afterSeq` to resume from a seq) as you iterate. */
    ledger,

    /**
     * The relationship's disputes at asOf (default now), oldest first: OPEN (the contested evidence
     * weighs half), WITHDRAWN, RESOLVED (STANDS or STRUCK) or LAPSED (counts again, contested).
     */
    async disputes(id: string, options: { asOf?: string; state?: Dispute['state'][] } = {}, request?: RequestOptions): Promise<Dispute[]> {
      const data = await core.query(RelationshipDisputes, { id, asOf: options.asOf, state: options.state }, request);
      return nodeOf(data.node, 'Relationship', id).disputes;
    },

    /** The whole ledger (every page), each entry also carrying `actorFirmId`, ready for verifyLedger and the scorecard engine. */
    async ledgerEntries(id: string, request?: RequestOptions): Promise<LedgerRecord[]> {
      const all = await ledger(id, {}, request).toArray();
      return all.map(toLedgerRecord);
    },
  };
}
