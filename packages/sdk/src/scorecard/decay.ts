import { DAY_MS, toMillis } from '@trustledger/schema';

/**
 * A decayed sum kept at a moving reference time: worth `v` at time `t` (ms), and
 * v·2^(−(T−t)/h) at any later T (DESIGN §3, last paragraph). The reference moves forward to the
 * newest evidence so the stored value never overflows, whatever the half-life.
 */
export interface DecayedSum {
  v: number;
  t: number;
}

/** A pair of sums decayed together (e.g. Σ w·x and Σ w), so their ratio needs no rescaling. */
export interface DecayedPair {
  a: number;
  b: number;
  t: number;
}

/** An empty decayed sum. */
export const emptySum = (): DecayedSum => ({ v: 0, t: 0 });
/** An empty decayed pair. */
export const emptyPair = (): DecayedPair => ({ a: 0, b: 0, t: 0 });

/** A half-life in days as milliseconds. */
export const halfLifeMs = (days: number): number => days * DAY_MS;

/** Exponential decay 2^(−age/h) of weight `w` recorded at `at`, seen at `asOf` (DESIGN §3 "Decay"). */
export const decayed = (w: number, at: number, asOf: number, h: number): number =>
  w * 2 ** (-Math.max(0, asOf - at) / h);

/** Adds weight `w` recorded at `at` to a decayed sum (in place). */
export function addDecayed(sum: DecayedSum, w: number, at: number, h: number): void {
  if (w === 0) return;
  if (sum.v === 0) {
    sum.v = w;
    sum.t = at;
  } else if (at <= sum.t) {
    sum.v += w * 2 ** ((at - sum.t) / h);
  } else {
    sum.v = sum.v * 2 ** ((sum.t - at) / h) + w;
    sum.t = at;
  }
}

/** Adds (a, b) recorded at `at` to a decayed pair (in place). */
export function addPair(pair: DecayedPair, a: number, b: number, at: number, h: number): void {
  if (pair.a === 0 && pair.b === 0) {
    pair.a = a;
    pair.b = b;
    pair.t = at;
  } else if (at <= pair.t) {
    const f = 2 ** ((at - pair.t) / h);
    pair.a += a * f;
    pair.b += b * f;
  } else {
    const f = 2 ** ((pair.t - at) / h);
    pair.a = pair.a * f + a;
    pair.b = pair.b * f + b;
    pair.t = at;
  }
}

/** The value of a decayed sum at `asOf` (not before its reference time). */
export const sumAt = (sum: DecayedSum, asOf: number, h: number): number => (sum.v === 0 ? 0 : decayed(sum.v, sum.t, asOf, h));

/**
 * Milliseconds of a ledger time: @trustledger/schema's toMillis, which reads a canonical time
 * ("2026-01-02T03:04:05.000Z") by arithmetic and any other form with Date.parse, with the same result.
 */
export const timeMs = toMillis;
