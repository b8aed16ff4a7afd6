import { DAY_MS } from '@trustledger/schema';

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
 * Milliseconds of a canonical ledger time ("2026-01-02T03:04:05.000Z"), parsed without Date.parse
 * on the hot path; any other form falls back to Date.parse, with the same result.
 */
export function timeMs(iso: string): number {
  if (iso.length === 24 && iso.charCodeAt(23) === 90 && iso.charCodeAt(10) === 84) {
    const d = (i: number) => iso.charCodeAt(i) - 48;
    const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    if (year >= 100) {
      const t = Date.UTC(year, d(5) * 10 + d(6) - 1, d(8) * 10 + d(9), d(11) * 10 + d(12), d(14) * 10 + d(15), d(17) * 10 + d(18), d(20) * 100 + d(21) * 10 + d(22));
      if (!Number.isNaN(t)) return t;
    }
  }
  return Date.parse(iso);
}
