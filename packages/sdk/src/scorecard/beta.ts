import { addDecayed, type DecayedSum, decayed, emptySum, sumAt } from './decay.ts';
import { type Candidate, candidate, offer, topDrivers } from './drivers.ts';
import type { Dimension, Driver } from './types.ts';

/** Half-lives in ms: positive evidence, negative evidence (policy.halfLifeDays). */
export interface HalfLives {
  hp: number;
  hn: number;
}

/** Decayed Beta evidence of one dimension, with its top driver candidates per sign. */
export interface BetaAcc {
  pos: DecayedSum;
  neg: DecayedSum;
  /** Items of evidence counted. */
  n: number;
  topPos: Candidate[];
  topNeg: Candidate[];
}

/** An empty Beta accumulator. */
export const emptyBeta = (): BetaAcc => ({ pos: emptySum(), neg: emptySum(), n: 0, topPos: [], topNeg: [] });

/**
 * Adds evidence (r, s) recorded at `at` by entry `seq` (in place). `count` says whether it is a new
 * item of evidence (a complaint's second item is not). An entry giving both r and s is two drivers.
 */
export function addBeta(acc: BetaAcc, r: number, s: number, at: number, seq: number, reason: string, h: HalfLives, count = true): boolean {
  if (!(r > 0) && !(s > 0)) return false;
  addDecayed(acc.pos, r, at, h.hp);
  addDecayed(acc.neg, s, at, h.hn);
  const mixed = r > 0 && s > 0;
  if (r > 0) offer(acc.topPos, candidate(seq, r, at, h.hp, mixed ? `${reason} (credit)` : reason));
  if (s > 0) offer(acc.topNeg, candidate(seq, -s, at, h.hn, mixed ? `${reason} (debit)` : reason));
  if (count) acc.n++;
  return true;
}

/** The dimension with no evidence: no score, uncertainty 1 (DESIGN §3 "No evidence is not good evidence"). */
export const noEvidence = (): Dimension => ({ score: null, uncertainty: 1, positive: 0, negative: 0, evidence: 0, drivers: [] });

/** Drivers of candidate lists at asOf: each candidate's decayed, signed effect. */
export const driversOf = (list: readonly Candidate[], asOf: number, h: number): Driver[] =>
  list.map((c) => ({ entrySeq: c.seq, effect: decayed(c.w, c.t, asOf, h), reason: c.reason }));

/** Beta reputation at asOf: score = (r+1)/(r+s+2)·100, uncertainty = 2/(r+s+2) (DESIGN §3, Jøsang & Ismail 2002). */
export function betaDimension(acc: BetaAcc, asOf: number, h: HalfLives): Dimension {
  if (acc.n === 0) return noEvidence();
  const r = sumAt(acc.pos, asOf, h.hp);
  const s = sumAt(acc.neg, asOf, h.hn);
  return {
    score: ((r + 1) / (r + s + 2)) * 100,
    uncertainty: 2 / (r + s + 2),
    positive: r,
    negative: s,
    evidence: acc.n,
    drivers: topDrivers([...driversOf(acc.topPos, asOf, h.hp), ...driversOf(acc.topNeg, asOf, h.hn)]),
  };
}
