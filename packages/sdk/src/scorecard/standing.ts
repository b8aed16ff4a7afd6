import type { Policy, Side } from '@trustledger/schema';
import { DAY_MS, HOUR_MS } from '@trustledger/schema';
import { type BetaAcc, emptyBeta, type HalfLives } from './beta.ts';
import { addDecayed, type DecayedSum, emptySum } from './decay.ts';
import { admits, type Candidate, candidate, offer, reasonOf } from './drivers.ts';
import type { MetricAcc } from './goals.ts';
import type { SideAcc } from './state.ts';
import type { EvidenceStanding } from './types.ts';

/**
 * A time-bound weight on one item of evidence (DESIGN §2a): until `until` (ms) its positive part
 * weighs `pos` and its negative part `neg` of its worth; from `until` on, all of it.
 * `kind` 0: a claim (self-serving, not yet attested: policy.attestation); 1: an open dispute
 * (policy.disputes), which lapses at `until`.
 */
export type Step = [pos: number, neg: number, until: number, kind: 0 | 1];

/**
 * When a window of `days` opened at `seen` (ms) closes: at the first whole hour (UTC) after
 * seen + days. Whole hours let evidence whose windows close together be held back together, so
 * the incremental state holds at most one bundle per hour of a window, however much is recorded.
 */
export const windowEnd = (seen: number, days: number): number => Math.ceil((seen + days * DAY_MS) / HOUR_MS) * HOUR_MS;

/** The claim step of self-serving evidence recorded (server's clock) at `seen` (ms): its positive part weighs claimWeight until the attestation window closes. */
export const claimStep = (policy: Policy, seen: number): Step => [policy.attestation.claimWeight, 1, windowEnd(seen, policy.attestation.windowDays), 0];

/**
 * The step of an open dispute of evidence about side `scored` (DESIGN §2a): until it lapses
 * (windowDays after it was raised, by the server's clock) the part of the evidence the disputer
 * contests weighs disputes.weight. A dispute only ever moves figures toward its raiser: raised by
 * the scored side, it contests the evidence against it (the negative part); raised by the other
 * side, the evidence in the scored side's favour (the positive part). Raiser unknown: both.
 */
export function disputeStep(policy: Policy, d: { at: number; by: Side | null }, scored: Side): Step {
  const w = policy.disputes.weight;
  const until = windowEnd(d.at, policy.disputes.windowDays);
  return d.by === null ? [w, w, until, 1] : d.by === scored ? [1, w, until, 1] : [w, 1, until, 1];
}

/** The weights of evidence under `steps` at asOf (ms): [positive factor, negative factor]. */
export function factorsAt(steps: readonly Step[], asOf: number): [number, number] {
  let fp = 1;
  let fn = 1;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (asOf < step[2]) {
      fp *= step[0];
      fn *= step[1];
    }
  }
  return [fp, fn];
}

/**
 * How evidence under `steps` stands at asOf (ms): DISPUTED while a dispute is open, CLAIMED while
 * a claim awaits attestation, CONTESTED once a dispute lapsed (it counts again), else null.
 */
export function standingAt(steps: readonly Step[], asOf: number): EvidenceStanding | null {
  let claimed = false;
  let contested = false;
  for (let i = 0; i < steps.length; i++) {
    const until = steps[i][2];
    const kind = steps[i][3];
    if (kind === 1 && asOf < until) return 'DISPUTED';
    if (kind === 0 && asOf < until) claimed = true;
    if (kind === 1) contested = true;
  }
  return claimed ? 'CLAIMED' : contested ? 'CONTESTED' : null;
}

/** The time (ms) from which evidence under `steps` weighs all it is worth. */
export function settledAt(steps: readonly Step[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < steps.length; i++) m = Math.max(m, steps[i][2]);
  return m;
}

/** Measurements of one metric held back: decayed attainment and shortfall, their count and top candidates. */
export interface MetricEvidence {
  pos: DecayedSum;
  neg: DecayedSum;
  n: number;
  top: Candidate[];
}

/**
 * Evidence held back by time: its contributions to one side's dimensions (and metrics), captured
 * apart and laid into the sums with the weights of `steps` at each asOf, until every step has
 * passed the latest business time the state holds; then it is laid in for good. Evidence with the
 * same side and steps is held as one bundle (bundleKey).
 */
export interface PendingItem {
  side: Side;
  steps: Step[];
  reliability?: BetaAcc;
  transparency?: BetaAcc;
  responsiveness?: BetaAcc;
  /** Measurements, by metric key. */
  metrics?: Record<string, MetricEvidence>;
}

