/**
 * The churn stage (DESIGN §1 "churn is a process", §3 "Churn stage"): where the client stands in
 * Stable → Thawing → Anti → Switching → Lost, from its own signals, as a pure function of the
 * ledger's entries, asOf and the policy.
 *
 * Method (README "Churn stage: method"):
 * - *Counts, not ratios.* Every rate signal compares the count in a recent window with the count
 *   expected from the client's own baseline (exponentially decayed, half-life
 *   `baselineHalfLifeDays`, over the span from the signal's own first evidence to the window's
 *   start). Positive and negative contacts are tested with the Poisson tail probability of the
 *   count; order volume with the normal approximation of a renewal-reward (compound renewal)
 *   process, whose variance is λW·(m²/k + s²) for order rate λ, window W, mean order volume m,
 *   volume variance s² and gap regularity k (Cox, *Renewal Theory*, 1962, ch. 7; Ross,
 *   *Stochastic Processes*, 2nd ed., §3.6), plus the sampling variance of the expectation itself
 *   (the decayed baseline's effective number of orders, and last year's orders behind the season
 *   factor). Volume is scanned over the activity window and its multiples (`activityScanWindows`),
 *   the smallest probability multiplied by the number of windows (Bonferroni), so a sustained fall
 *   shows early without adding false alarms. A drop is tested only when the window is expected to
 *   hold `minExpected` events and the signal has `minBaselineDays` of its own history; a window
 *   widens up to `maxWindowDays` for sparse signals.
 * - *A lone weak signal needs stronger evidence.* Fewer positive contacts with nothing else firing
 *   speak only below `singleContactProbability`; activity falling below `thawingProbability` (but
 *   not `activityProbability`) speaks only beside another signal, as converging evidence.
 * - *Accumulated evidence of a persistent shift.* A count tested in one window at a time cannot
 *   tell a slow drift from a steady client's chance cluster. Each day the detector also reads the
 *   log-likelihood ratio of the recent days under a shifted rate against the baseline, maximised
 *   over the window's length, which is Page's CUSUM statistic restricted to a bounded window (Page,
 *   "Continuous inspection schemes", Biometrika 1954; Lorden, Ann. Math. Statist. 1971; Lucas,
 *   "Counted data CUSUMs", Technometrics 1985): contacts (Poisson: negative contacts and complaints
 *   at `evidenceNegativeRatio` × the baseline, positive ones at `evidencePositiveRatio` ×, and
 *   satisfaction pulses as Gaussian scores; the log-likelihood ratios of independent signals add)
 *   over up to `evidenceWindowDays`, and order volume (Gaussian, at `evidenceActivityRatio` of the
 *   renewal-reward expectation) over 14 … `maxWindowDays` days. A chance cluster gains its events'
 *   evidence but pays for every ordinary day; a persistent shift gains every day it lasts.
 *   Contacts speak for THAWING at `evidenceThreshold`. Contacts that fired on the evidence alone
 *   are no source for ANTI (a repaired thaw shows the same shift in contacts as a client deciding
 *   to leave). Staying in a stage needs ln(`stayFactor`) less evidence. The window keeps it a
 *   pure function of the day buckets the state holds.
 * - *Leaving against a repairable thaw.* Beside a signal that something is wrong, the detector
 *   reads one log-likelihood ratio of leaving against a thaw (a Neyman–Pearson test between the
 *   two explanations of the same shifted contacts): order volume at `evidenceActivityRatio` of
 *   its expectation against unchanged (negative when the volume holds), satisfaction pulses
 *   falling `evidenceLeavingPulseDrop` below the client's usual against `evidenceThawPulseDrop`, and complaints
 *   handled late at `evidenceLateShareLeaving` against `evidenceLateShareThaw`, over
 *   `evidenceLeavingWindowDays` (leavingEvidence). Independent signs: the ratios add. Past
 *   `evidenceAntiThreshold` it is a sign of leaving (staying needs `evidenceLeavingStaySlack`
 *   less); volume's part alone past `evidenceActivitySign` is falling activity (a signal).
 * - *Cadence.* Days since the last order are read against the typical gap g = 1/λ with a gamma
 *   (Erlang) renewal model whose shape k (1 = memoryless, larger = more regular) comes from the
 *   decayed moments of the gaps, shrunk towards 1: P(no order for d days) = P(Poisson(k·d/g) ≤ k−1).
 *   The silence is tested at every gap, so SWITCHING read from it is held to a yearly false-alarm
 *   rate: `switchingProbability` × g/365 (Bonferroni over a year's gaps).
 * - *Season.* With a year of orders known, the expected volume and the typical gap are scaled by
 *   how the same weeks last year compared with that year's average.
 * - *Handling counts.* A complaint answered within `firstResponseHours` and resolved within
 *   `resolutionDays` is no sign of leaving; an unhandled one is, and so is a repeated one. Every
 *   complaint counts as a negative contact in the count, as it does in the baseline.
 * - *Converging evidence.* ANTI needs at least one sign of leaving (repeated or unhandled
 *   complaints, a surge of negative contacts, two low satisfaction pulses, an alternative supplier
 *   named, falling activity) and at least two signals firing. SWITCHING: activity well below the
 *   norm, a silence of several typical gaps, or an alternative supplier named while activity
 *   falls. LOST: the relationship ended or no order for `lostGaps` typical gaps.
 * - *Evidence ages*: pulses, alternative-supplier signals and broken promises speak only within
 *   their windows.
 * - *Hysteresis and dwell* as a pure function of asOf: the stage machine is run over the
 *   `memoryDays` days before asOf, entering a stage with the entry thresholds and staying while the
 *   looser stay thresholds (probabilities × `stayFactor`) hold; the *announced* stage (alerts) is
 *   the latest stage that held `dwellDays` days in that run.
 *
 * The state keeps day buckets for the last `maxWindowDays + memoryDays` days, weekly volume for
 * the seasonal comparison and decayed sums for everything older: its size is bounded by the
 * policy's windows, not by the ledger.
 */
import { type ChurnStage, DAY_MS, HOUR_MS, type Policy } from '@trustledger/schema';
import { gapSurvival, normalCdf, poissonCdf, poissonUpper } from './churn-stats.ts';
import { addPair, type DecayedPair, emptyPair } from './decay.ts';
import type { ChurnAssessment, ChurnMeasure } from './types.ts';

/** Components of a day bucket. */
const ORDERS = 0;
const VOLUME = 1;
const VOLUME2 = 2;
const POSITIVE = 3;
const NEGATIVE = 4;
const COMPLAINTS = 5;
const WIDTH = 6;

/** Weeks of volume kept for the same-season comparison. */
const SEASON_WEEKS = 72;
/** Complaints, pulses and alternative-supplier signals kept at most (newest first kept). */
const LIST_CAP = 16;

/** A complaint the client raised, as churn reads its handling. Times in ms. */
export interface ChurnComplaint {
  seq: number;
  at: number;
  answered: number | null;
  resolved: number | null;
}

/**
 * The client's churn evidence as the state keeps it (DESIGN §3 "Churn stage"). Days are day
 * indices (ms / 86 400 000, floored); other times are ms.
 */
