import { GENESIS_HASH } from '@trustledger/schema';
import type { Core } from '../core.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { RequestOptions } from '../transport/http.ts';
import { VerificationError } from '../errors.ts';
import { firstScorecardDifference, verifyScorecard } from '../verify-scorecard.ts';
import { verifyLedger } from '../verify.ts';
import type { relationshipsApi } from './relationships.ts';
import { nodeOf } from './shared.ts';

const DimensionFields = graphql(`
  fragment DimensionFields on Dimension {
    score status uncertainty positive negative evidence
    drivers { entry { seq } effect reason standing stake { amount currency typical ratio weight } }
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
    churn { stage announcedStage repairWindow signals { name shortRate baseline ratio count expected windowDays probability } actions }
  }
`,
  [PartyScoreFields],
);

const ScorecardQuery = graphql(
  `
  query Scorecard($id: ID!, $asOf: DateTime, $atSeq: Int) {
    node(id: $id) { __typename ... on Relationship { scorecard(asOf: $asOf, atSeq: $atSeq) { ...ScorecardFields } } }
  }
`,
  [ScorecardFields],
);

const ScorecardSeriesQuery = graphql(
  `
  query ScorecardSeries($id: ID!, $points: [DateTime!]!, $atSeq: Int) {
    node(id: $id) { __typename ... on Relationship { scorecardSeries(points: $points, atSeq: $atSeq) { ...ScorecardFields } } }
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
   * As known at this ledger head (DESIGN §2a): computed from the entries with seq ≤ atSeq only,
   * so a figure pinned earlier (its `asOf` and `head.seq`) is reproduced exactly, whatever was
   * recorded since. From 1 to the current head, else ValidationError. @default the current head
   */
  atSeq?: number;
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
      const data = await core.query(ScorecardQuery, { id, asOf: options.asOf, atSeq: options.atSeq }, request);
      const served = nodeOf(data.node, 'Relationship', id).scorecard;
      if (options.verify) await verifyScorecard(served, await relationships.ledgerEntries(id, request));
      return served;
    },
    /** The scorecard at each point (at most 100), for a trend line; with `atSeq`, as known at that ledger head. */
    async scorecardSeries(id: string, points: string[], options: { atSeq?: number } = {}, request?: RequestOptions): Promise<Scorecard[]> {
      const data = await core.query(ScorecardSeriesQuery, { id, points, atSeq: options.atSeq }, request);
      return nodeOf(data.node, 'Relationship', id).scorecardSeries;
    },
    /**
     * Verifies a scorecard pinned earlier (kept as served: `asOf`, `head`, figures), DESIGN §2a:
     * fetches the ledger, checks its hash chain and that it still holds the pinned head (same hash
     * at that seq: history was not rewritten), recomputes the scorecard from the entries up to the
     * pinned head at the pinned asOf with the SDK's engine and compares every figure, then asks
     * the server for the same scorecard (`asOf`, `atSeq: head.seq`) and compares that too. Throws
     * VerificationError naming the first difference; returns the ledger's current head and the
     * figures as the server reproduces them.
     */
    async verifyPinnedScorecard(id: string, pinned: Scorecard, request?: RequestOptions): Promise<{ head: { seq: number; hash: string }; served: Scorecard }> {
      const entries = await relationships.ledgerEntries(id, request);
      const chain = verifyLedger(entries, { pinnedHead: pinned.head });
      if (!chain.ok) throw new VerificationError(`The ledger does not verify against the pinned scorecard: ${chain.message}.`, { seq: chain.seq });
      await verifyScorecard(pinned, entries);
      const data = await core.query(ScorecardQuery, { id, asOf: pinned.asOf, atSeq: pinned.head.seq }, request);
      const served = nodeOf(data.node, 'Relationship', id).scorecard;
      const difference = firstScorecardDifference(pinned, served);
      if (difference)
        throw new VerificationError(
          `The server no longer reproduces the pinned scorecard at ${difference.path}: pinned ${JSON.stringify(difference.served)}, served now ${JSON.stringify(difference.computed)}.`,
          { path: difference.path.split('.') },
        );
      return { head: chain.head ?? { seq: 0, hash: GENESIS_HASH }, served };
    },
  };
}
