import { GENESIS_HASH, type LedgerEntry, normaliseTime, type PolicyOverride, type Side, toMillis } from '@trustledger/schema';
import { type BetaAcc, betaDimension, type HalfLives } from './beta.ts';
import { assessChurn } from './churn.ts';
import { halfLifeMs, timeMs } from './decay.ts';
import { goalDimension } from './goals.ts';
import { partyScore } from './party.ts';
import { evaluatePromiseOf, settlePromise } from './reliability.ts';
import { medianHours, overdueComplaint } from './responsiveness.ts';
import { absorb, bySeq, foldSorted, foldUpTo, needsRebuild, policyAt, prepareFold, type ScoreState, type SideAcc, STATE_VERSION, supplierOf } from './state.ts';
import { layItem, pendingKeys, scratchOf } from './standing.ts';
import type { Scorecard } from './types.ts';

/** Options of computeScorecard and scorecardSeries. */
export interface ScorecardOptions {
  /** A policy override used instead of the one agreed in the ledger. @default the ledger's */
  policy?: PolicyOverride | null;
}

const bySeqKey = (a: string, b: string) => Number(a) - Number(b);

function parseAsOf(asOf: string): { iso: string; ms: number } {
  const iso = normaliseTime(asOf);
  if (iso === null) throw new RangeError(`asOf "${asOf}" is not an RFC 3339 date-time with an offset`);
  return { iso, ms: toMillis(iso) };
}

/**
 * A state's sides and metrics with its pending evidence laid in at asOf (ms), as build starts
 * from, kept per state object with the span of asOf [from, to) over which no step of the pending
 * evidence changes: laying the same bundles with the same weights gives the same sums, so a
 * later read in that span (now moves by milliseconds; steps change on whole hours) copies them
 * instead of laying every bundle again. Valid while the state holds the same head (the server
 * advances a state in place); a memo of this process only, like the fold's queues.
 */
interface Laid {
  head: { seq: number; hash: string } | null;
  maxOccurredAt: number | null;
  from: number;
  to: number;
  sides: Record<Side, SideAcc>;
  metrics: ScoreState['metrics'];
  /** Whether `metrics` is a copy (pending measurements laid in) rather than the state's own. */
  ownMetrics: boolean;
}
const laidMemo = new WeakMap<ScoreState, Laid>();

function withPending(state: ScoreState, asOf: number, h: HalfLives): { sides: Record<Side, SideAcc>; metrics: ScoreState['metrics'] } {
  const pending = state.pending ?? {};
  const keys = pendingKeys(pending);
  if (keys.length === 0) return { sides: copySides(state.sides), metrics: state.metrics };
  const memo = laidMemo.get(state);
  const head = state.head;
  if (
    memo !== undefined &&
    asOf >= memo.from &&
    asOf < memo.to &&
    memo.maxOccurredAt === state.maxOccurredAt &&
    (memo.head === null ? head === null : head !== null && memo.head.seq === head.seq && memo.head.hash === head.hash)
  )
    return { sides: copySides(memo.sides), metrics: memo.ownMetrics ? structuredClone(memo.metrics) : memo.metrics };
  const sides = copySides(state.sides);
  const ownMetrics = keys.some((k) => pending[k].metrics !== undefined);
  const metrics = ownMetrics ? structuredClone(state.metrics) : state.metrics;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  for (const key of keys) {
    const item = pending[key];
    layItem(item, sides, metrics, asOf, h);
    // A step weighs while asOf < until: the same steps weigh for every asOf in [from, to).
    for (const step of item.steps) {
      const until = step[2];
      if (until <= asOf) from = Math.max(from, until);
      else to = Math.min(to, until);
    }
  }
  laidMemo.set(state, { head: head === null ? null : { seq: head.seq, hash: head.hash }, maxOccurredAt: state.maxOccurredAt, from, to, sides, metrics, ownMetrics });
  return { sides: copySides(sides), metrics: ownMetrics ? structuredClone(metrics) : metrics };
}

/**
 * medianHours of a side's response-time histogram, kept per histogram object while the state
 * holds the same head: the median does not depend on asOf, and the histogram changes only when an
 * entry is absorbed, which moves the head (the same validity as laidMemo). Walking its keys (960
 * on the bench ledger) was a fifth of a scorecard read.
 */