export interface ChurnAcc {
  /** First day held in `days`; evidence before it is in `old`. */
  horizon: number | null;
  /** Day → [orders, volume, volume², positive contacts, negative contacts, complaints], trailing zeros left out. */
  days: Record<string, number[]>;
  /** Evidence before the horizon, decayed (baselineHalfLifeDays) to day `d`. */
  old: { d: number; v: number[] } | null;
  /** Week (Monday-based index) → orders, for the same season last year. */
  weeks: Record<string, number>;
  /** Day of each signal's first evidence: orders, positive contacts, any client interaction. */
  first: { orders: number | null; positive: number | null; interaction: number | null };
  /** Orders seen. */
  orders: number;
  /** Latest order day before the horizon. */
  oldLastOrderDay: number | null;
  /** Decayed moments of the gaps between consecutive orders (days), at day `d`; `last` is the latest order (ms). */
  gaps: { last: number | null; d: number; n: number; s1: number; s2: number };
  complaints: ChurnComplaint[];
  /** Satisfaction pulses that can still speak, by time. */
  pulses: { at: number; score: number }[];
  /** Decayed (Σ score, Σ 1) of every pulse: the client's usual satisfaction. */
  satisfaction: DecayedPair;
  /** Times of alternative-supplier signals that can still speak, ascending. */
  alternatives: number[];
  endedAt: number | null;
  /** Times of the supplier's broken promises that can still speak. */
  broken: number[];
  lastSupplierHandover: number | null;
}

/** Empty churn evidence. */
export const emptyChurn = (): ChurnAcc => ({
  horizon: null,
  days: {},
  old: null,
  weeks: {},
  first: { orders: null, positive: null, interaction: null },
  orders: 0,
  oldLastOrderDay: null,
  gaps: { last: null, d: 0, n: 0, s1: 0, s2: 0 },
  complaints: [],
  pulses: [],
  satisfaction: emptyPair(),
  alternatives: [],
  endedAt: null,
  broken: [],
  lastSupplierHandover: null,
});

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
/** Monday-based week of a day index (day 0, 1970-01-01, was a Thursday). */
const weekOf = (day: number): number => Math.floor((day + 3) / 7);
/** Per-day decay factor of the baseline. */
const decayPerDay = (policy: Policy): number => 2 ** (-1 / policy.churn.baselineHalfLifeDays);
/** Days of buckets kept: the longest window plus the hysteresis memory. */
const horizonDays = (policy: Policy): number => policy.churn.maxWindowDays + policy.churn.memoryDays + 2;

function addOld(c: ChurnAcc, day: number, vec: readonly number[], r: number): void {
  if (vec[ORDERS] > 0 && (c.oldLastOrderDay === null || day > c.oldLastOrderDay)) c.oldLastOrderDay = day;
  if (c.old === null) {
    c.old = { d: day, v: Array.from({ length: WIDTH }, (_, i) => vec[i] ?? 0) };
    return;
  }
  const o = c.old;
  if (day <= o.d) {
    const f = r ** (o.d - day);
    for (let i = 0; i < WIDTH; i++) o.v[i] += (vec[i] ?? 0) * f;
  } else {
    const f = r ** (day - o.d);
    for (let i = 0; i < WIDTH; i++) o.v[i] = o.v[i] * f + (vec[i] ?? 0);
    o.d = day;
  }
}

/** The vector addBucket and addOrder fill, reused (addVec and addOld read it and never keep it): no array per entry. */
const SCRATCH: number[] = new Array<number>(WIDTH).fill(0);
const scratchVec = (): number[] => SCRATCH.fill(0);

function addBucket(c: ChurnAcc, day: number, i: number, x: number, policy: Policy): void {
  const vec = scratchVec();
  vec[i] = x;
  if (i === VOLUME) vec[VOLUME2] = x * x;
  addVec(c, day, vec, policy);
}

function addVec(c: ChurnAcc, day: number, vec: number[], policy: Policy): void {
  if (c.horizon !== null && day < c.horizon) {
    addOld(c, day, vec, decayPerDay(policy));
    return;
  }
  // Keyed by the day's number: the same property as String(day), without a fresh string read as an index.
  const held = c.days[day];
  const b = held ?? [];
  for (let i = 0; i < WIDTH; i++) b[i] = (b[i] ?? 0) + vec[i];
  // Trailing zeros are not stored: a bucket of orders only is [orders, volume, volume²].
  let n = WIDTH;
  while (n > 0 && b[n - 1] === 0) n--;
  b.length = n;
  if (held === undefined) c.days[day] = b;
}

/**
 * Inserts into a list kept in (at, seq) order where a stable sort of the list with the item
 * pushed last would put it: after every item that does not come after it. Items mostly arrive in order.
 */
function insertSorted<T extends { at: number; seq?: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && (list[i - 1].at > item.at || (list[i - 1].at === item.at && (list[i - 1].seq ?? 0) > (item.seq ?? 0)))) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
}

const firstOf = (cur: number | null, day: number) => (cur === null || day < cur ? day : cur);

/** Adds one order of `volume` at `at` (in place). */
function addOrder(c: ChurnAcc, at: number, volume: number, policy: Policy): void {
  const day = dayOf(at);
  const vec = scratchVec();
  vec[ORDERS] = 1;
  vec[VOLUME] = volume;
  vec[VOLUME2] = volume * volume;
  addVec(c, day, vec, policy);
  c.orders++;
  c.first.orders = firstOf(c.first.orders, day);
  const wk = weekOf(day);
  c.weeks[wk] = (c.weeks[wk] ?? 0) + 1;
  const g = c.gaps;
  if (g.last === null) g.last = at;
  else if (at >= g.last) {
    const gap = (at - g.last) / DAY_MS;
    const r = decayPerDay(policy);
    const f = g.n === 0 ? 0 : r ** Math.max(0, day - g.d);
    g.n = g.n * f + 1;
    g.s1 = g.s1 * f + gap;
    g.s2 = g.s2 * f + gap * gap;
    g.d = Math.max(g.d, day);
    g.last = at;
  }
}

/**
 * Folds one entry's churn evidence into the accumulator (in place): client-initiated contacts and
 * complaints, follow-ups of complaints, orders, pulses, alternative-supplier signals, the end of the
 * relationship. (Supplier handovers are set by the state, which knows who recorded them.) `at` is the entry's occurredAt (ms), `latest` the latest
 * occurredAt the state holds. Broken promises come through addBroken.
 */
export function churnEntry(
  c: ChurnAcc,
  e: { seq: number; type: string; payload: unknown },
  at: number,
  latest: number,
  policy: Policy,
): void {
  const day = dayOf(at);
  switch (e.type) {
    case 'RELATIONSHIP_ENDED':
      c.endedAt = c.endedAt === null || at < c.endedAt ? at : c.endedAt;
      break;
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED': {
      const seq = (e.payload as { interactionSeq: number }).interactionSeq;
      // The first with that seq, as find gives it, without a closure per follow-up.
      let k: ChurnComplaint | undefined;
      for (let j = 0; j < c.complaints.length; j++)
        if (c.complaints[j].seq === seq) {
          k = c.complaints[j];
          break;
        }
      if (!k) break;
      if (k.answered === null || at < k.answered) k.answered = at;
      if (e.type === 'COMPLAINT_RESOLVED' && (k.resolved === null || at < k.resolved)) k.resolved = at;
      break;
    }
    case 'INTERACTION_RECORDED': {
      const i = e.payload as { kind: string; initiatedBy: string; volume?: number; score?: number };
      const byClient = i.initiatedBy === 'CLIENT';
      if (byClient) c.first.interaction = firstOf(c.first.interaction, day);
      switch (i.kind) {
        case 'COMPLAINT':
          if (!byClient) break;
          addBucket(c, day, COMPLAINTS, 1, policy);
          insertSorted(c.complaints, { seq: e.seq, at, answered: null, resolved: null });
          if (c.complaints.length > LIST_CAP) c.complaints.shift();
          break;
        case 'NEGATIVE_CONTACT':
          if (byClient) addBucket(c, day, NEGATIVE, 1, policy);
          break;
        case 'POSITIVE_CONTACT':
          if (!byClient) break;
          addBucket(c, day, POSITIVE, 1, policy);
          c.first.positive = firstOf(c.first.positive, day);
          break;
        case 'ACTIVITY':
          // An order or other action of the client; without a volume it counts as one unit.
          c.first.interaction = firstOf(c.first.interaction, day);
          addOrder(c, at, i.volume ?? 1, policy);
          break;
        case 'SATISFACTION':
          if (i.score === undefined) break;
          addPair(c.satisfaction, i.score, 1, at, policy.churn.baselineHalfLifeDays * DAY_MS);
          insertSorted(c.pulses, { at, score: i.score });
          if (c.pulses.length > LIST_CAP) c.pulses.shift();
          break;
        case 'ALTERNATIVE_SUPPLIER':
          c.alternatives.push(at);
          c.alternatives.sort((a, b) => a - b);
          if (c.alternatives.length > LIST_CAP) c.alternatives.shift();
          break;
        default:
          break;
      }
      break;
    }
    default:
      break;
  }
  advanceHorizon(c, latest, policy);
}

