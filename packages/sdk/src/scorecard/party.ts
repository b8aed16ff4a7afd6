import type { Policy, TrustBand } from '@trustledger/schema';
import type { Scored } from './beta.ts';
import type { PartyScore } from './types.ts';

/** The four dimensions, in the order their weights are summed. */
export const DIMENSIONS = ['reliability', 'goalAttainment', 'responsiveness', 'transparency'] as const;

/** The dimensions whose evidence counts toward the band's minimum (transparency judges the same promises as reliability). */
const EVIDENCE_DIMENSIONS = ['reliability', 'goalAttainment', 'responsiveness'] as const;

/**
 * The band of a trust score (DESIGN §3): Trusted ≥ bands.trusted, …, Critical below bands.atRisk;
 * Unrated without a score; Provisional when `evidence` is below policy.evidence.minimum.
 */
export function bandOf(score: number | null, bands: Policy['bands'], evidence = Number.POSITIVE_INFINITY, minimum = 0): TrustBand {
  if (score === null) return 'UNRATED';
  if (evidence < minimum) return 'PROVISIONAL';
  if (score >= bands.trusted) return 'TRUSTED';
  if (score >= bands.solid) return 'SOLID';
  if (score >= bands.watch) return 'WATCH';
  if (score >= bands.atRisk) return 'AT_RISK';
  return 'CRITICAL';
}

/**
 * One side's trust score (DESIGN §3 "Trust score", "Evidence weighs what is at stake"):
 *
 * - Each SCORED dimension enters shrunk toward the side's other dimensions (empirical Bayes, Efron
 *   & Morris 1975): its Beta prior's mean 50 is replaced by p0, the mean of the other SCORED
 *   dimensions weighted by policy weight × certainty (1 − uncertainty), or 50 when there are none:
 *   shrunk = score + (p0 − 50) · prior, prior = 2/(r+s+2). A dimension's first items thus move the
 *   trust score only as far as their evidence outweighs the prior; a faded one says what the others say.
 * - The trust score is the policy-weighted mean of the shrunk SCORED dimensions; null (UNRATED)
 *   when none is SCORED or their weights sum to 0.
 * - Confidence = 1 − the policy-weighted mean uncertainty of the applicable dimensions (all but
 *   NOT_APPLICABLE: nothing to measure is not doubt; reliability is always applicable).
 * - Evidence = the items of the SCORED reliability, responsiveness and goal dimensions (promises
 *   settled, weighted by their kind; complaints; measurements), not decayed: below
 *   policy.evidence.minimum the band is PROVISIONAL. Decay speaks through FADED instead: a
 *   dimension whose decayed evidence fell below policy.evidence.faded no longer counts, so a
 *   quarterly supplier is not provisional forever, and a record gone stale reads UNRATED.
 */
export function partyScore(dims: Record<(typeof DIMENSIONS)[number], Scored>, medianFirstResponseHours: number | null, policy: Policy): PartyScore {
  let confidenceW = 0;
  let uncertainty = 0;
  for (const name of DIMENSIONS) {
    const { dim } = dims[name];
    if (dim.status === 'NOT_APPLICABLE') continue;
    const w = policy.weights[name];
    confidenceW += w;
    uncertainty += w * dim.uncertainty;
  }
  let weighted = 0;
  let weightRated = 0;
  for (const name of DIMENSIONS) {
    const { dim, prior } = dims[name];
    if (dim.score === null) continue;
    let pw = 0;
    let ps = 0;
    for (const other of DIMENSIONS) {
      const o = dims[other].dim;
      if (other === name || o.score === null) continue;
      const w = policy.weights[other] * (1 - o.uncertainty);
      pw += w;
      ps += w * o.score;
    }
    const p0 = pw > 0 ? ps / pw : 50;
    const w = policy.weights[name];
    weighted += w * (dim.score + (p0 - 50) * prior);
    weightRated += w;
  }
  let evidence = 0;
  for (const name of EVIDENCE_DIMENSIONS) if (dims[name].dim.status === 'SCORED') evidence += dims[name].items;
  const trustScore = weightRated > 0 ? Math.min(100, Math.max(0, weighted / weightRated)) : null;
  const confidence = confidenceW > 0 ? Math.min(1, Math.max(0, 1 - uncertainty / confidenceW)) : 0;
  return {
    trustScore,
    band: bandOf(trustScore, policy.bands, evidence, policy.evidence.minimum),
    confidence,
    evidence,
    reliability: dims.reliability.dim,
    transparency: dims.transparency.dim,
    responsiveness: dims.responsiveness.dim,
    goalAttainment: dims.goalAttainment.dim,
    medianFirstResponseHours,
  };
}
