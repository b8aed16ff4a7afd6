import type { Driver, EvidenceStanding, Stake } from './types.ts';

/** How many drivers a dimension reports, and how many candidates per list the state keeps. */
export const TOP_K = 5;

/**
 * A candidate driver: weight `w` (signed: + for positive evidence, − for negative) recorded at
 * `t` and decaying with one half-life. `k` = log2|w| + t/h ranks candidates of one list the
 * same way at every later asOf, since all of them decay at the same rate.
 */
export interface Candidate {
  seq: number;
  w: number;
  t: number;
  k: number;
  reason: string;
  /** What a promise's evidence weighed (absent for other evidence). */
  stake?: Stake;
  /** Claimed, disputed or contested evidence (absent when it counts in full, uncontested). */
  standing?: EvidenceStanding;
  /** Within a fold only (deferReasons): builds `reason`, left empty until the fold ends or reasonOf asks. */
  lazy?: () => string;
}

/**
 * Whether candidates given their reason as a function keep it unbuilt (Candidate.lazy) until
 * the fold ends (resolveReasons) or reasonOf asks: most of a fold's candidates are pushed out of
 * their top lists by newer evidence, so their text is never read. Set by foldSorted only while it
 * runs without a per-entry callback; off everywhere else, so no state leaves with an unbuilt reason.
 */
let deferring = false;

/** Turns deferral of reasons on or off; returns the previous setting (foldSorted restores it). */
export function deferReasons(on: boolean): boolean {
  const was = deferring;
  deferring = on;
  return was;
}

/** Whether reasons given as functions are deferred now. */
export const deferringReasons = (): boolean => deferring;

/** A candidate's reason, built now if it was deferred. */
export function reasonOf(c: Candidate): string {
  const lazy = c.lazy;
  if (lazy !== undefined) {
    c.reason = lazy();
    delete c.lazy;
  }
  return c.reason;
}

/** Builds the deferred reasons of a list's candidates (in place). */
export function resolveReasons(list: readonly Candidate[]): void {
  for (const c of list) if (c.lazy !== undefined) reasonOf(c);
}

/** A candidate for a list whose items decay with half-life `h` (ms). */
export const candidate = (seq: number, w: number, t: number, h: number, reason: string, stake?: Stake, standing?: EvidenceStanding | null): Candidate => {
  const c: Candidate = { seq, w, t, k: Math.log2(Math.abs(w)) + t / h, reason };
  if (stake) c.stake = stake;
  if (standing) c.standing = standing;
  return c;
};

/**
 * Whether `offer` would take a candidate of weight `w` recorded at `t` (ms) by entry `seq` into
 * `list` (half-life `h`): lets a caller build a driver's reason only for a candidate kept.
 */
export function admits(list: readonly Candidate[], seq: number, w: number, t: number, h: number): boolean {
  if (w === 0) return false;
  if (list.length < TOP_K) return true;
  const k = Math.log2(Math.abs(w)) + t / h;
  const last = list[TOP_K - 1];
  return last.k < k || (last.k === k && last.seq > seq);
}

/** Offers a candidate to a top-k list (in place): larger k first, ties by seq ascending. */
export function offer(list: Candidate[], c: Candidate): void {
  if (c.w === 0) return;
  let i = list.length;
  while (i > 0 && (list[i - 1].k < c.k || (list[i - 1].k === c.k && list[i - 1].seq > c.seq))) i--;
  if (i >= TOP_K) return;
  list.splice(i, 0, c);
  if (list.length > TOP_K) list.length = TOP_K;
}

/** The top drivers among candidates: |effect| descending, then seq, then positive before negative. */
export function topDrivers(items: Driver[]): Driver[] {
  return items
    .filter((d) => d.effect !== 0)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.entrySeq - b.entrySeq || b.effect - a.effect || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
    .slice(0, TOP_K);
}

/** Shortens free text for a driver's reason. */
export function snippet(text: string | undefined | null, max = 60): string {
  if (!text) return '';
  // Most texts are already short, printable ASCII with single spaces between words: themselves.
  if (text.length <= max && plainAscii(text)) return text;
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** Whether `t` is printable ASCII (codes 32–126) without a space at either end or two in a row: what snippet's replace and trim leave as it is. */
function plainAscii(t: string): boolean {
  const n = t.length;
  if (t.charCodeAt(0) === 32 || t.charCodeAt(n - 1) === 32) return false;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c < 32 || c > 126 || (c === 32 && prev === 32)) return false;
    prev = c;
  }
  return true;
}

/** A duration as a person says it: "5 hours", "3 days". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, ms) / 60_000;
  if (minutes < 60) {
    const m = Math.max(1, Math.round(minutes));
    return `${m} minute${m === 1 ? '' : 's'}`;
  }
  const hours = minutes / 60;
  if (hours < 48) {
    const h = Math.max(1, Math.round(hours));
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const d = Math.round(hours / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}