/** Records a supplier's broken promise at `at` (in place). */
export function addBroken(c: ChurnAcc, at: number, latest: number, policy: Policy): void {
  c.broken.push(at);
  c.broken.sort((a, b) => a - b);
  if (c.broken.length > LIST_CAP) c.broken.shift();
  advanceHorizon(c, latest, policy);
}

/**
 * Moves the day buckets' horizon to `latest` − horizonDays: older buckets are folded into the
 * decayed `old` sums, and lists drop what can no longer speak at any asOf ≥ latest. Keeps the
 * state's size bounded by the policy's windows.
 */
function advanceHorizon(c: ChurnAcc, latest: number, policy: Policy): void {
  const p = policy.churn;
  const horizon = dayOf(latest) - horizonDays(policy);
  if (c.horizon !== null && horizon <= c.horizon) return;
  const previous = c.horizon;
  c.horizon = horizon;
  const r = decayPerDay(policy);
  if (previous !== null && horizon - previous <= 64) {
    // No bucket lies before the previous horizon (addVec folds those into `old`): only the days
    // it moved over are looked at, in ascending order as below, without listing every bucket.
    for (let day = previous; day < horizon; day++) {
      const key = String(day);
      const b = c.days[key];
      if (b === undefined) continue;
      addOld(c, day, b, r);
      delete c.days[key];
    }
  } else
    for (const key of Object.keys(c.days)) {
      const day = Number(key);
      if (day >= horizon) break;
      addOld(c, day, c.days[key], r);
      delete c.days[key];
    }
  const week = weekOf(dayOf(latest)) - SEASON_WEEKS;
  for (const key of Object.keys(c.weeks)) {
    if (Number(key) >= week) break;
    delete c.weeks[key];
  }
  const since = (days: number) => latest - (days + p.memoryDays + 1) * DAY_MS;
  const complaintsFrom = since(Math.max(p.contactWindowDays, p.evidenceLeavingWindowDays));
  if (c.complaints.length && c.complaints[0].at < complaintsFrom) c.complaints = c.complaints.filter((x) => x.at >= complaintsFrom);
  const pulsesFrom = since(p.satisfactionWindowDays);
  if (c.pulses.length && c.pulses[0].at < pulsesFrom) c.pulses = c.pulses.filter((x) => x.at >= pulsesFrom);
  const altFrom = since(p.alternativeWindowDays);
  if (c.alternatives.length && c.alternatives[0] < altFrom) c.alternatives = c.alternatives.filter((x) => x >= altFrom);
  const brokenFrom = since(p.brokenPromiseDays);
  if (c.broken.length && c.broken[0] < brokenFrom) c.broken = c.broken.filter((x) => x >= brokenFrom);
}

/** What the assessment needs beyond the churn evidence: facts about promises and complaints at asOf. */
export interface ChurnContext {
  /** Times the supplier's promises counted as broken (settled and lapsed). */
  brokenTimes: number[];
  openRescheduledSupplierPromise: boolean;
  openComplaintsAgainstSupplier: number;
  /**
   * The ledger head the accumulator stands at, when the caller reads the same accumulator again
   * (a state held and advanced in place): the day's view of it (viewOf) is then kept for the next
   * read of the same day. Omitted: computed afresh.
   */
  head?: { seq: number; hash: string } | null;
}

/** Stages in order of severity. */
const STAGES: readonly ChurnStage[] = ['STABLE', 'THAWING', 'ANTI', 'SWITCHING', 'LOST'];

/** One rate test: the count in a window against its expectation. */
interface Test {
  count: number;
  expected: number;
  windowDays: number;
  /** One-sided tail probability; null when there is not enough evidence to test. */
  p: number | null;
}

/** Everything the rules read at one instant. */
interface DayStats {
  ended: boolean;
  activity: Test & { ratio: number };
  cadence: { days: number; gap: number; p: number | null; shape: number };
  positive: Test;
  negative: Test & { unhandled: number; overdue: number; complaints: number };
  satisfaction: { recent: number[]; mean: number | null; base: number | null };
  alternatives: number;
  broken: number;
  evidence: Evidence;
}

/**
 * Accumulated evidence of a persistent shift (log-likelihood ratios, natural log): the largest
 * over the windows ending today, as Page's CUSUM reads it (see contactEvidence, activityEvidence).
 */
interface Evidence {
  /** Contacts: more negative contacts and complaints, fewer positive ones; with the window that maximised it. */
  contacts: number;
  negative: Test;
  positive: Test;
  /** The negative contacts', positive contacts' and satisfaction pulses' parts of `contacts`. */
  negativePart: number;
  positivePart: number;
  satisfactionPart: number;
  /** Order volume below its expectation, computed when first read (activityEvidence). */
  activity: () => { llr: number; raw: number; test: Test & { ratio: number } };
  /** Signs that tell leaving from a repairable thaw, beside the volume, computed when first read (leavingEvidence). */
  leaving: () => { pulses: number; handling: number };
}

/**
 * The evidence laid out by day once per assessment: for each component, the decayed sum through
 * each day (B) and the plain running sum (P), over days A…T; days before A read `old` alone.
 */
interface View {
  c: ChurnAcc;
  policy: Policy;
  r: number;
  shape: number;
  /** First and last day laid out. */
  a: number;
  t: number;
  B: Float64Array[];
  P: Float64Array[];
  /** Latest day ≤ index with an order (−1 for none), per laid-out day. */
  lastOrder: Int32Array;
  /** Orders per week as running sums (weekSums[i]: weeks w0 … w0 + i − 1), so seasonOf reads a span of weeks in O(1). */
  w0: number;
  weekSums: Float64Array;
}

/**
 * The last view of each accumulator, with the head, day and policy it was laid out for: a view
 * depends on asOf only through its day, and the accumulator changes only when an absorbed entry
 * moves the head (the validity of the scorecard's own memos), so reads of one day share it.
 */
const views = new WeakMap<ChurnAcc, { seq: number; hash: string; day: number; policy: Policy; view: View }>();

function viewFor(c: ChurnAcc, policy: Policy, asOf: number, head: ChurnContext['head']): View {
  if (!head) return viewOf(c, policy, asOf);
  const day = dayOf(asOf);
  const memo = views.get(c);
  if (memo !== undefined && memo.seq === head.seq && memo.hash === head.hash && memo.day === day && memo.policy === policy) return memo.view;
  const view = viewOf(c, policy, asOf);
  views.set(c, { seq: head.seq, hash: head.hash, day, policy, view });
  return view;
}