/** The bundle a pending item joins: its side and steps (times on whole hours, see windowEnd). */
export const bundleKey = (item: Pick<PendingItem, 'side' | 'steps'>): string => bundleKeyOf(item.side, item.steps);

/** bundleKey of a side and steps, without an item around them. `fresh`: the caller knows the key is new (not worth keeping for a later look-up). */
export function bundleKeyOf(side: Side, steps: readonly Step[], fresh = false): string {
  // One step (a claim, most of them): the same text without the intermediate arrays.
  if (steps.length === 1) {
    const step = steps[0];
    const p = step[0];
    const n = step[1];
    const until = step[2];
    const kind = step[3];
    // Claims share their weights and differ by the hour their window ends: a key built once per
    // side, weights and hour is reused (already hashed for the look-up), not rebuilt.
    const slot = side === 'SUPPLIER' ? 0 : 1;
    let keys = builtKeys[slot];
    if (keys === null || keys.p !== p || keys.n !== n || keys.kind !== kind || keys.byUntil.size >= 4096)
      builtKeys[slot] = keys = { p, n, kind, prefix: `${side}|${p},${n},`, suffix: `,${kind}`, byUntil: new Map() };
    if (fresh) return keys.prefix + untilText(until) + keys.suffix;
    let key = keys.byUntil.get(until);
    if (key === undefined) {
      key = keys.prefix + untilText(until) + keys.suffix;
      keys.byUntil.set(until, key);
    }
    return key;
  }
  return `${side}|${steps.map((x) => x.join(',')).join(';')}`;
}

/**
 * String(until) for a window's end: a whole hour (ms) is a whole number of 100,000 ms, whose
 * digits (a 32-bit integer's, quick to write) followed by five zeros are the same text.
 */
const untilText = (until: number): string => (until > 0 && until < 2e14 && until % 100_000 === 0 ? `${until / 100_000}00000` : String(until));

/** Single-step bundle keys built, per side (0 supplier, 1 client) for the last weights and kind asked, by `until`: see bundleKey. */
const builtKeys: ({ p: number; n: number; kind: 0 | 1; prefix: string; suffix: string; byUntil: Map<number, string> } | null)[] = [null, null];

/** A measurement as pending evidence of its metric (attainment `a` at `at`, by entry `seq`). */
export function measurementEvidence(x: { a: number; at: number; seq: number; reason: string }, h: HalfLives): MetricEvidence {
  const ev: MetricEvidence = { pos: emptySum(), neg: emptySum(), n: 1, top: [] };
  addDecayed(ev.pos, x.a, x.at, h.hp);
  addDecayed(ev.neg, 1 - x.a, x.at, h.hn);
  offer(ev.top, candidate(x.seq, 2 * x.a - 1, x.at, h.hp, x.reason));
  return ev;
}

/** A scratch side that captures Beta evidence apart, sharing the real side's typical amounts and response-time histogram. */
export const scratchOf = (side: SideAcc): SideAcc => ({
  reliability: emptyBeta(),
  transparency: emptyBeta(),
  responsiveness: emptyBeta(),
  firstResponse: side.firstResponse,
  ...(side.typical ? { typical: side.typical } : {}),
});

const STANDING_TEXT: Record<EvidenceStanding, string> = {
  CLAIMED: 'claimed by the side it favours, not yet confirmed',
  DISPUTED: 'under open dispute',
  CONTESTED: 'contested: the dispute lapsed unresolved',
};

/** A driver's reason with its standing: "… (under open dispute, weighs 50%)". */
function reasonWith(reason: string, standing: EvidenceStanding | null, factor: number): string {
  if (standing === null) return reason;
  const weighs = factor < 1 ? `, weighs ${Math.round(factor * 1000) / 10}%` : '';
  return `${reason} (${STANDING_TEXT[standing]}${weighs})`;
}

/** A candidate laid in with weight `w` and its standing; a deferred reason without standing stays deferred. */
function copyCandidate(c: Candidate, w: number, h: number, standing: EvidenceStanding | null, factor: number): Candidate {
  // At full weight and without standing the copy would equal the candidate (same half-life, so
  // the same rank): candidates are never changed once made, so it is shared instead.
  if (factor === 1 && standing === null && c.standing === undefined && c.k === Math.log2(Math.abs(w)) + c.t / h) return c;
  if (c.lazy !== undefined && standing === null) {
    const copy = candidate(c.seq, w, c.t, h, '', c.stake, standing);
    copy.lazy = c.lazy;
    return copy;
  }
  return candidate(c.seq, w, c.t, h, reasonWith(reasonOf(c), standing, factor), c.stake, standing);
}

