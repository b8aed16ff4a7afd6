import type { Core } from '../core.ts';
import { AuthenticationError } from '../errors.ts';
import { FirmFields } from '../fragments.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { checkPageSize, type Paginated, paginate } from '../pagination.ts';
import type { RequestOptions } from '../transport/http.ts';

/** A dimension's figures, without the drivers (a review lists many counterparties). */
const ReviewDimensionFields = graphql(`
  fragment ReviewDimensionFields on Dimension { score status uncertainty positive negative evidence }
`);

/** What the SDK returns for each counterparty in a review. */
export const ReviewItemFields = graphql(
  `
  fragment ReviewItemFields on ReviewItem {
    counterparty { ...FirmFields }
    relationship { id rawId status viewerSide }
    scorecard { asOf head { seq hash } }
    trustScore band stage change openPromises overduePromises
    score {
      trustScore band confidence evidence medianFirstResponseHours
      reliability { ...ReviewDimensionFields }
      transparency { ...ReviewDimensionFields }
      responsiveness { ...ReviewDimensionFields }
      goalAttainment { ...ReviewDimensionFields }
    }
  }
`,
  [FirmFields, ReviewDimensionFields],
);

const ReviewPage = graphql(
  `
  query ReviewPage(
    $as: Side!, $first: Int!, $after: String, $bands: [TrustBand!], $stages: [ChurnStage!],
    $orderBy: ReviewOrder, $asOf: DateTime, $changeDays: Int, $asKnownAt: DateTime
  ) {
    viewer {
      review(as: $as, first: $first, after: $after, bands: $bands, stages: $stages, orderBy: $orderBy, asOf: $asOf, changeDays: $changeDays, asKnownAt: $asKnownAt) {
        edges { node { ...ReviewItemFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  [ReviewItemFields],
);

/** One counterparty in a review: its side of the scorecard, churn stage, change and open promises. */
export type ReviewItem = ResultOf<typeof ReviewItemFields>;

export interface ReviewOptions {
  /** The viewer's side: `CLIENT` reviews its suppliers, `SUPPLIER` its clients. */
  as: 'SUPPLIER' | 'CLIENT';
  /** Only counterparties in these bands. @default every band */
  bands?: readonly ReviewItem['band'][];
  /** Only relationships at these churn stages. @default every stage */
  stages?: readonly ReviewItem['stage'][];
  /** Unrated counterparties (and, by change, those without one) come last either way. @default 'TRUST_SCORE_ASC' (weakest first) */
  orderBy?: 'TRUST_SCORE_ASC' | 'TRUST_SCORE_DESC' | 'CHANGE_ASC' | 'CHANGE_DESC';
  /** The scorecards at this time. @default now (the server's clock) */
  asOf?: string;
  /** The period of `change`, in days (1–3650). @default 90 */
  changeDays?: number;
  /**
   * Reproduce a review pinned earlier (DESIGN §2a): give the `asOf` and `asKnownAt` (RFC 3339) it
   * was taken with, and each scorecard is computed from its ledger up to the last entry recorded
   * by `asKnownAt`, so the figures are the same whatever was recorded since, back-dated or not.
   * Each item's `scorecard.head` names the ledger head it was computed from. @default now (every entry)
   */
  asKnownAt?: string;
  /** Items per request, 1–100. @default 50 */
  pageSize?: number;
}

/**
 * The viewer's review of its counterparties (`viewer { review }`), ranked by trust score or by
 * its change, fetched page by page as you iterate. Every page is read at the same `asOf` (the
 * first page's, when you give none), so the pages are cut from one ranking even while time passes
 * and scores decay between requests.
 */
export function reviewApi(core: Core) {
  return (options: ReviewOptions, request?: RequestOptions): Paginated<ReviewItem> => {
    const { pageSize, as, bands, stages, orderBy, changeDays, asKnownAt } = options;
    const first = checkPageSize(pageSize, 50);
    const variables = { as, first, bands: bands ? [...bands] : undefined, stages: stages ? [...stages] : undefined, orderBy, changeDays, asKnownAt };
    // The position carries the asOf of the first page, so later pages are cut from the same ranking.
    return paginate<ReviewItem, { after: string; asOf: string | undefined }>(async (position) => {
      const asOf = position ? position.asOf : options.asOf;
      const data = await core.query(ReviewPage, { ...variables, asOf, after: position?.after }, request);
      if (!data.viewer) throw new AuthenticationError('The API key was not accepted.');
      const { edges, pageInfo } = data.viewer.review;
      const nodes = edges.map((e) => e.node);
      const next = pageInfo.endCursor === null ? null : { after: pageInfo.endCursor, asOf: asOf ?? nodes[0]?.scorecard.asOf };
      return { nodes, hasNextPage: pageInfo.hasNextPage, next };
    });
  };
}