const medianMemo = new WeakMap<Record<string, number>, { seq: number; hash: string; value: number | null }>();
function medianOf(state: ScoreState, hist: Record<string, number>): number | null {
  const head = state.head;
  if (head === null) return medianHours(hist);
  const memo = medianMemo.get(hist);
  if (memo !== undefined && memo.seq === head.seq && memo.hash === head.hash) return memo.value;
  const value = medianHours(hist);
  medianMemo.set(hist, { seq: head.seq, hash: head.hash, value });
  return value;
}

/**
 * A copy of the sides that build may add evidence to: new sums and candidate lists (the
 * candidates themselves are never changed once made); the typical amounts and response-time
 * histogram are shared, since building a scorecard only reads them.
 */
function copySides(sides: Record<Side, SideAcc>): Record<Side, SideAcc> {
  return { SUPPLIER: copySide(sides.SUPPLIER), CLIENT: copySide(sides.CLIENT) };
}

function copySide(side: SideAcc): SideAcc {
  const copy: SideAcc = { reliability: copyBeta(side.reliability), transparency: copyBeta(side.transparency), responsiveness: copyBeta(side.responsiveness), firstResponse: side.firstResponse };
  if (side.typical !== undefined) copy.typical = side.typical;
  return copy;
}

function copyBeta(b: BetaAcc): BetaAcc {
  const copy: BetaAcc = {
    pos: { v: b.pos.v, t: b.pos.t },
    neg: { v: b.neg.v, t: b.neg.t },
    cpos: { v: b.cpos.v, t: b.cpos.t },
    cneg: { v: b.cneg.v, t: b.cneg.t },
    n: b.n,
    topPos: b.topPos.slice(),
    topNeg: b.topNeg.slice(),
  };
  if (b.items !== undefined) copy.items = b.items;
  return copy;
}

/** The scorecard of a state at asOf, with `head` as its ledger head. Does not change the state. */
function build(state: ScoreState, asOf: { iso: string; ms: number }, head: { seq: number; hash: string } | null): Scorecard {
  const policy = state.policy;
  const h: HalfLives = { hp: halfLifeMs(policy.halfLifeDays.positive), hn: halfLifeMs(policy.halfLifeDays.negative) };
  // What depends on asOf (lapsed promises, overdue complaints) goes into a copy of the sides.
  // Claimed and disputed evidence weighs what its steps say at asOf (DESIGN §2a).
  const { sides, metrics } = withPending(state, asOf.ms, h);
  const brokenTimes = [...state.churn.broken];
  let openRescheduledSupplierPromise = false;
  for (const key of Object.keys(state.promises).sort(bySeqKey)) {
    const p = state.promises[key];
    // Judged by the policy in force when it was made (DESIGN §2a).
    const pp = policyAt(state, timeMs(p.made.occurredAt));
    const ev = evaluatePromiseOf(p, asOf.iso, pp);
    if (ev.outcome !== null) {
      const sink = p.steps ? scratchOf(sides[p.promisor]) : sides[p.promisor];
      const brokenAt = settlePromise(sink, p, ev, pp, h, 1 - (p.delivered ?? 0));
      if (p.steps) layItem({ side: p.promisor, steps: p.steps, reliability: sink.reliability, transparency: sink.transparency }, sides, metrics, asOf.ms, h);
      if (brokenAt !== null && p.promisor === 'SUPPLIER') brokenTimes.push(brokenAt);
    } else if (p.promisor === 'SUPPLIER' && ev.rescheduled) openRescheduledSupplierPromise = true;
  }
  let openComplaintsAgainstSupplier = state.settledOpen?.SUPPLIER ?? 0;
  for (const key of Object.keys(state.complaints).sort(bySeqKey)) {
    const c = state.complaints[key];
    if (c.against === 'SUPPLIER') openComplaintsAgainstSupplier++;
    const cp = policyAt(state, c.at);
    if (c.steps) {
      const scratch = scratchOf(sides[c.against]);
      overdueComplaint(scratch, c, asOf.ms, cp, h);
      layItem({ side: c.against, steps: c.steps, responsiveness: scratch.responsiveness }, sides, metrics, asOf.ms, h);
    } else overdueComplaint(sides[c.against], c, asOf.ms, cp, h);
  }
  const faded = policy.evidence.faded;
  const party = (side: Side) => {
    const acc = sides[side];
    // Reliability is always applicable (no settled promise: UNKNOWN); transparency only once a
    // promise slipped; responsiveness once a complaint was raised against the side.
    const pendingComplaint = Object.values(state.complaints).some((c) => c.against === side);
    return partyScore(
      {
        reliability: betaDimension(acc.reliability, asOf.ms, h, faded, 'UNKNOWN'),
        transparency: betaDimension(acc.transparency, asOf.ms, h, faded, 'NOT_APPLICABLE'),
        responsiveness: betaDimension(acc.responsiveness, asOf.ms, h, faded, pendingComplaint ? 'UNKNOWN' : 'NOT_APPLICABLE'),
        goalAttainment: goalDimension({ goals: state.goals, metrics }, side, asOf.ms, h, faded),
      },
      medianOf(state, acc.firstResponse),
      policy,
    );
  };
  return {
    asOf: asOf.iso,
    head: head ? { ...head } : { seq: 0, hash: GENESIS_HASH },
    policy: structuredClone(policy),
    supplier: party('SUPPLIER'),
    client: party('CLIENT'),
    churn: assessChurn(
      state.churn,
      asOf.ms,
      { brokenTimes, openRescheduledSupplierPromise, openComplaintsAgainstSupplier, head: state.head },
      policy,
    ),
  };
}

