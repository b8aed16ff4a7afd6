import type { Policy, TrustBand } from '@trustledger/schema';
import type { Dimension, PartyScore } from './types.ts';

/** The four dimensions, in the order their weights are summed. */
export const DIMENSIONS = ['reliability', 'goalAttainment', 'responsiveness', 'transparency'] as const;

/** The band of a trust score (DESIGN §3): Trusted ≥ bands.trusted, …, Critical below bands.atRisk, Unrated without a score. */
export function bandOf(score: number | null, bands: Policy['bands']): TrustBand {
  if (score === null) return 'UNRATED';
  if (score >= bands.trusted) return 'TRUSTED';
  if (score >= bands.solid) return 'SOLID';
  if (score >= bands.watch) return 'WATCH';
  if (score >= bands.atRisk) return 'AT_RISK';
  return 'CRITICAL';
}

/**
 * One side's trust score (DESIGN §3 "Trust score"): the policy-weighted mean of the dimensions that
 * have evidence (null when none, or when their weights sum to 0); confidence = 1 − the weighted mean
 * uncertainty over all four dimensions, so a dimension without evidence lowers it.
 */
export function partyScore(
  dims: Record<(typeof DIMENSIONS)[number], Dimension>,
  medianFirstResponseHours: number | null,
  policy: Policy,
): PartyScore {
  let weighted = 0;
  let weightRated = 0;
  let uncertainty = 0;
  let weightAll = 0;
  for (const name of DIMENSIONS) {
    const w = policy.weights[name];
    const d = dims[name];
    weightAll += w;
    uncertainty += w * d.uncertainty;
    if (d.score !== null) {
      weighted += w * d.score;
      weightRated += w;
    }
  }
  const trustScore = weightRated > 0 ? weighted / weightRated : null;
  const confidence = weightAll > 0 ? Math.min(1, Math.max(0, 1 - uncertainty / weightAll)) : 0;
  return {
    trustScore,
    band: bandOf(trustScore, policy.bands),
    confidence,
    reliability: dims.reliability,
    transparency: dims.transparency,
    responsiveness: dims.responsiveness,
    goalAttainment: dims.goalAttainment,
    medianFirstResponseHours,
  };
}