function viewOf(c: ChurnAcc, policy: Policy, asOf: number): View {
  const p = policy.churn;
  const g = c.gaps;
  let shape = 1;
  if (g.n > 0) {
    const mean = g.s1 / g.n;
    const variance = g.s2 / g.n - mean * mean;
    const raw = variance > mean * mean * 1e-6 ? (mean * mean) / variance : p.maxGapShape;
    // Shrunk towards the memoryless cadence (k = 1) with the weight of three gaps, rounded down.
    shape = Math.max(1, Math.min(p.maxGapShape, Math.floor((g.n * Math.min(raw, p.maxGapShape) + 3) / (g.n + 3))));
  }
  const r = decayPerDay(policy);
  const t = dayOf(asOf);
  const keys = Object.keys(c.days).map(Number);
  let a = t - p.memoryDays - p.maxWindowDays - 1;
  if (keys.length && keys[0] < a) a = keys[0];
  const n = t - a + 1;
  const B = Array.from({ length: WIDTH }, () => new Float64Array(n));
  const P = Array.from({ length: WIDTH }, () => new Float64Array(n));
  const lastOrder = new Int32Array(n);
  const before = c.oldLastOrderDay !== null && c.oldLastOrderDay < a ? c.oldLastOrderDay : -1;
  // Day counts laid out densely, then swept once per component.
  const counts = Array.from({ length: WIDTH }, () => new Float64Array(n));
  const orderDay = new Uint8Array(n);
  for (const key in c.days) {
    const j = Number(key) - a;
    if (j < 0 || j >= n) continue;
    const vec = c.days[key];
    for (let i = 0; i < vec.length; i++) counts[i][j] = vec[i];
    if (vec[ORDERS] > 0) orderDay[j] = 1;
  }
  for (let i = 0; i < WIDTH; i++) {
    const b = B[i];
    const q = P[i];
    const x = counts[i];
    let prevB = c.old ? c.old.v[i] * r ** (a - 1 - c.old.d) : 0;
    let prevP = 0;
    for (let j = 0; j < n; j++) {
      prevB = prevB * r + x[j];
      prevP += x[j];
      b[j] = prevB;
      q[j] = prevP;
    }
  }
  let last = before;
  for (let j = 0; j < n; j++) {
    if (orderDay[j]) last = a + j;
    lastOrder[j] = last;
  }
  // Week counts are whole numbers, so running sums read any span exactly as adding its weeks would.
  let w0 = 0;
  let w1 = -1;
  for (const key in c.weeks) {
    const k = Number(key);
    if (w1 < w0) w0 = w1 = k;
    else {
      w0 = Math.min(w0, k);
      w1 = Math.max(w1, k);
    }
  }
  const weekSums = new Float64Array(Math.max(0, w1 - w0 + 1) + 1);
  for (let k = w0; k <= w1; k++) weekSums[k - w0 + 1] = weekSums[k - w0] + (c.weeks[String(k)] ?? 0);
  return { c, policy, r, shape, a, t, B, P, lastOrder, w0, weekSums };
}

/** Orders in weeks kFrom … kTo (none outside the weeks kept). */
function weeksSum(v: View, kFrom: number, kTo: number): number {
  const last = v.w0 + v.weekSums.length - 2;
  const lo = Math.max(kFrom, v.w0);
  const hi = Math.min(kTo, last);
  return hi < lo ? 0 : v.weekSums[hi - v.w0 + 1] - v.weekSums[lo - v.w0];
}

/** Decayed component `i` of all evidence through day y, referenced at y. */
function through(v: View, y: number, i: number): number {
  if (y < v.a) return v.c.old ? v.c.old.v[i] * v.r ** (y - v.c.old.d) : 0;
  const j = Math.min(y, v.t) - v.a;
  return y > v.t ? v.B[i][j] * v.r ** (y - v.t) : v.B[i][j];
}

/** Sum of component `i` over days lo < day ≤ hi (lo ≥ A − 1). */
function windowSum(v: View, lo: number, hi: number, i: number): number {
  const q = v.P[i];
  const h = Math.min(hi, v.t) - v.a;
  const l = lo - v.a;
  return (h >= 0 ? q[h] : 0) - (l >= 0 ? q[l] : 0);
}

/** Decayed exposure Σ r^(y−d) for d from `first` to y: the baseline's observed span in days. */
const exposure = (v: View, first: number | null, y: number): number =>
  first === null || y < first ? 0 : (1 - v.r ** (y - first + 1)) / (1 - v.r);

/**
 * Same season last year: orders in last year's weeks of this window against the orders the
 * average of the year before the window leads to expect there, both shrunk by `minExpected`
 * pseudo-orders, so sparse orders say little about the season; 1 until a year of orders is known.
 * `relVar` is the factor's relative sampling variance (last year's count read as Poisson), which
 * the activity test adds to its own: a factor read from a few dozen orders is itself uncertain.
 */
function seasonOf(v: View, x: number, w: number): { f: number; relVar: number } {
  const first = v.c.first.orders;
  if (first === null || x - first < 365 + w) return { f: 1, relVar: 0 };
  const sum = (from: number, to: number) => ({ s: weeksSum(v, weekOf(from), weekOf(to)), n: Math.max(0, weekOf(to) - weekOf(from) + 1) });
  const ly = sum(x - 365 - w + 1, x - 365);
  const year = sum(x - w - 364, x - w);
  if (!(year.s > 0)) return { f: 1, relVar: 0 };
  const expected = (year.s / year.n) * ly.n;
  const k = v.policy.churn.minExpected;
  const f = Math.max(0.25, Math.min(2, (ly.s + k) / (expected + k)));
  return { f, relVar: ly.s / (ly.s + k) ** 2 };
}

const seasonFactor = (v: View, x: number, w: number): number => seasonOf(v, x, w).f;

/** Window widened until `minExpected` events are expected at the pre-window rate (DESIGN §3: enough expected events to tell). */
function windowFor(v: View, first: number | null, x: number, i: number, min: number, scale = 1): number {
  const p = v.policy.churn;
  const e = exposure(v, first, x - min);
  const rate = e > 0 ? (through(v, x - min, i) / e) * scale : 0;
  return rate > 0 ? Math.max(min, Math.min(p.maxWindowDays, Math.ceil(p.minExpected / rate))) : min;
}

/** Last order day on or before x. */
function lastOrderDay(v: View, x: number): number | null {
  const d = x < v.a ? -1 : v.lastOrder[Math.min(x, v.t) - v.a];
  if (d >= 0) return d;
  return v.c.oldLastOrderDay !== null && v.c.oldLastOrderDay <= x ? v.c.oldLastOrderDay : null;
}

/**
 * Order volume in the `w` days up to day x against the renewal-reward expectation. The variance
 * adds to the process's own (λW·(m²/k + s²)) the sampling variance of the expectation: the
 * decayed baseline rate is read from n_eff = (Σw)²/Σw² orders' worth of history (relative
 * variance 1/n_eff), and the season factor from last year's orders (seasonOf).
 */