/**
 * The scorecard from a state in O(1) of the ledger's length (it costs O(open promises and
 * complaints)). Null when the state cannot answer: asOf before the latest occurredAt it holds,
 * or a state marked for rebuild; the caller then uses computeScorecard on the full ledger.
 */
export function scorecardFromState(state: ScoreState, asOf: string): Scorecard | null {
  const at = parseAsOf(asOf);
  if (state.version !== STATE_VERSION || state.stale || (state.maxOccurredAt !== null && at.ms < state.maxOccurredAt)) return null;
  return build(state, at, state.head);
}

const headOf = (sorted: readonly LedgerEntry[]) => {
  const last = sorted[sorted.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : null;
};

/** The entries that occurred at or before `ms`, with their times (ms): the array itself when all did. */
function upTo(sorted: readonly LedgerEntry[], ms: number): { entries: readonly LedgerEntry[]; times: Float64Array } {
  const all = new Float64Array(sorted.length);
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = timeMs(sorted[i].occurredAt);
    all[i] = t;
    if (t <= ms) kept++;
  }
  if (kept === sorted.length) return { entries: sorted, times: all };
  const entries: LedgerEntry[] = [];
  const times = new Float64Array(kept);
  for (let i = 0; i < sorted.length; i++)
    if (all[i] <= ms) {
      times[entries.length] = all[i];
      entries.push(sorted[i]);
    }
  return { entries, times };
}

/**
 * The scorecard of a ledger at asOf (DESIGN §3): entries with occurredAt after asOf are ignored;
 * the rest are folded in seq order, so any order of the same entries gives the same result.
 * `head` is the entry with the highest seq given, whatever its occurredAt.
 */
export function computeScorecard(entries: readonly LedgerEntry[], options: { asOf: string } & ScorecardOptions): Scorecard {
  const at = parseAsOf(options.asOf);
  const ready = prepareFold(entries, at.ms);
  if (ready !== null) return build(foldUpTo(ready, at.ms, options.policy), at, headOf(ready.sorted));
  const sorted = bySeq(entries);
  const { entries: cut, times } = upTo(sorted, at.ms);
  return build(foldSorted(cut, options.policy, supplierOf(sorted), undefined, times), at, headOf(sorted));
}

/** Options of scorecardSeries. */
export interface SeriesOptions extends ScorecardOptions {
  /**
   * Told, before the series absorbs entries again, how many: from a checkpoint when an entry
   * occurred before one already absorbed (a back-dated entry), or the whole ledger up to a point
   * after an entry that changes earlier evidence (a void, dispute, confirmation or policy
   * acceptance), so a caller can budget the work or refuse it by throwing. The one pass itself
   * (every entry absorbed once, one snapshot per point) is not reported.
   */
  onRefold?: (entries: number) => void;
}

/** A copy of the series' state kept every so many entries, to resume from after a back-dated entry. */
const CHECKPOINT_EVERY = 128;
/** Checkpoints kept at most: beyond, every other one is dropped and the spacing doubles. */
const MAX_CHECKPOINTS = 64;

