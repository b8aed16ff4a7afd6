import type { Core } from '../core.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import { verifyScorecard } from '../verify-scorecard.ts';
import type { relationshipsApi } from './relationships.ts';
import { nodeOf } from './shared.ts';

const DimensionFields = graphql(`
  fragment DimensionFields on Dimension {
    score status uncertainty positive negative evidence
    drivers { entry { seq } effect reason stake { amount currency typical ratio weight } }
  }
`);

const PartyScoreFields = graphql(
  `
  fragment PartyScoreFields on PartyScore {
    trustScore band confidence evidence medianFirstResponseHours
    reliability { ...DimensionFields }
    transparency { ...DimensionFields }
    responsiveness { ...DimensionFields }
    goalAttainment { ...DimensionFields }
  }
`,
  [DimensionFields],
);

export const ScorecardFields = graphql(
  `
  fragment ScorecardFields on Scorecard {
    asOf head { seq hash } policy
    supplier { ...PartyScoreFields }
    client { ...PartyScoreFields }
    churn { stage repairWindow signals { name shortRate baseline ratio } actions }
  }
`,
  [PartyScoreFields],
);

const ScorecardQuery = graphql(
  `
  query Scorecard($id: ID!, $asOf: DateTime) {
    node(id: $id) { __typename ... on Relationship { scorecard(asOf: $asOf) { ...ScorecardFields } } }
  }
`,
  [ScorecardFields],
);

const ScorecardSeriesQuery = graphql(
  `
  query ScorecardSeries($id: ID!, $points: [DateTime!]!) {
    node(id: $id) { __typename ... on Relationship { scorecardSeries(points: $points) { ...ScorecardFields } } }
  }
`,
  [ScorecardFields],
);

/** The shared scorecard as the server serves it (DESIGN §3). */
export type Scorecard = ResultOf<typeof ScorecardFields>;

export interface ScorecardOptions {
  /** The scorecard at this time. @default now (the server's clock) */
  asOf?: string;
  /**
   * Fetch the ledger, verify its hash chain and recompute the scorecard with the SDK's own
   * engine; throws VerificationError naming the first difference. @default false
   */
  verify?: boolean;
}

export function scorecardApi(core: Core, relationships: ReturnType<typeof relationshipsApi>) {
  return {
    /** The relationship's shared scorecard; with `verify: true`, recomputed from the ledger and compared. */
    async scorecard(id: string, options: ScorecardOptions = {}, request?: RequestOptions): Promise<Scorecard> {
      const data = await core.query(ScorecardQuery, { id, asOf: options.asOf }, request);
      const served = nodeOf(data.node, 'Relationship', id).scorecard;
      if (options.verify) await verifyScorecard(served, await relationships.ledgerEntries(id, request));
      return served;
    },
    /** The scorecard at each point (at most 100), for a trend line. */
    async scorecardSeries(id: string, points: string[], request?: RequestOptions): Promise<Scorecard[]> {
      const data = await core.query(ScorecardSeriesQuery, { id, points }, request);
      return nodeOf(data.node, 'Relationship', id).scorecardSeries;
    },
  };
}