function activityTest(v: View, x: number, w: number): DayStats['activity'] & { sd: number } {
  const c = v.c;
  const p = v.policy.churn;
  const season = seasonOf(v, x, w);
  const ya = x - w;
  const ea = exposure(v, c.first.orders, ya);
  const bn = through(v, ya, ORDERS);
  const rate = ea > 0 ? bn / ea : 0;
  const m = bn > 0 ? through(v, ya, VOLUME) / bn : 0;
  const varv = bn > 0 ? Math.max(0, through(v, ya, VOLUME2) / bn - m * m) : 0;
  const expOrders = season.f * rate * w;
  const expVolume = expOrders * m;
  const recentVolume = windowSum(v, ya, x, VOLUME);
  // Σw² of the decayed exposure over Σw: n_eff = bn · ea / ea2.
  const ea2 = c.first.orders === null || ya < c.first.orders ? 0 : (1 - v.r ** (2 * (ya - c.first.orders + 1))) / (1 - v.r * v.r);
  const relVarRate = bn > 0 && ea > 0 ? ea2 / (bn * ea) : 0;
  // Counts of a renewal process with gap shape k vary as λt/k (Cox 1962, §4.5): both estimates too.
  const sd = Math.sqrt(expOrders * ((m * m) / v.shape + varv) + (expVolume * expVolume * (relVarRate + season.relVar)) / v.shape);
  const ok = c.first.orders !== null && ya - c.first.orders + 1 >= p.minBaselineDays && expOrders >= p.minExpected && m > 0 && sd > 0;
  return {
    count: recentVolume,
    expected: expVolume,
    windowDays: w,
    p: ok ? normalCdf((recentVolume - expVolume) / sd) : null,
    ratio: expVolume > 0 ? recentVolume / expVolume : 1,
    sd,
  };
}

/**
 * Evidence that contacts have shifted for good: more negative contacts and complaints (rate ×
 * `evidenceNegativeRatio`) and fewer positive ones (× `evidencePositiveRatio`), against the
 * client's baseline as of `evidenceWindowDays` before day x. The Poisson log-likelihood ratio of
 * the counts over the last L days, N·ln ρ − (ρ − 1)·λ·L per signal, summed over the two signals
 * (independent Poisson processes), maximised over L = 1 … evidenceWindowDays: Page's CUSUM
 * statistic (Page 1954; Lucas 1985, "Counted data CUSUMs") restricted to a bounded window, so it
 * is a pure function of the days held and evidence older than the window no longer speaks. A
 * steady client's chance cluster gains the evidence of its events but pays (ρ − 1)·λ for each
 * quiet day; a persistent shift gains more every day it lasts.
 */
function contactEvidence(v: View, x: number, t: number): Omit<Evidence, 'activity' | 'leaving'> {
  const c = v.c;
  const p = v.policy.churn;
  const W = Math.max(1, Math.min(p.evidenceWindowDays, p.maxWindowDays));
  const y = x - W;
  const fi = c.first.interaction;
  const en = exposure(v, fi, y);
  const bneg = en > 0 ? through(v, y, NEGATIVE) + through(v, y, COMPLAINTS) : 0;
  const ln = (bneg + p.negativePriorEvents) / (en + p.negativePriorDays);
  const negOk = fi !== null && y - fi + 1 >= p.minBaselineDays;
  const fp = c.first.positive;
  const ep = exposure(v, fp, y);
  const bpos = ep > 0 ? through(v, y, POSITIVE) : 0;
  const lp = ep > 0 ? bpos / ep : 0;
  const posOk = fp !== null && y - fp + 1 >= p.minBaselineDays && bpos >= p.minExpected;
  const rn = p.evidenceNegativeRatio;
  const rp = p.evidencePositiveRatio;
  const lrn = Math.log(rn);
  const lrp = Math.log(rp);
  // Satisfaction pulses: Gaussian around the client's usual mean μ (sd evidencePulseSd), against a
  // mean satisfactionDrop lower: δ/σ²·(μ − δ/2 − score) each.
  const sat = c.satisfaction;
  const mu = sat.b >= p.minExpected ? sat.a / sat.b : null;
  const delta = p.satisfactionDrop;
  const k = delta / (p.evidencePulseSd * p.evidencePulseSd);
  const pulseLlr = new Float64Array(W + 1);
  if (mu !== null && delta > 0)
    for (const q of c.pulses) {
      const j = x - dayOf(q.at) + 1;
      if (q.at <= t && j >= 1 && j <= W) pulseLlr[j] += k * (mu - delta / 2 - q.score);
    }
  let sq = 0;
  let partQ = 0;
  let best = 0;
  let bestL = W;
  let nN = 0;
  let nP = 0;
  let bestN = 0;
  let bestP = 0;
  let partN = 0;
  let partP = 0;
  for (let L = 1; L <= W; L++) {
    const d = x - L + 1;
    nN += windowSum(v, d - 1, d, NEGATIVE) + windowSum(v, d - 1, d, COMPLAINTS);
    nP += windowSum(v, d - 1, d, POSITIVE);
    const sn = negOk ? nN * lrn - (rn - 1) * ln * L : 0;
    const sp = posOk ? nP * lrp + (1 - rp) * lp * L : 0;
    sq += pulseLlr[L];
    if (sn + sp + sq > best) {
      best = sn + sp + sq;
      partQ = sq;
      bestL = L;
      bestN = nN;
      bestP = nP;
      partN = sn;
      partP = sp;
    }
  }
  const en2 = ln * bestL;
  const ep2 = lp * bestL;
  return {
    contacts: best,
    negativePart: partN,
    positivePart: partP,
    satisfactionPart: partQ,
    negative: { count: bestN, expected: en2, windowDays: bestL, p: negOk ? poissonUpper(bestN, en2) : null },
    positive: { count: bestP, expected: ep2, windowDays: bestL, p: posOk ? poissonCdf(bestP, ep2) : null },
  };
}

/**
 * Evidence that order volume has fallen for good, to `evidenceActivityRatio` of its expectation:
 * the Gaussian log-likelihood ratio of the volume over the last L days (the renewal-reward test of
 * activityTest, z = (count − expected)/sd, shift D = (1 − ρ)·expected/sd in sd units):
 * D·(−z) − D²/2, maximised over L = 14, 28, … up to maxWindowDays (a windowed CUSUM for a known
 * shift in the mean; Page 1954, Lorden 1971).
 */
function activityEvidence(v: View, x: number): ReturnType<Evidence['activity']> {
  const p = v.policy.churn;
  const rho = p.evidenceActivityRatio;
  let best = 0;
  let raw = Number.NEGATIVE_INFINITY;
  let bestTest: ReturnType<Evidence['activity']>['test'] = { count: 0, expected: 0, windowDays: 0, p: null, ratio: 1 };
  for (let L = 14; L <= p.maxWindowDays; L += 14) {
    const a = activityTest(v, x, L);
    if (a.p === null) continue;
    const z = (a.count - a.expected) / a.sd;
    const D = ((1 - rho) * a.expected) / a.sd;
    const llr = -D * z - (D * D) / 2;
    if (llr > raw) raw = llr;
    if (llr > best || bestTest.p === null) {
      if (llr > best) best = llr;
      bestTest = { count: a.count, expected: a.expected, windowDays: a.windowDays, p: a.p, ratio: a.ratio };
    }
  }
  return { llr: best, raw: raw === Number.NEGATIVE_INFINITY ? 0 : raw, test: bestTest };
}

/** A value computed once, when first read. */
function lazy<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

