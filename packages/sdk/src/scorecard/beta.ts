import type { DimensionStatus } from '@trustledger/schema';
import { addDecayed, type DecayedSum, decayed, emptySum, sumAt } from './decay.ts';
import { admits, type Candidate, candidate, deferringReasons, offer, topDrivers } from './drivers.ts';
import type { Dimension, Driver, Stake } from './types.ts';

/** Half-lives in ms: positive evidence, negative evidence (policy.halfLifeDays). */
export interface HalfLives {
  hp: number;
  hn: number;
}

/** Decayed Beta evidence of one dimension, with its top driver candidates per sign. */
export interface BetaAcc {
  /** Evidence weighted by stakes: the score's r and s. */
  pos: DecayedSum;
  neg: DecayedSum;
  /** The same evidence before stakes (kind weight and share only): the uncertainty's r + s. */
  cpos: DecayedSum;
  cneg: DecayedSum;
  /** Items of evidence counted. */
  n: number;
  /** Items weighted by their kind (policy.stakes.kinds), not decayed: what a band's minimum counts. */
  items?: number;
  topPos: Candidate[];
  topNeg: Candidate[];
}

/** An empty Beta accumulator. */
export const emptyBeta = (): BetaAcc => ({ pos: emptySum(), neg: emptySum(), cpos: emptySum(), cneg: emptySum(), n: 0, topPos: [], topNeg: [] });

/**
 * How much one item of evidence weighs: `stakes` multiplies the score's (r, s) (kind weight ×
 * amount factor × share), `mass` the evidence counted for uncertainty and the band's minimum
 * (kind weight × share), `stake` explains it in the drivers.
 */
export interface Weighing {
  stakes: number;
  mass: number;
  /** What the item counts toward a band's minimum (its kind's weight). @default 1 */
  item?: number;
  stake?: Stake;
}

/** Evidence that weighs one: complaints, measurements. */
export const UNIT: Weighing = Object.freeze({ stakes: 1, mass: 1 });

/**
 * Adds evidence (r, s) recorded at `at` by entry `seq` (in place), weighed by `w`. `count` says
 * whether it is a new item of evidence (a complaint's second item is not). An entry giving both
 * r and s is two drivers. `reason` may be given as a function: it is called only when the
 * evidence enters a top-driver list (most evidence does not, and its text is never needed).
 */
export function addBeta(acc: BetaAcc, r: number, s: number, at: number, seq: number, reason: string | (() => string), h: HalfLives, count = true, w: Weighing = UNIT): boolean {
  const rw = r * w.stakes;
  const sw = s * w.stakes;
  if (!(rw > 0) && !(sw > 0)) return false;
  addDecayed(acc.pos, rw, at, h.hp);
  addDecayed(acc.neg, sw, at, h.hn);
  addDecayed(acc.cpos, r * w.mass, at, h.hp);
  addDecayed(acc.cneg, s * w.mass, at, h.hn);
  const mixed = rw > 0 && sw > 0;
  const pos = rw > 0 && admits(acc.topPos, seq, rw, at, h.hp);
  const neg = sw > 0 && admits(acc.topNeg, seq, -sw, at, h.hn);
  if (pos || neg) {
    if (typeof reason !== 'string' && !mixed && deferringReasons()) {
      // Within a fold: built only if it is still a top driver when the fold ends.
      const c = candidate(seq, pos ? rw : -sw, at, pos ? h.hp : h.hn, '', w.stake);
      c.lazy = reason;
      offer(pos ? acc.topPos : acc.topNeg, c);
    } else {
      const text = typeof reason === 'string' ? reason : reason();
      if (pos) offer(acc.topPos, candidate(seq, rw, at, h.hp, mixed ? `${text} (credit)` : text, w.stake));
      if (neg) offer(acc.topNeg, candidate(seq, -sw, at, h.hn, mixed ? `${text} (debit)` : text, w.stake));
    }
  }
  if (count) {
    acc.n++;
    acc.items = (acc.items ?? 0) + (w.item ?? 1);
  }
  return true;
}

/** A dimension with no score (DESIGN §3 "No evidence is not good evidence"): uncertainty 1 unless given. */
export const noScore = (status: DimensionStatus, evidence = 0, uncertainty = 1): Dimension => ({
  score: null,
  status,
  uncertainty,
  positive: 0,
  negative: 0,
  evidence,
  drivers: [],
});

/** Drivers of candidate lists at asOf: each candidate's decayed, signed effect. */
export const driversOf = (list: readonly Candidate[], asOf: number, h: number): Driver[] =>
  list.map((c) => ({ entrySeq: c.seq, effect: decayed(c.w, c.t, asOf, h), reason: c.reason, stake: c.stake ?? null, standing: c.standing ?? null }));

/**
 * A dimension as the trust score reads it: the dimension, its decayed evidence before stakes
 * (`mass`), and `prior`, the share of the Beta prior in its score (2/(r+s+2) with staked r, s),
 * which the trust score's shrinkage toward the other dimensions replaces (party.ts).
 */
export interface Scored {
  dim: Dimension;
  mass: number;
  prior: number;
  /** Items weighted by kind, not decayed (BetaAcc.items). */
  items: number;
}

/**
 * Beta reputation at asOf (DESIGN §3, Jøsang & Ismail 2002): score = (r+1)/(r+s+2)·100 with r, s
 * weighted by stakes; uncertainty = 2/(n+2), n the same evidence before stakes. Without items the
 * status is `empty`; evidence decayed below policy.evidence.faded reads FADED, without a score.
 */
export function betaDimension(acc: BetaAcc, asOf: number, h: HalfLives, faded: number, empty: DimensionStatus): Scored {
  const n = sumAt(acc.cpos, asOf, h.hp) + sumAt(acc.cneg, asOf, h.hn);
  if (acc.n === 0) return { dim: noScore(empty), mass: 0, prior: 1, items: 0 };
  const r = sumAt(acc.pos, asOf, h.hp);
  const s = sumAt(acc.neg, asOf, h.hn);
  const isFaded = n < faded;
  return {
    dim: {
      score: isFaded ? null : ((r + 1) / (r + s + 2)) * 100,
      status: isFaded ? 'FADED' : 'SCORED',
      uncertainty: 2 / (n + 2),
      positive: r,
      negative: s,
      evidence: acc.n,
      drivers: topDrivers([...driversOf(acc.topPos, asOf, h.hp), ...driversOf(acc.topNeg, asOf, h.hn)]),
    },
    mass: n,
    prior: 2 / (r + s + 2),
    items: acc.items ?? acc.n,
  };
}