/** Lays Beta evidence `src` into `target`, its positive part weighed `fp`, its negative `fn` (in place). */
export function mergeBeta(target: BetaAcc, src: BetaAcc, fp: number, fn: number, standing: EvidenceStanding | null, h: HalfLives): void {
  if (src.n === 0 && src.pos.v === 0 && src.neg.v === 0) return;
  addDecayed(target.pos, src.pos.v * fp, src.pos.t, h.hp);
  addDecayed(target.neg, src.neg.v * fn, src.neg.t, h.hn);
  addDecayed(target.cpos, src.cpos.v * fp, src.cpos.t, h.hp);
  addDecayed(target.cneg, src.cneg.v * fn, src.cneg.t, h.hn);
  // The reason's text is built only for a candidate the list takes.
  for (const c of src.topPos) if (admits(target.topPos, c.seq, c.w * fp, c.t, h.hp)) offer(target.topPos, copyCandidate(c, c.w * fp, h.hp, standing, fp));
  for (const c of src.topNeg) if (admits(target.topNeg, c.seq, c.w * fn, c.t, h.hn)) offer(target.topNeg, copyCandidate(c, c.w * fn, h.hn, standing, fn));
  target.n += src.n;
  if (src.items !== undefined || target.items !== undefined) target.items = (target.items ?? 0) + (src.items ?? src.n);
}

/** Lays measurements `src` into a metric (or a bundle) with weights fp (attainment) and fn (its shortfall), in place. */
export function mergeMeasurements(m: MetricEvidence, src: MetricEvidence, fp: number, fn: number, standing: EvidenceStanding | null, h: HalfLives): void {
  addDecayed(m.pos, src.pos.v * fp, src.pos.t, h.hp);
  addDecayed(m.neg, src.neg.v * fn, src.neg.t, h.hn);
  m.n += src.n;
  for (const c of src.top) {
    const f = c.w > 0 ? fp : fn;
    if (admits(m.top, c.seq, c.w * f, c.t, h.hp)) offer(m.top, candidate(c.seq, c.w * f, c.t, h.hp, reasonWith(reasonOf(c), standing, f), undefined, standing));
  }
}

/** Adds a pending item to the bundle of the same side and steps (in place), at full weight: the bundle is weighed as one. */
export function bundle(into: PendingItem, item: PendingItem, h: HalfLives): void {
  if (item.reliability) mergeBeta((into.reliability ??= emptyBeta()), item.reliability, 1, 1, null, h);
  if (item.transparency) mergeBeta((into.transparency ??= emptyBeta()), item.transparency, 1, 1, null, h);
  if (item.responsiveness) mergeBeta((into.responsiveness ??= emptyBeta()), item.responsiveness, 1, 1, null, h);
  const metrics = item.metrics;
  if (metrics === undefined) return;
  for (const key in metrics) {
    into.metrics ??= {};
    mergeMeasurements((into.metrics[key] ??= { pos: emptySum(), neg: emptySum(), n: 0, top: [] }), metrics[key], 1, 1, null, h);
  }
}

/** Lays a pending item into sides and metrics with its weights at asOf (ms). */
export function layItem(item: PendingItem, sides: Record<Side, SideAcc>, metrics: Record<string, MetricAcc>, asOf: number, h: HalfLives): void {
  const [fp, fn] = factorsAt(item.steps, asOf);
  const standing = standingAt(item.steps, asOf);
  const side = sides[item.side];
  if (item.reliability) mergeBeta(side.reliability, item.reliability, fp, fn, standing, h);
  if (item.transparency) mergeBeta(side.transparency, item.transparency, fp, fn, standing, h);
  if (item.responsiveness) mergeBeta(side.responsiveness, item.responsiveness, fp, fn, standing, h);
  const evidence = item.metrics;
  if (evidence === undefined) return;
  for (const key in evidence) {
    const m = metrics[key];
    if (m) mergeMeasurements(m, evidence[key], fp, fn, standing, h);
  }
}

/** Pending keys in a fixed order, so every path lays them alike. */
export const pendingKeys = (pending: Record<string, PendingItem>): string[] => Object.keys(pending).sort();