/** The evidence at instant t (ms): only entries up to t speak. */
function statsAt(v: View, t: number, ctx: ChurnContext): DayStats {
  const c = v.c;
  const policy = v.policy;
  const p = policy.churn;
  const x = dayOf(t);

  // Order activity: volume in the window against the renewal-reward expectation, scanned over
  // the shortest window and its multiples up to maxWindowDays (a sustained fall shows over the
  // longer ones first); the most improbable window is reported, its probability multiplied by the
  // number of windows scanned (Bonferroni), so scanning does not add false alarms.
  const s0 = seasonFactor(v, x, p.activityWindowDays);
  const wa = windowFor(v, c.first.orders, x, ORDERS, p.activityWindowDays, s0);
  let activity: DayStats['activity'] = { count: 0, expected: 0, windowDays: wa, p: null, ratio: 1 };
  const scans: number[] = [];
  for (let w = wa; w <= p.maxWindowDays && scans.length < p.activityScanWindows; w += wa) scans.push(w);
  if (scans.length === 0) scans.push(wa);
  for (const w of scans) {
    const a = activityTest(v, x, w);
    if (scans.length > 1 && a.p !== null) a.p = Math.min(1, a.p * scans.length);
    if (w === scans[0] || (a.p !== null && (activity.p === null || a.p < activity.p))) activity = a;
  }

  // Cadence: days since the last order against the typical gap as of that order.
  const last = lastOrderDay(v, x);
  let cadence: DayStats['cadence'] = { days: 0, gap: 0, p: null, shape: v.shape };
  if (last !== null && c.first.orders !== null) {
    const e = exposure(v, c.first.orders, last);
    // The span from the first order to the last holds one gap fewer than orders (decayed), so the
    // last order itself is not counted: counting it shortens the typical gap of a sparse client.
    const gaps = Math.max(0, through(v, last, ORDERS) - 1);
    const r = e > 0 ? (gaps / e) * s0 : 0;
    // The typical gap read conservatively: lengthened by one standard error of the rate (1/√n).
    const gap = r > 0 ? (1 + 1 / Math.sqrt(gaps)) / r : 0;
    const days = x - last;
    const ok = c.orders >= 6 && last - c.first.orders + 1 >= p.minBaselineDays && gap > 0;
    cadence = { days, gap, p: ok ? gapSurvival(days, gap, v.shape) : null, shape: v.shape };
  }

  // Positive contacts: a drop is tested with the Poisson lower tail.
  const fp = c.first.positive;
  const wp = windowFor(v, fp, x, POSITIVE, p.contactWindowDays);
  const ep = exposure(v, fp, x - wp);
  const expPositive = ep > 0 ? (through(v, x - wp, POSITIVE) / ep) * wp : 0;
  const positiveCount = windowSum(v, x - wp, x, POSITIVE);
  const positiveOk = fp !== null && x - wp - fp + 1 >= p.minBaselineDays && expPositive >= p.minExpected;
  const positive = { count: positiveCount, expected: expPositive, windowDays: wp, p: positiveOk ? poissonCdf(positiveCount, expPositive) : null };

  // Negative contacts, unhandled and repeated complaints: a rise is tested with the Poisson upper tail.
  const wn = p.contactWindowDays;
  const fi = c.first.interaction;
  const en = exposure(v, fi, x - wn);
  const bneg = en > 0 ? through(v, x - wn, NEGATIVE) + through(v, x - wn, COMPLAINTS) : 0;
  const expNegative = ((bneg + p.negativePriorEvents) / (en + p.negativePriorDays)) * wn;
  let unhandled = 0;
  let overdue = 0;
  let handled = 0;
  for (const k of c.complaints) {
    const d = dayOf(k.at);
    if (k.at > t || d <= x - wn) continue;
    const answered = k.answered !== null && k.answered <= t ? k.answered : null;
    const resolved = k.resolved !== null && k.resolved <= t ? k.resolved : null;
    const respondBy = k.at + policy.firstResponseHours * HOUR_MS;
    const resolveBy = k.at + policy.resolutionDays * DAY_MS;
    // Open past a deadline (unanswered or unresolved): a sign on its own. Answered or resolved
    // late: a negative event in the count, no longer a sign by itself.
    const open = (answered === null && t > respondBy) || (resolved === null && t > resolveBy);
    const late = open || (answered !== null && answered > respondBy) || (resolved !== null && resolved > resolveBy);
    if (open) overdue++;
    if (late) unhandled++;
    else handled++;
  }
  // Every complaint is a negative contact in the count, as in the baseline it is tested against
  // (handled or not); handling decides whether it is also a sign of leaving (classify).
  const negativeCount = windowSum(v, x - wn, x, NEGATIVE) + unhandled + handled;
  const negativeOk = fi !== null && x - wn - fi + 1 >= p.minBaselineDays;
  const negative = {
    count: negativeCount,
    expected: expNegative,
    windowDays: wn,
    p: negativeOk ? poissonUpper(negativeCount, expNegative) : null,
    unhandled,
    overdue,
    complaints: unhandled + handled,
  };

  const since = (days: number) => t - days * DAY_MS;
  const recent = c.pulses.filter((q) => q.at <= t && q.at > since(p.satisfactionWindowDays)).map((q) => q.score);
  const sat = c.satisfaction;
  return {
    ended: c.endedAt !== null && c.endedAt <= t,
    activity,
    cadence,
    positive,
    negative,
    satisfaction: {
      recent,
      mean: recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : null,
      base: sat.b > 0 ? sat.a / sat.b : null,
    },
    alternatives: c.alternatives.filter((a) => a <= t && a > since(p.alternativeWindowDays)).length,
    broken: ctx.brokenTimes.filter((b) => b <= t && b > since(p.brokenPromiseDays)).length,
    evidence: { ...contactEvidence(v, x, t), activity: lazy(() => activityEvidence(v, x)), leaving: lazy(() => leavingEvidence(v, x, t)) },
  };
}

/**
 * Evidence that tells a client deciding to leave from a repairable thaw, beyond the volume
 * (activityEvidence): both show more negative contacts and fewer positive ones, so those cancel
 * out of the likelihood ratio of leaving against a thaw; what remains is how deep satisfaction
 * falls and how the complaints were handled. Over the last `evidenceLeavingWindowDays` days, each
 * as a log-likelihood ratio (natural log) of leaving against a thaw, maximised over the latest
 * items (Page's CUSUM over the items, as contactEvidence over days):
 * - a pulse: Gaussian (sd evidencePulseSd) around `evidenceLeavingPulseDrop` (d_L) below the
 *   client's usual mean μ when leaving against `evidenceThawPulseDrop` (d_T) below it in a thaw:
 *   (d_L − d_T)/σ²·(μ − (d_L + d_T)/2 − score);
 * - a complaint, once its handling is known: late (answered or resolved after the policy's time,
 *   or still open past it) with probability `evidenceLateShareLeaving` when leaving against
 *   `evidenceLateShareThaw` in a thaw (a Bernoulli likelihood ratio); one still within its times
 *   says nothing yet.
 */
