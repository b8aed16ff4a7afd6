import { type DisputeState, type LedgerEntry, normaliseTime, type PolicyOverride, resolvePolicy, type Side } from '@trustledger/schema';
import { timeMs } from './decay.ts';
import { windowEnd } from './standing.ts';
import { bySeq, scanLedger, supplierOf } from './state.ts';

/** One dispute of a ledger at asOf (DESIGN §2a "A dispute is a state, not an eraser"). */
export interface Dispute {
  /** The seq of the ENTRY_DISPUTED that raised it. */
  seq: number;
  /** The seq of the disputed entry. */
  entrySeq: number;
  /** The side that raised it (null when the ledger does not name the supplier). */
  raisedBy: Side | null;
  /** When the other side could see it (server's clock: recordedAt, or occurredAt if later), RFC 3339 UTC. */
  raisedAt: string;
  reason: string | null;
  /**
   * OPEN (the evidence weighs policy.disputes.weight), WITHDRAWN by its raiser, RESOLVED by an
   * accepted resolution or the recorder's void with consent, LAPSED: open past lapsesAt, so the
   * evidence counts again, contested.
   */
  state: DisputeState;
  /** When it lapses if nothing ends it: raisedAt + policy.disputes.windowDays, at the next whole hour (UTC). */
  lapsesAt: string;
  /** For RESOLVED: STANDS (the entry counts, in full) or STRUCK (it counts for nothing). */
  resolution: 'STANDS' | 'STRUCK' | null;
  /** The entry that ended it (a withdrawal, or the acceptance of a resolution or void), if any. */
  endedBySeq: number | null;
  endedAt: string | null;
}

/**
 * Every dispute of a ledger as it stands at asOf, oldest first: entries with occurredAt after asOf
 * are not yet known, as in computeScorecard; the lapse window is that of the policy in force when
 * the dispute was raised (the one agreed in the ledger by then, unless `policy` is given). Only disputes their author may raise count (AUTHORSHIP):
 * by the side that did not record the entry, once per entry, never of a dispute or a confirmed entry.
 */
export function disputesOf(entries: readonly LedgerEntry[], options: { asOf: string; policy?: PolicyOverride | null }): Dispute[] {
  const asOf = normaliseTime(options.asOf);
  if (asOf === null) throw new RangeError(`asOf "${options.asOf}" is not an RFC 3339 date-time with an offset`);
  const at = timeMs(asOf);
  const sorted = bySeq(entries);
  const within = sorted.filter((e) => timeMs(e.occurredAt) <= at);
  const { disputes, policies } = scanLedger(within, supplierOf(sorted));
  const given = options.policy ? resolvePolicy(options.policy) : null;
  // The window of the policy in force when the dispute was raised (DESIGN §2a: a policy applies from its acceptance forward).
  const windowAt = (t: number): number => {
    if (given) return given.disputes.windowDays;
    let found = null as (typeof policies)[number] | null;
    for (const p of [...policies].sort((a, b) => a.from - b.from)) if (p.from <= t) found = p;
    return resolvePolicy(found?.policy).disputes.windowDays;
  };
  return disputes.map((d) => {
    const lapses = windowEnd(timeMs(d.raisedAt), windowAt(timeMs(d.raisedAt)));
    const state: DisputeState = d.ended ? d.ended.state : at >= lapses ? 'LAPSED' : 'OPEN';
    return {
      seq: d.seq,
      entrySeq: d.entrySeq,
      raisedBy: d.raisedBy,
      raisedAt: d.raisedAt,
      reason: d.reason,
      state,
      lapsesAt: new Date(lapses).toISOString(),
      resolution: d.ended?.resolution ?? null,
      endedBySeq: d.ended?.bySeq ?? null,
      endedAt: d.ended?.at ?? null,
    };
  });
}
