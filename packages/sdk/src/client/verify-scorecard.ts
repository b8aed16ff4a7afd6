import { VerificationError } from './errors.ts';
import type { LedgerRecord } from './operations/relationships.ts';
import type { Scorecard } from './operations/scorecard.ts';
import { verifyLedger } from './verify.ts';

/** Numbers agree when they differ by at most 1e-9 (relative above 1): same function, same floats. */
const TOLERANCE = 1e-9;
const close = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

interface DimensionLike {
  score: number | null;
  status: string;
  uncertainty: number;
  positive: number;
  negative: number;
  evidence: number;
}
interface PartyLike {
  trustScore: number | null;
  band: string;
  confidence: number;
  evidence: number;
  medianFirstResponseHours: number | null;
  reliability: DimensionLike;
  transparency: DimensionLike;
  responsiveness: DimensionLike;
  goalAttainment: DimensionLike;
}
/** What verification compares: the figures of a scorecard, served or recomputed. */
interface ScorecardLike {
  head: { seq: number; hash: string } | null;
  supplier: PartyLike;
  client: PartyLike;
  churn: { stage: string; repairWindow: boolean; signals: readonly { name: string }[] };
}

const DIMENSIONS = ['reliability', 'transparency', 'responsiveness', 'goalAttainment'] as const;

/** The first figure where two scorecards differ, as a path and both values; null when they agree. */
export function firstScorecardDifference(served: ScorecardLike, computed: ScorecardLike): { path: string; served: unknown; computed: unknown } | null {
  const diff = (path: string, s: unknown, c: unknown) => ({ path, served: s, computed: c });
  if (served.head?.seq !== computed.head?.seq || served.head?.hash !== computed.head?.hash)
    return diff('head', served.head, computed.head);
  for (const side of ['supplier', 'client'] as const) {
    const s = served[side];
    const c = computed[side];
    if (s.band !== c.band) return diff(`${side}.band`, s.band, c.band);
    if (!close(s.trustScore, c.trustScore)) return diff(`${side}.trustScore`, s.trustScore, c.trustScore);
    if (!close(s.confidence, c.confidence)) return diff(`${side}.confidence`, s.confidence, c.confidence);
    if (!close(s.evidence, c.evidence)) return diff(`${side}.evidence`, s.evidence, c.evidence);
    if (!close(s.medianFirstResponseHours, c.medianFirstResponseHours))
      return diff(`${side}.medianFirstResponseHours`, s.medianFirstResponseHours, c.medianFirstResponseHours);
    for (const dim of DIMENSIONS) {
      const sd = s[dim];
      const cd = c[dim];
      if (sd.evidence !== cd.evidence) return diff(`${side}.${dim}.evidence`, sd.evidence, cd.evidence);
      if (sd.status !== cd.status) return diff(`${side}.${dim}.status`, sd.status, cd.status);
      for (const field of ['score', 'uncertainty', 'positive', 'negative'] as const)
        if (!close(sd[field], cd[field])) return diff(`${side}.${dim}.${field}`, sd[field], cd[field]);
    }
  }
  if (served.churn.stage !== computed.churn.stage) return diff('churn.stage', served.churn.stage, computed.churn.stage);
  if (served.churn.repairWindow !== computed.churn.repairWindow)
    return diff('churn.repairWindow', served.churn.repairWindow, computed.churn.repairWindow);
  const names = (c: ScorecardLike) => c.churn.signals.map((x) => x.name).join(',');
  if (names(served) !== names(computed)) return diff('churn.signals', names(served), names(computed));
  return null;
}

/**
 * Checks a served scorecard against the ledger: the chain must verify, the served head must be
 * an entry of it, and the SDK's engine must compute the same figures from the entries up to that
 * head at the served asOf (bands, stage and evidence counts exactly, numbers within 1e-9).
 * Throws VerificationError naming the first difference. The engine is loaded on first use, so a
 * client that never verifies does not load it.
 */
export async function verifyScorecard(served: Scorecard, entries: readonly LedgerRecord[]): Promise<void> {
  const chain = verifyLedger(entries);
  if (!chain.ok) throw new VerificationError(`The ledger does not verify: ${chain.message}.`, { seq: chain.seq });
  const upTo = entries.filter((e) => e.seq <= served.head.seq);
  const last = upTo.at(-1);
  if (served.head.seq > 0 && (!last || last.seq !== served.head.seq || last.hash !== served.head.hash))
    throw new VerificationError(`The scorecard was computed from head ${served.head.seq} (${served.head.hash}), which is not in the ledger.`, {
      seq: served.head.seq,
    });
  const { computeScorecard } = await import('../scorecard/index.ts');
  let computed: ScorecardLike;
  try {
    // The chain verified, so these are the entries exactly as the server hashed them.
    computed = computeScorecard(upTo, { asOf: served.asOf });
  } catch (cause) {
    throw new VerificationError(`The scorecard could not be recomputed from the ledger: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
  const difference = firstScorecardDifference(served, computed);
  if (difference)
    throw new VerificationError(
      `The served scorecard differs from the one recomputed from the ledger at ${difference.path}: served ${JSON.stringify(difference.served)}, computed ${JSON.stringify(difference.computed)}.`,
      { path: difference.path.split('.') },
    );
}