function leavingEvidence(v: View, x: number, t: number): { pulses: number; handling: number } {
  const c = v.c;
  const policy = v.policy;
  const p = policy.churn;
  const from = t - p.evidenceLeavingWindowDays * DAY_MS;
  const items: { at: number; pulse: number; handling: number }[] = [];
  const sat = c.satisfaction;
  const mu = sat.b >= p.minExpected ? sat.a / sat.b : null;
  const dT = p.evidenceThawPulseDrop;
  const dL = p.evidenceLeavingPulseDrop;
  const k = (dL - dT) / (p.evidencePulseSd * p.evidencePulseSd);
  if (mu !== null && dL > dT)
    for (const q of c.pulses) if (q.at <= t && q.at > from) items.push({ at: q.at, pulse: k * (mu - (dL + dT) / 2 - q.score), handling: 0 });
  const qL = p.evidenceLateShareLeaving;
  const qT = p.evidenceLateShareThaw;
  const lateLlr = Math.log(qL / qT);
  const onTimeLlr = Math.log((1 - qL) / (1 - qT));
  for (const k2 of c.complaints) {
    if (k2.at > t || k2.at <= from) continue;
    const answered = k2.answered !== null && k2.answered <= t ? k2.answered : null;
    const resolved = k2.resolved !== null && k2.resolved <= t ? k2.resolved : null;
    const respondBy = k2.at + policy.firstResponseHours * HOUR_MS;
    const resolveBy = k2.at + policy.resolutionDays * DAY_MS;
    const late =
      (answered === null ? t > respondBy : answered > respondBy) || (resolved === null ? t > resolveBy : resolved > resolveBy);
    const onTime = !late && answered !== null && resolved !== null;
    if (late || onTime) items.push({ at: k2.at, pulse: 0, handling: late ? lateLlr : onTimeLlr });
  }
  // Latest first: the largest sum over the latest items (a CUSUM read back from today).
  items.sort((a, b) => b.at - a.at);
  let sp = 0;
  let sh = 0;
  let best = { pulses: 0, handling: 0 };
  for (const it of items) {
    sp += it.pulse;
    sh += it.handling;
    if (sp + sh > best.pulses + best.handling) best = { pulses: sp, handling: sh };
  }
  return best;
}

/** Which signals fire, and the stage they make, with entry (`stay` false) or stay thresholds. */
interface Reading {
  level: number;
  fired: Set<string>;
  /** Signals that fired on the accumulated evidence only (their measure reports the evidence's window). */
  byEvidence: Set<string>;
}

function classify(s: DayStats, policy: Policy, stay: boolean): Reading {
  const p = policy.churn;
  const f = stay ? p.stayFactor : 1;
  const margin = stay ? p.stayRatioMargin : 0;
  const below = (x: number | null, alpha: number) => x !== null && x < alpha * f;
  const fired = new Set<string>();
  let signs = 0;

  const activityThaw = below(s.activity.p, p.activityProbability) && s.activity.ratio < p.thawingActivityRatio + margin;
  const activitySwitch = below(s.activity.p, p.switchingProbability) && s.activity.ratio < p.switchingActivityRatio + margin;
  const cad = s.cadence;
  const cadenceThaw = cad.p !== null && cad.days >= 2 * cad.gap && below(cad.p, p.activityProbability);
  // The silence is tested again at every gap, so a switch read from it alone is held to a
  // year's false-alarm rate: switchingProbability × the share of a year one gap is (Bonferroni
  // over the year's gaps); otherwise a frequent or long-standing client would see one chance
  // silence a year called a switch.
  const perYear = Math.min(1, cad.gap / 365);
  const cadenceSwitch = cad.p !== null && cad.days >= p.switchingGaps * cad.gap && cad.days >= p.switchingMinDays && below(cad.p, p.switchingProbability * perYear);
  const cadenceLost = cad.p !== null && cad.days >= p.lostGaps * cad.gap && cad.days >= p.lostMinDays && below(cad.p, p.lostProbability);
  if (activityThaw || activitySwitch) {
    fired.add('activity');
    signs++;
  }
  // Activity falling less improbably (below thawingProbability) is not a signal on its own, but
  // beside another signal it is converging evidence of leaving (checked below, once the other
  // signals are known).
  const activityWeak = !activityThaw && !activitySwitch && below(s.activity.p, p.thawingProbability) && s.activity.ratio < p.thawingActivityRatio + margin;
  if (cadenceThaw || cadenceSwitch || cadenceLost) fired.add('orderCadence');

  // Contacts: each tail on its own, or both together by Fisher's method (Fisher 1925, §21.1):
  // X = −2 ln(p₊·p₋) is χ² with 4 degrees of freedom, P(χ²₄ > X) = q(1 − ln q) for q = p₊·p₋.
  const pp = s.positive.p;
  const pn = s.negative.p;
  const n = s.negative;
  const q = pp !== null && pn !== null ? pp * pn : null;
  const together = q !== null && (pp as number) < 0.2 && (pn as number) < 0.2 && n.count >= 2 && below(q * (1 - Math.log(q)), p.thawingProbability);
  // Signs of leaving among complaints: more than one unhandled, or repeated ones (DESIGN §3).
  const negativeSign = n.overdue >= 2 || ((n.unhandled >= 2 || n.complaints >= p.repeatedComplaints) && below(pn, p.thawingProbability));
  // An unhandled complaint is a sign of leaving on its own (DESIGN §3 "Handling counts").
  if (n.overdue >= 1 || (n.count >= 2 && below(pn, p.thawingProbability)) || together || negativeSign) fired.add('negativeContacts');
  if (negativeSign) signs++;
  // Accumulated evidence of a persistent shift in contacts (contactEvidence): a threshold on a
  // log-likelihood ratio; staying needs ln(stayFactor) less, as a probability stayFactor × larger.
  const ev = s.evidence;
  const slack = stay ? Math.log(p.stayFactor) : 0;
  const byEvidence = new Set<string>();
  const positiveWeak = below(pp, fired.size > 0 ? p.thawingProbability : p.singleContactProbability) || together;
  if (ev.contacts >= p.evidenceThreshold - slack) {
    if (ev.negativePart > 0 && !fired.has('negativeContacts')) byEvidence.add('negativeContacts');
    if (ev.positivePart > 0 && !positiveWeak) byEvidence.add('positiveContacts');
    if (ev.satisfactionPart > 0) byEvidence.add('satisfaction');
    for (const k of byEvidence) fired.add(k);
  }

  // Satisfaction: the latest pulse low, or recent pulses well below the client's usual and below neutral.
  const sat = s.satisfaction;
  const latest = sat.recent.length ? sat.recent[sat.recent.length - 1] : null;
  const lowTwice = sat.recent.length >= 2 && sat.recent.slice(-2).every((x) => x <= p.lowSatisfaction);
  const dropped =
    sat.recent.length >= 2 && sat.mean !== null && sat.base !== null && sat.mean <= sat.base - p.satisfactionDrop && sat.mean < p.lowSatisfaction + 1;
  if ((latest !== null && latest <= p.lowSatisfaction) || dropped || lowTwice) {
    fired.add('satisfaction');
    byEvidence.delete('satisfaction');
  }
  if (lowTwice) signs++;

  if (s.alternatives > 0) {
    fired.add('alternativeSupplier');
    signs++;
  }
  if (s.broken > 0) fired.add('brokenPromises');
  if (s.ended) fired.add('relationshipEnded');
  // Fewer positive contacts with nothing else firing is a weak sign on its own: it needs the
  // stricter singleContactProbability; beside another signal it speaks at thawingProbability,
  // and with negative contacts both are combined (above).
  if (below(pp, fired.size > 0 ? p.thawingProbability : p.singleContactProbability) || together) {
    fired.add('positiveContacts');
    byEvidence.delete('positiveContacts');
  }

  const others = fired.size > (fired.has('orderCadence') ? 1 : 0) + (fired.has('activity') ? 1 : 0);
  if (activityWeak && others) {
    fired.add('activity');
    signs++;
  } else if (others && !fired.has('activity')) {
    // Leaving against a repairable thaw (activityEvidence, leavingEvidence): beside a signal that
    // something is wrong, volume falling, satisfaction falling deeper than a thaw's and complaints
    // handled late are read as one log-likelihood ratio (independent signs: the ratios add). Volume
    // past evidenceActivitySign is falling activity (a signal); the sum past evidenceAntiThreshold
    // is a sign of leaving.
    const vol = ev.activity();
    const lv = ev.leaving();
    if (vol.llr >= p.evidenceActivitySign - slack) {
      fired.add('activity');
      byEvidence.add('activity');
    }
    if (vol.raw + lv.pulses + lv.handling >= p.evidenceAntiThreshold - (stay ? p.evidenceLeavingStaySlack : 0)) signs++;
  }

  const activityFalling = activityThaw || cadenceThaw;
  // Converging evidence comes from distinct sources: volume and cadence are both the orders. Contacts
  // that fired on their accumulated evidence alone speak for THAWING but are no source for ANTI: a
  // repaired thaw shows the same shift in contacts as a client deciding to leave (the backtest).
  let contactsByEvidence = 0;
  for (const k of ['negativeContacts', 'positiveContacts', 'satisfaction']) if (byEvidence.has(k)) contactsByEvidence++;
  const sources = fired.size - (fired.has('activity') && fired.has('orderCadence') ? 1 : 0) - contactsByEvidence;
  const level =
    s.ended || cadenceLost
      ? 4
      : activitySwitch || cadenceSwitch || (s.alternatives > 0 && activityFalling)
        ? 3
        : signs >= 1 && sources >= 2
          ? 2
          : fired.size >= 1
            ? 1
            : 0;
  return { level, fired, byEvidence };
}