/**
 * The scorecard at each point (a trend line), in the order given, equal to computeScorecard at
 * each point, in one pass over the ledger: the points are taken in time order, the entries that
 * occurred by each point are absorbed once, in seq order, into one state through the engine's
 * incremental fold (absorbEntry's rules: needsRebuild says when it cannot), and the scorecard is
 * read from the state at each point. Cost O(n log n + points × open items) for n entries in time
 * order. An entry that occurred before one already absorbed (back-dated) resumes from the last
 * checkpoint before it (copies of the state kept every 128 entries, at most 64); an entry that
 * changes earlier evidence folds the entries up to its point again. Both are told to `onRefold`.
 */
export function scorecardSeries(entries: readonly LedgerEntry[], points: readonly string[], options: SeriesOptions = {}): Scorecard[] {
  const sorted = bySeq(entries);
  const n = sorted.length;
  const head = headOf(sorted);
  const supplier = supplierOf(sorted);
  // An entry without a valid time is never within an asOf (as in computeScorecard): last, never reached.
  const times = sorted.map((e) => {
    const t = timeMs(e.occurredAt);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  });
  const byTime = sorted.map((_, j) => j).sort((a, b) => times[a] - times[b] || a - b);
  const order = points.map((p, i) => ({ i, at: parseAsOf(p) })).sort((a, b) => a.at.ms - b.at.ms || a.i - b.i);
  const out = new Array<Scorecard>(points.length);
  const included = new Uint8Array(n);
  let maxIncluded = -1;
  let state: ScoreState | null = null;
  /** Index (in seq order) of the last entry the state absorbed. */
  let last = -1;
  let checkpoints: { at: number; state: ScoreState }[] = [];
  let every = CHECKPOINT_EVERY;
  let since = 0;
  const checkpoint = (s: ScoreState, j: number) => {
    last = j;
    if (++since < every) return;
    since = 0;
    checkpoints.push({ at: j, state: structuredClone(s) });
    if (checkpoints.length > MAX_CHECKPOINTS) {
      checkpoints = checkpoints.filter((_, k) => k % 2 === 1);
      every *= 2;
    }
  };
  /** Folds every entry within the point, with the ledger's knowledge (foldSorted), keeping checkpoints. */
  const fold = (): ScoreState => {
    const within: number[] = [];
    for (let j = 0; j <= maxIncluded; j++) if (included[j]) within.push(j);
    checkpoints = [];
    every = CHECKPOINT_EVERY;
    since = 0;
    last = -1;
    return foldSorted(
      within.map((j) => sorted[j]),
      options.policy,
      supplier,
      (s, k) => checkpoint(s, within[k]),
    );
  };
  /** Absorbs the included entries after index `from`, in seq order; false when one needs the ledger. */
  const absorbAfter = (s: ScoreState, from: number): boolean => {
    for (let j = from + 1; j <= maxIncluded; j++) {
      if (!included[j]) continue;
      if (needsRebuild(s, sorted[j])) return false;
      absorb(s, sorted[j], null);
      checkpoint(s, j);
    }
    return true;
  };
  let reached = 0; // byTime[0, reached) are within the latest point
  for (const { i, at } of order) {
    const from = reached;
    while (reached < n && times[byTime[reached]] <= at.ms) {
      const j = byTime[reached++];
      included[j] = 1;
      if (j > maxIncluded) maxIncluded = j;
    }
    if (state === null) state = fold();
    else if (reached > from) {
      const fresh = byTime.slice(from, reached).sort((a, b) => a - b);
      let ok: boolean;
      if (fresh[0] > last) {
        // The usual case: every new entry comes after the ones absorbed.
        ok = true;
        for (const j of fresh) {
          if (needsRebuild(state, sorted[j])) {
            ok = false;
            break;
          }
          absorb(state, sorted[j], null);
          checkpoint(state, j);
        }
      } else {
        // A back-dated entry: resume from the last checkpoint before it.
        while (checkpoints.length > 0 && (checkpoints.at(-1) as { at: number }).at >= fresh[0]) checkpoints.pop();
        const cp = checkpoints.at(-1);
        ok = cp !== undefined;
        if (cp) {
          let again = 0;
          for (let j = cp.at + 1; j <= maxIncluded; j++) again += included[j];
          options.onRefold?.(again);
          state = structuredClone(cp.state);
          last = cp.at;
          since = 0;
          ok = absorbAfter(state, cp.at);
        }
      }
      if (!ok) {
        let within = 0;
        for (let j = 0; j <= maxIncluded; j++) within += included[j];
        options.onRefold?.(within);
        state = fold();
      }
    }
    out[i] = build(state, at, head);
  }
  return out;
}