const ACTIONS: Record<ChurnStage, string[]> = {
  STABLE: ['Keep in regular contact and ask for satisfaction at the end of each interaction'],
  THAWING: [
    'Reach out now: the relationship can still be repaired',
    'Arrange a face-to-face meeting to hear what has gone wrong',
    'Ask for satisfaction at the end of each interaction, not only in surveys',
  ],
  ANTI: [
    'Escalate to senior management: the client is deciding to leave',
    'Meet face to face and listen: every small incident now weighs heavily',
    'Answer every complaint fast and resolve it completely',
  ],
  SWITCHING: [
    'Escalate now: most of the activity is moving to an alternative supplier',
    'Meet face to face with a concrete offer to win back the volume',
    'Settle every open complaint and promise before asking for more business',
  ],
  LOST: [
    'Hold an exit review face to face to learn what drove the decision',
    'Keep the door open: stay in touch without pressure',
    'Check your other clients for the same early signals',
  ],
};

/**
 * Ratio reported when nothing was expected but something was observed (a rise from nothing): JSON
 * has no Infinity, so a large finite number stands for it.
 */
export const RISE_RATIO = 999;

const perDay = (x: number, days: number) => (days > 0 ? x / days : 0);

function measuresOf(s: DayStats, reading: Reading, policy: Policy): ChurnMeasure[] {
  const fired = reading.fired;
  const ev = s.evidence;
  const pick = (name: string, classic: Test, evidence: Test): Test => (reading.byEvidence.has(name) ? evidence : classic);
  const p = policy.churn;
  const test = (name: string, t: Test): ChurnMeasure => ({
    name,
    shortRate: perDay(t.count, t.windowDays),
    baseline: perDay(t.expected, t.windowDays),
    ratio: t.expected > 0 ? t.count / t.expected : t.count > 0 ? RISE_RATIO : 1,
    count: t.count,
    expected: t.expected,
    windowDays: t.windowDays,
    probability: t.p,
    fired: fired.has(name),
  });
  const plain = (name: string, count: number, windowDays: number): ChurnMeasure => ({
    name,
    shortRate: perDay(count, windowDays),
    baseline: 0,
    ratio: count,
    count,
    expected: 0,
    windowDays,
    probability: null,
    fired: fired.has(name),
  });
  const sat = s.satisfaction;
  const cad = s.cadence;
  return [
    plain('relationshipEnded', s.ended ? 1 : 0, 0),
    test('activity', reading.byEvidence.has('activity') ? ev.activity().test : s.activity),
    {
      name: 'orderCadence',
      shortRate: cad.days,
      baseline: cad.gap,
      ratio: cad.gap > 0 ? cad.days / cad.gap : 1,
      count: cad.days,
      expected: cad.gap,
      windowDays: cad.days,
      probability: cad.p,
      fired: fired.has('orderCadence'),
    },
    plain('alternativeSupplier', s.alternatives, p.alternativeWindowDays),
    test('negativeContacts', pick('negativeContacts', s.negative, ev.negative)),
    {
      name: 'satisfaction',
      shortRate: sat.mean ?? 0,
      baseline: sat.base ?? 0,
      ratio: sat.mean !== null && sat.base ? sat.mean / sat.base : 1,
      count: sat.recent.length ? sat.recent[sat.recent.length - 1] : 0,
      expected: sat.base ?? 0,
      windowDays: p.satisfactionWindowDays,
      probability: null,
      fired: fired.has('satisfaction'),
    },
    test('positiveContacts', pick('positiveContacts', s.positive, ev.positive)),
    plain('brokenPromises', s.broken, p.brokenPromiseDays),
  ];
}

/**
 * The churn stage at asOf (ms). Runs the stage machine over the `memoryDays` days up to asOf
 * (each day read from the evidence known then), so hysteresis and dwell depend only on the
 * entries and asOf: a stage is entered on the entry thresholds and kept while the stay thresholds
 * hold; `announcedStage` is the latest stage that held for `dwellDays` days (what alerts follow).
 */
export function assessChurn(c: ChurnAcc, asOf: number, ctx: ChurnContext, policy: Policy): ChurnAssessment {
  const p = policy.churn;
  const v = viewFor(c, policy, asOf, ctx.head);
  let cur = -1;
  let runStage = -1;
  let runLength = 0;
  let announced = -1;
  let last: { stats: DayStats; reading: Reading } | null = null;
  for (let j = p.memoryDays; j >= 0; j--) {
    const stats = statsAt(v, asOf - j * DAY_MS, ctx);
    const enter = classify(stats, policy, false);
    const stay = classify(stats, policy, true);
    const next = cur < 0 ? enter.level : Math.max(enter.level, Math.min(cur, stay.level));
    if (announced < 0) announced = next;
    if (next === runStage) runLength++;
    else {
      runStage = next;
      runLength = 1;
    }
    if (runLength >= p.dwellDays) announced = runStage;
    cur = next;
    last = { stats, reading: next > enter.level ? stay : enter };
  }
  const { stats, reading } = last as { stats: DayStats; reading: Reading };
  const stage = STAGES[cur];
  const measures = measuresOf(stats, reading, policy);

  const actions = [...ACTIONS[stage]];
  if (stage !== 'STABLE' && stage !== 'LOST') {
    if (ctx.openRescheduledSupplierPromise)
      actions.push('Keep the renewed date of the rescheduled promise: missing it again is a severe breach');
    if (stats.broken > 0) actions.push('Own the broken promise: explain, apologise and agree a date you can keep');
    if (ctx.openComplaintsAgainstSupplier > 0)
      actions.push(`Answer the open complaints within ${policy.firstResponseHours} hours: response speed matters most`);
    if (c.lastSupplierHandover !== null && asOf - c.lastSupplierHandover <= p.alternativeWindowDays * DAY_MS)
      actions.push('Hand over with continuity: introduce the new representative in person and brief them on open issues');
  }
  return {
    stage,
    announcedStage: STAGES[announced],
    repairWindow: stage === 'THAWING',
    signals: measures.filter((m) => m.fired).map(({ fired: _fired, ...s }) => s),
    actions,
    measures,
  };
}
