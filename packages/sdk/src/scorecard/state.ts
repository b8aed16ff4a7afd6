import {
  type PromiseEvaluation,
  ATTESTABLE_TYPES,
  CONFIRMABLE_TYPES,
  type EntryType,
  type LedgerEntry,
  type Policy,
  type PolicyOverride,
  referencedSeq,
  resolvePolicy,
  type Side,
  DAY_MS,
  HOUR_MS,
  voidNeedsConsent,
  PROMISE_FOLLOW_UPS,
  SHARE_EPSILON,
  noticeTime,
} from '@trustledger/schema';
import { type BetaAcc, emptyBeta, type HalfLives } from './beta.ts';
import { addBroken, type ChurnAcc, churnEntry, emptyChurn } from './churn.ts';
import { type DecayedPair, halfLifeMs, timeMs } from './decay.ts';
import { deferReasons, resolveReasons } from './drivers.ts';
import { type GoalStanding, type MetricAcc, onGoalProposed, onGoalStatus, onMeasurement, onMetricAdded } from './goals.ts';
import { addTypical, evaluatePromiseOf, type OpenPromise, openPromise, promiseEvent, settlePromise, stakeOf } from './reliability.ts';
import { addResponseTime, firstResponse, type OpenComplaint, openComplaint, overdueComplaint, resolution } from './responsiveness.ts';
import { TimeQueue } from './queue.ts';
import { bundle, bundleKeyOf, claimStep, disputeStep, layItem, measurementEvidence, type PendingItem, scratchOf, settledAt, type Step, windowEnd } from './standing.ts';

/** One side's evidence as the trusted party. */
export interface SideAcc {
  reliability: BetaAcc;
  transparency: BetaAcc;
  responsiveness: BetaAcc;
  /** Histogram of first-response times (bucketed minutes → count) for the median. */
  firstResponse: Record<string, number>;
  /**
   * Typical amounts of its promises kept, for stakes: decayed Σ ln(amount) and count, per
   * "KIND:CUR" and per "CUR" (ISO 4217). Grows with the currencies used, not with the ledger.
   */
  typical?: Record<string, DecayedPair>;
}

/**
 * The engine's state for one relationship: a JSON-serialisable plain object whose size does not
 * grow with the number of settled entries. It holds decayed sums at a moving reference time,
 * top-k driver candidates, open promises and complaints, goals and per-metric sums, and the
 * churn signals. Times are milliseconds since the epoch.
 */
export interface ScoreState {
  /**
   * STATE_VERSION. 2: stakes, partial keeps and fading goal attainment; 3: settled complaints
   * kept for late follow-ups; 4: authorship and proposals (DESIGN §2a); 5: claimed and disputed
   * evidence held back by time; 6: the client's signals told by the supplier held back
   * (churnClaims, since withdrawn); 7: an agreed goal retired keeps its evidence; 8: no churnClaims.
   * A state of another version is rebuilt.
   */
  version: typeof STATE_VERSION;
  /** The supplier's firm id (from RELATIONSHIP_PROPOSED): who recorded an entry decides what it may say (DESIGN §2a). */
  supplierFirmId: string | null;
  /**
   * Proposals not (yet) accepted, which count for nothing: a promise written by its beneficiary, a
   * cancellation (seq → the promise's seq). An acceptance of one asks for a rebuild.
   */
  proposals: Record<string, number>;
  /** The policy the evidence was folded with. */
  policy: Policy;
  /** Whether the policy was given by the caller rather than taken from the ledger. */
  policyGiven: boolean;
  /**
   * The policies agreed in the ledger, by the time each acceptance was recorded (ms), oldest first
   * (DESIGN §2a "A policy applies from its acceptance forward"): evidence is judged by the one in
   * force when it arose (policyAt); half-lives, weights, bands and the churn detector are the
   * latest's (`policy`). Absent when none was agreed or the caller gave the policy.
   */
  policyLog?: [number, Policy][];
  head: { seq: number; hash: string } | null;
  minOccurredAt: number | null;
  maxOccurredAt: number | null;
  /** An entry was seen that the state cannot absorb: rebuild with foldLedger. */
  stale: boolean;
  promises: Record<string, OpenPromise>;
  complaints: Record<string, OpenComplaint>;
  /**
   * Complaints past both deadlines with no follow-up: their (negative) evidence is in the sums
   * and they are dropped from `complaints`, so the state does not grow with old complaints.
   * Counted here per side they were raised against, as still open.
   */
  settledOpen?: { SUPPLIER: number; CLIENT: number };
  /**
   * The most recently settled of those (at most SETTLED_KEPT, by complaint seq), kept small so a
   * late follow-up updates the state in O(1) instead of a refold: [against (0 supplier, 1
   * client), raised at (ms), answered (0 or 1)]. A follow-up for one no longer here asks for a
   * rebuild; a fold keeps every complaint it knows will be followed up.
   */
  settled?: Record<string, [number, number, number]>;
  /** No open complaint can be settled before this time (ms); spares the scan on most entries. */
  complaintsDueAt?: number | null;
  goals: Record<string, GoalStanding>;
  metrics: Record<string, MetricAcc>;
  sides: { SUPPLIER: SideAcc; CLIENT: SideAcc };
  churn: ChurnAcc;
  /**
   * Evidence held back by time (DESIGN §2a): claimed (self-serving, not yet attested) or under an
   * open dispute, whose weight changes when the attestation window passes or the dispute lapses.
   * Each is laid into the sums for good once the latest business time passes all its steps.
   * Evidence of the same side whose weights change at the same times (whole hours) is one bundle,
   * keyed by bundleKey, so this holds at most a bundle per hour of a window, not the ledger.
   */
  pending?: Record<string, PendingItem>;
  /** No pending item can be laid in for good before this time (ms). */
  pendingDueAt?: number | null;
}

/** The version of ScoreState this engine writes and reads (8: the client's signals no longer held back as claims; 7: an agreed goal retired keeps its evidence, DESIGN §2a). */
export const STATE_VERSION = 8;

/** Entry types that change the effect of earlier entries, so the state must be rebuilt from the ledger. */
export const REBUILD_TYPES: ReadonlySet<EntryType> = new Set<EntryType>([
  'ENTRY_VOIDED',
  'ENTRY_DISPUTED',
  'DISPUTE_WITHDRAWN',
  'ENTRY_CONFIRMED',
  'POLICY_ACCEPTED',
]);

const emptySide = (): SideAcc => ({ reliability: emptyBeta(), transparency: emptyBeta(), responsiveness: emptyBeta(), firstResponse: {}, typical: {} });

function emptyState(policy: Policy, policyGiven: boolean, supplierFirmId: string | null = null): ScoreState {
  return {
    version: STATE_VERSION,
    supplierFirmId,
    proposals: {},
    policy,
    policyGiven,
    head: null,
    minOccurredAt: null,
    maxOccurredAt: null,
    stale: false,
    promises: {},
    complaints: {},
    settledOpen: { SUPPLIER: 0, CLIENT: 0 },
    goals: {},
    metrics: {},
    sides: { SUPPLIER: emptySide(), CLIENT: emptySide() },
    churn: emptyChurn(),
  };
}

/** The state of an empty ledger (default policy). */
export const initialState = (): ScoreState => emptyState(resolvePolicy(), false);

/** The entry types scanLedger reads: follow-ups, policy acceptances, confirmations, disputes, withdrawals, voids. */
const SCANNED_TYPES: ReadonlySet<string> = new Set<EntryType>([
  'COMPLAINT_RESPONDED',
  'COMPLAINT_RESOLVED',
  'POLICY_ACCEPTED',
  'ENTRY_CONFIRMED',
  'ENTRY_DISPUTED',
  'DISPUTE_WITHDRAWN',
  'ENTRY_VOIDED',
]);

/** What a fold knows from the whole ledger before it starts: entries without effect, disputed promises, acceptances. */
export interface Knowledge {
  /** Voided entries, and entries under open dispute that carry no evidence of their own (goals, metrics, handovers; a disputed cancellation is declined). */
  skip: Set<number>;
  /** Promises whose PROMISE_MADE or a later entry of theirs is under open dispute: each dispute. */
  disputedPromises: Map<number, OpenDispute[]>;
  /** Evidence entries under open dispute (complaints, follow-ups, measurements, promise entries). */
  disputedAt: Map<number, OpenDispute>;
  /** Entries the other side attested: confirmed, or whose dispute was withdrawn or resolved as STANDS. */
  attested: Set<number>;
  /** The seq of each complaint's last follow-up (response, resolution): it stays open until then. */
  followUps: Map<number, number>;
  /** Per complaint: the earliest business time (ms) of any follow-up, and of a resolution (worked out when first asked). */
  followUpTimes: () => Map<number, { first: number; resolved: number }>;
  /** Proposals the other side accepted: promises written by their beneficiary, cancellations. */
  accepted: Set<number>;
  /** Entries the other side confirmed: they vouch for the entry's occurredAt (notice, speed). */
  confirmed: Set<number>;
}

/** The side of the firm that recorded an entry; null when the ledger does not say who the supplier is. */
export const actorSide = (supplierFirmId: string | null, e: LedgerEntry): Side | null =>
  supplierFirmId === null ? null : e.actorFirmId === supplierFirmId ? 'SUPPLIER' : 'CLIENT';

/** The supplier's firm id, from the ledger's RELATIONSHIP_PROPOSED. */
export function supplierOf(sorted: readonly LedgerEntry[]): string | null {
  const first = sorted.find((e) => e.type === 'RELATIONSHIP_PROPOSED');
  return first ? (first.payload as { supplierFirmId: string }).supplierFirmId : null;
}

/**
 * Reads voids, disputes, confirmations and acceptances and the policy in force from entries in
 * seq order (`scanned`, when given: the positions of the only entries of the types it reads, as
 * prepareFold lists them; `asOf`, when given, ms: only entries that occurred by then count, as if
 * the others were not given; `given`, the follow-ups prepareFold listed, which `scanned` then leaves out), keeping only those their author may record (DESIGN §2a, AUTHORSHIP): a confirmation
 * or dispute by the other side, a withdrawal by the disputer, a void by the recorder (at once while
 * voidNeedsConsent says so, else once the other side accepts it), a resolution once accepted. The
 * policy is the latest POLICY_PROPOSED accepted by a POLICY_ACCEPTED; `policies` lists each accepted
 * one with the time its acceptance was recorded, from which it judges evidence (policyAt).
 */
export function scanLedger(
  sorted: readonly LedgerEntry[],
  supplierFirmId: string | null = supplierOf(sorted),
  scanned?: readonly number[],
  asOf?: number,
  given?: FollowUps,
): { knowledge: Knowledge; accepted: PolicyOverride | null; policies: { from: number; policy: PolicyOverride }[]; disputes: DisputeRecord[] } {
  // With asOf, only entries that occurred by then count (seqs strictly increasing, as prepareFold checks).
  const within = (e: LedgerEntry): boolean => asOf === undefined || timeMs(e.occurredAt) <= asOf;
  // Entries are found by seq in the sorted array (index seq − 1 in a gapless ledger), so the scan
  // keeps only the few entries that refer to others.
  const find = (seq: number): LedgerEntry | undefined => {
    const direct = sorted[seq - 1];
    if (direct !== undefined && direct.seq === seq) return within(direct) ? direct : undefined;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = sorted[mid].seq;
      if (m === seq) return within(sorted[mid]) ? sorted[mid] : undefined;
      if (m < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const side = (e: LedgerEntry) => actorSide(supplierFirmId, e);
  const otherSideOf = (e: LedgerEntry, target: LedgerEntry) => side(e) === null || side(e) !== side(target);
  const voided = new Set<number>();
  const disputed = new Map<number, LedgerEntry>();
  const everDisputed = new Set<number>();
  const confirmed = new Set<number>();
  const accepted = new Set<number>();
  const referenced = new Set<number>();
  const attested = new Set<number>();
  const records = new Map<number, DisputeRecord>();
  const end = (target: number, by: LedgerEntry, state: 'WITHDRAWN' | 'RESOLVED', resolution: 'STANDS' | 'STRUCK' | null) => {
    const r = records.get(target);
    if (r && r.ended === null) r.ended = { state, bySeq: by.seq, at: noticeTime(by, false), resolution };
  };
  let policy: PolicyOverride | null = null;
  const policies: { from: number; policy: PolicyOverride }[] = [];
  const found = new Map<number, number>();
  const followUpEntries: LedgerEntry[] = [];
  let referencedUpTo = 0;
  // Only these types refer to other entries here: the payload of any other is not read, and
  // when the caller listed their positions (prepareFold), no other entry is read at all.
  const count = scanned === undefined ? sorted.length : scanned.length;
  for (let j = 0; j < count; j++) {
    const i = scanned === undefined ? j : scanned[j];
    const e = sorted[i];
    const type = e.type;
    if (!SCANNED_TYPES.has(type) || !within(e)) continue;
    const p = e.payload as { entrySeq?: number; policySeq?: number; outcome?: string };
    const target = p.entrySeq === undefined ? undefined : find(p.entrySeq);
    if (type === 'COMPLAINT_RESPONDED' || type === 'COMPLAINT_RESOLVED') {
      found.set((e.payload as { interactionSeq: number }).interactionSeq, e.seq);
      followUpEntries.push(e);
    } else if (type === 'POLICY_ACCEPTED') {
      const proposal = find(p.policySeq as number);
      const proposed = proposal?.type === 'POLICY_PROPOSED' ? (proposal.payload as { policy?: PolicyOverride }).policy : undefined;
      if (proposed) {
        policy = proposed;
        policies.push({ from: timeMs(noticeTime(e, false)), policy: proposed });
      }
    } else if (target !== undefined && !voided.has(target.seq)) {
      const t = target.seq;
      if (type === 'ENTRY_CONFIRMED') {
        if (CONFIRMABLE_TYPES.has(target.type) && otherSideOf(e, target) && !disputed.has(t) && !confirmed.has(t)) {
          confirmed.add(t);
          const tp = target.payload as { entrySeq?: number; outcome?: string; promisor?: Side };
          if (target.type === 'PROMISE_MADE' || target.type === 'PROMISE_CANCELLED') accepted.add(t);
          else if (target.type === 'ENTRY_VOIDED' && tp.entrySeq !== undefined) {
            voided.add(tp.entrySeq);
            // The recorder's void, with consent, ends a dispute of the entry.
            if (disputed.delete(tp.entrySeq)) end(tp.entrySeq, e, 'RESOLVED', 'STRUCK');
          } else if (target.type === 'DISPUTE_RESOLVED' && tp.entrySeq !== undefined && disputed.has(tp.entrySeq)) {
            if (tp.outcome === 'STRUCK') voided.add(tp.entrySeq);
            else attested.add(tp.entrySeq);
            disputed.delete(tp.entrySeq);
            end(tp.entrySeq, e, 'RESOLVED', tp.outcome === 'STRUCK' ? 'STRUCK' : 'STANDS');
          }
        }
      } else if (type === 'ENTRY_DISPUTED') {
        if (ATTESTABLE_TYPES.has(target.type) && otherSideOf(e, target) && !everDisputed.has(t) && !confirmed.has(t)) {
          disputed.set(t, e);
          everDisputed.add(t);
          const reason = (e.payload as { reason?: string }).reason;
          records.set(t, { seq: e.seq, entrySeq: t, raisedBy: side(e), raisedAt: noticeTime(e, false), reason: reason ?? null, ended: null });
        }
      } else if (type === 'DISPUTE_WITHDRAWN') {
        const dispute = disputed.get(t);
        if (dispute && (side(e) === null || side(e) === side(dispute))) {
          disputed.delete(t);
          attested.add(t);
          end(t, e, 'WITHDRAWN', null);
        }
      } else if (type === 'ENTRY_VOIDED') {
        // The entries referred to before this void (only a void asks, so only a ledger with voids lists them).
        for (; referencedUpTo < i; referencedUpTo++) {
          if (!within(sorted[referencedUpTo])) continue;
          const ref = referencedSeq(sorted[referencedUpTo].payload);
          if (ref !== null) referenced.add(ref);
        }
        const byRecorder = side(e) === null || side(e) === side(target);
        // A promise's follow-up is judged by its promise's due time (the promise precedes it, so it is within asOf).
        const promiseDueAt = PROMISE_FOLLOW_UPS.has(target.type) ? (find((target.payload as { promiseSeq: number }).promiseSeq)?.payload as { dueAt?: string } | undefined)?.dueAt : null;
        if ((ATTESTABLE_TYPES.has(target.type) || target.type === 'DISPUTE_RESOLVED') && byRecorder && !voidNeedsConsent(target, referenced.has(t), e.recordedAt, promiseDueAt))
          voided.add(t);
      }
    }
  }
  for (const seq of confirmed) attested.add(seq);
  const skip = new Set<number>(voided);
  const disputedPromises = new Map<number, OpenDispute[]>();
  const disputedAt = new Map<number, OpenDispute>();
  // A dispute is a state, not an eraser (DESIGN §2a): disputed evidence still counts, weighed by
  // the policy until the dispute lapses; only entries that carry no evidence are set aside.
  for (const [seq, dispute] of disputed) {
    if (voided.has(seq)) continue;
    const target = find(seq) as LedgerEntry;
    const seen: OpenDispute = { at: timeMs(noticeTime(dispute, false)), by: side(dispute) };
    // Disputing a cancellation (a proposal) declines it; the promise itself is not disputed.
    if (target.type === 'PROMISE_CANCELLED' || target.type === 'GOAL_PROPOSED' || target.type === 'METRIC_ADDED' || target.type === 'REPRESENTATIVE_HANDOVER') {
      skip.add(seq);
      continue;
    }
    disputedAt.set(seq, seen);
    const promiseSeq = target.type === 'PROMISE_MADE' ? seq : target.type.startsWith('PROMISE_') ? (target.payload as { promiseSeq: number }).promiseSeq : null;
    if (promiseSeq !== null) {
      const list = disputedPromises.get(promiseSeq);
      if (list) list.push(seen);
      else disputedPromises.set(promiseSeq, [seen]);
    }
  }
  // The times of the follow-ups that count (not voided), by the rule firstResponse applies
  // (followUpTime): worked out the first time a fold asks (only for a complaint followed up after
  // it could be settled, which most ledgers never have).
  let listed: Map<number, { first: number; resolved: number }> | null = null;
  const followUpTimes = (): Map<number, { first: number; resolved: number }> => {
    if (listed !== null) return listed;
    listed = new Map();
    for (const e of given?.entries ?? followUpEntries) {
      if (skip.has(e.seq)) continue;
      const c = (e.payload as { interactionSeq: number }).interactionSeq;
      const complaint = find(c);
      if (complaint?.type !== 'INTERACTION_RECORDED') continue;
      const raisedBy = (complaint.payload as { initiatedBy: Side }).initiatedBy;
      const at = followUpTime(e, raisedBy === 'SUPPLIER' ? 'CLIENT' : 'SUPPLIER', side(e), attested.has(e.seq));
      const times = listed.get(c) ?? { first: Number.POSITIVE_INFINITY, resolved: Number.POSITIVE_INFINITY };
      times.first = Math.min(times.first, at);
      if (e.type === 'COMPLAINT_RESOLVED') times.resolved = Math.min(times.resolved, at);
      listed.set(c, times);
    }
    return listed;
  };
  const followUps = given?.followUps ?? found;
  const disputes = [...records.values()].sort((a, b) => a.seq - b.seq);
  return { knowledge: { skip, disputedPromises, disputedAt, attested, followUps, followUpTimes, accepted, confirmed }, accepted: policy, policies, disputes };
}

/** An open dispute as a fold knows it: raised at (ms, the server's clock), by which side (null: unknown). */
export interface OpenDispute {
  at: number;
  by: Side | null;
}

/** A dispute as the ledger records it (scanLedger): raised by an ENTRY_DISPUTED its author may record, and how it ended, if it did. */
export interface DisputeRecord {
  /** The ENTRY_DISPUTED's seq. */
  seq: number;
  /** The disputed entry's seq. */
  entrySeq: number;
  raisedBy: Side | null;
  /** When the other side could see it: the server's clock (recordedAt, or occurredAt if later). */
  raisedAt: string;
  reason: string | null;
  /** Withdrawn by its raiser, or resolved by an accepted resolution (or the recorder's void with consent: STRUCK). */
  ended: { state: 'WITHDRAWN' | 'RESOLVED'; bySeq: number; at: string; resolution: 'STANDS' | 'STRUCK' | null } | null;
}

/**
 * When a complaint's follow-up counts as given (ms; DESIGN §2a "a complaint's first response counts
 * from the time it was recorded"): recorded by the side complained against, the server's clock
 * (recordedAt, or occurredAt if later) unless the complainant attested it; recorded by the
 * complainant itself, its occurredAt. `occurred`: the entry's occurredAt in ms, when the caller has it.
 */
export function followUpTime(e: LedgerEntry, against: Side, by: Side | null, attested: boolean, occurred: number = timeMs(e.occurredAt)): number {
  if (attested || (by !== null && by !== against)) return occurred;
  return seenAt(e, occurred);
}

/** The server's-clock time (ms) an entry could first be seen: recordedAt, or occurredAt (`occurred`, ms) if later (noticeTime, as a number). */
function seenAt(e: LedgerEntry, occurred: number): number {
  const recorded = timeMs(e.recordedAt);
  return recorded > occurred ? recorded : occurred;
}

/**
 * The claim and dispute steps of one evidence entry about side `scored` (DESIGN §2a): claimed when
 * `selfServing` and not attested; disputed per the knowledge. `seenMs`: seenAt of the entry when
 * the caller has it already (NaN: worked out here).
 */
function stepsOf(state: ScoreState, e: LedgerEntry, at: number, k: Knowledge | null, scored: Side, selfServing: boolean, disputes = true, seenMs = Number.NaN): Step[] {
  const claimed = selfServing && !k?.attested.has(e.seq);
  const disputed = disputes ? k?.disputedAt.get(e.seq) : undefined;
  if (disputed === undefined) {
    if (!claimed) return NO_STEPS;
    const seen = seenMs === seenMs ? seenMs : seenAt(e, at);
    return claimOnly(policyAt(state, seen), seen);
  }
  const steps: Step[] = [];
  if (claimed) {
    const seen = seenMs === seenMs ? seenMs : seenAt(e, at);
    steps.push(claimStep(policyAt(state, seen), seen));
  }
  steps.push(disputeStep(policyAt(state, disputed.at), disputed, scored));
  return steps;
}

/**
 * The steps of evidence under no step (stepsOf), shared: a caller reads steps, never changes them
 * (a list with more steps is a new one), and stores none that is empty.
 */
const NO_STEPS: Step[] = [];

/**
 * The steps of a claim alone (stepsOf: [claimStep]), shared by consecutive claims with the same
 * weight and window end (most claims of an hour): steps are only read once made, so two pieces of
 * evidence under equal steps may hold the same list. Spares two arrays per claim.
 */
function claimOnly(policy: Policy, seen: number): Step[] {
  const weight = policy.attestation.claimWeight;
  const until = windowEnd(seen, policy.attestation.windowDays);
  if (lastClaim === null || lastClaim[0][0] !== weight || lastClaim[0][2] !== until) lastClaim = [[weight, 1, until, 0]];
  return lastClaim;
}
let lastClaim: Step[] | null = null;

/**
 * Evidence under time-bound weights (DESIGN §2a): laid into the sums at once when every step has
 * passed the latest business time the state holds (no asOf it can answer sees it weigh less),
 * else held in `pending` until then.
 */
function holdBack(state: ScoreState, item: PendingItem, h: HalfLives): void {
  const until = settledAt(item.steps);
  const now = state.maxOccurredAt;
  if (now !== null && until <= now) {
    layItem(item, state.sides, state.metrics, now, h);
    return;
  }
  const b = bundleOf(state, item.side, item.steps, until);
  bundle(b, item, h);
  state.pendingDueAt = state.pendingDueAt == null ? until : Math.min(state.pendingDueAt, until);
}

/**
 * Where evidence of side `side` held back under `steps` is captured when it is not laid in at
 * once: straight into the pending bundle it joins (created as holdBack creates it), seen as a side
 * whose Beta accumulators are the bundle's (`promise`: reliability and transparency, else
 * responsiveness) and whose response times and typical amounts are the real side's, as scratchFor's.
 * For evidence that adds to each accumulator at most once, this gives the very sums and
 * candidates that capturing it apart and bundling it gives (the scratch's sums start empty, and a
 * candidate bundled at full weight is the same one). Null when it is laid in at once.
 */
function bundleSide(state: ScoreState, side: Side, steps: Step[], real: SideAcc, promise: boolean): SideAcc | null {
  const until = settledAt(steps);
  const now = state.maxOccurredAt;
  if (now !== null && until <= now) return null;
  const b = bundleOf(state, side, steps, until);
  state.pendingDueAt = state.pendingDueAt == null ? until : Math.min(state.pendingDueAt, until);
  if (promise) {
    const reliability = (b.reliability ??= emptyBeta());
    const transparency = (b.transparency ??= emptyBeta());
    return { reliability, transparency, responsiveness: UNUSED, firstResponse: real.firstResponse, typical: real.typical };
  }
  return { reliability: UNUSED, transparency: UNUSED, responsiveness: (b.responsiveness ??= emptyBeta()), firstResponse: real.firstResponse, typical: real.typical };
}

/**
 * The pending bundle of a side and steps (bundleKey), created when there is none (held in the
 * state's `pending`, and queued for its release at `until`, settledAt of the steps). The key's
 * look-up is spared when the state cannot hold it: for a `pending` this process made, the latest
 * window end of each side's one-step bundles made in it is known (bundleEnds), and a one-step
 * bundle ending later is new (nothing but releasePending removes a bundle, and only once its end
 * has passed: a bundle whose end is still ahead is where it was put).
 */
function bundleOf(state: ScoreState, side: Side, steps: Step[], until: number): PendingItem {
  if (folding !== null && folding.state === state) return foldBundle(folding, side, steps, until);
  let pending = state.pending;
  if (pending === undefined) {
    pending = state.pending = {};
    bundleEnds.set(pending, { SUPPLIER: Number.NEGATIVE_INFINITY, CLIENT: Number.NEGATIVE_INFINITY });
  }
  const ends = steps.length === 1 ? bundleEnds.get(pending) : undefined;
  const fresh = ends !== undefined && until > ends[side];
  const key = bundleKeyOf(side, steps, fresh);
  let b = fresh ? undefined : pending[key];
  if (b === undefined) {
    b = pending[key] = { side, steps };
    pendingQueues.get(pending)?.push(until, key);
    if (ends !== undefined && until > ends[side]) ends[side] = until;
  }
  return b;
}

/**
 * The pending bundles of the state foldUpTo is folding, held in a Map by bundleKey while it runs
 * (in the order the state's `pending` would list them: made, or made again after a release, last)
 * and written into `pending` when it ends (writePending). Adding a fresh string key to an object
 * makes V8 intern it (~1 µs; a fold makes a bundle per hour of claims), a Map only hashes it. The
 * state's `pending` is made (empty) when the first bundle is, so the state lists it in its place.
 */
interface Folding {
  state: ScoreState;
  bundles: Map<string, PendingItem>;
  /** The bundles' keys by their release time (settledAt), as pendingQueue keeps them. */
  queue: TimeQueue<string>;
  /** The latest end of each side's one-step bundles made (bundleEnds). */
  ends: Record<Side, number>;
}
let folding: Folding | null = null;

function foldBundle(f: Folding, side: Side, steps: Step[], until: number): PendingItem {
  const state = f.state;
  state.pending ??= {};
  const one = steps.length === 1;
  const fresh = one && until > f.ends[side];
  const key = bundleKeyOf(side, steps, fresh);
  let b = fresh ? undefined : f.bundles.get(key);
  if (b === undefined) {
    b = { side, steps };
    f.bundles.set(key, b);
    f.queue.push(until, key);
    if (fresh) f.ends[side] = until;
  }
  return b;
}

/** releasePending while foldUpTo folds the state (Folding): the same bundles laid in, in the same order. */
function releaseFolded(f: Folding, now: number, h: HalfLives): void {
  const state = f.state;
  const bundles = f.bundles;
  const q = f.queue;
  const due: string[] = [];
  while (q.peekTime() <= now) {
    const key = q.pop() as string;
    if (bundles.has(key)) due.push(key);
  }
  while (q.size > 0 && !bundles.has(q.peekKey() as string)) q.pop();
  if (due.length > 1) sortFew(due, byCodeUnits);
  for (const key of due) {
    layItem(bundles.get(key) as PendingItem, state.sides, state.metrics, now, h);
    bundles.delete(key);
  }
  state.pendingDueAt = q.size > 0 ? q.peekTime() : null;
}

/**
 * Sorts a few keys in place by insertion, in the order `keys.sort(compare)` gives (stable, as sort
 * is), without the copies a sort makes: the few keys due at one release. More than 32 go to sort.
 * `compare` is one of the module's comparators below, not a closure made per call.
 */
function sortFew(keys: string[], compare: (a: string, b: string) => number): void {
  if (keys.length > 32) {
    keys.sort(compare);
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i;
    while (j > 0 && compare(keys[j - 1], key) > 0) {
      keys[j] = keys[j - 1];
      j--;
    }
    keys[j] = key;
  }
}

/** UTF-16 code units, the order of sort without a comparator (bundle keys). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** By the integer the key spells (complaint seqs as text). */
const byNumber = (a: string, b: string): number => Number(a) - Number(b);

/** Writes the bundles a fold held (Folding) into its state's `pending`, in their order. */
function writePending(f: Folding): void {
  const pending = f.state.pending;
  if (pending === undefined) return;
  for (const [key, b] of f.bundles) pending[key] = b;
}

/** Per `pending` object this process made (bundleOf), the latest end of each side's one-step bundles made in it. A memo of this process only. */
const bundleEnds = new WeakMap<Record<string, PendingItem>, Record<Side, number>>();

/** An accumulator a bundle's side view does not use (bundleSide). */
const UNUSED: BetaAcc = emptyBeta();

/**
 * Where a promise's evidence held back under `steps` (judged as `ev`) is captured: its bundle
 * (bundleSide), unless a renewed date missed after notice makes two slips of one promise (two
 * additions), or it is laid in at once: then the scratch side, which holdBack lays or bundles.
 */
function promiseSink(state: ScoreState, promisor: Side, steps: Step[], side: SideAcc, ev: PromiseEvaluation): SideAcc {
  if (ev.outcome === 'BROKEN_AFTER_RESCHEDULE' && ev.noticeGiven) return scratchFor(side);
  return bundleSide(state, promisor, steps, side, true) ?? scratchFor(side);
}

/**
 * The keys of a state's `pending` by the time each is laid in for good (settledAt of its steps),
 * built from the object the first time a release needs it and kept by holdBack and releasePending,
 * the only writers of `pending`: a release then costs the bundles due, not every bundle held
 * (scanning them all at each release was most of a fold on a busy ledger). A memo of this process
 * only: the state does not change with it, and a state read from JSON builds it anew.
 */
const pendingQueues = new WeakMap<Record<string, PendingItem>, TimeQueue<string>>();

function pendingQueue(pending: Record<string, PendingItem>): TimeQueue<string> {
  let q = pendingQueues.get(pending);
  if (q === undefined) {
    q = new TimeQueue<string>();
    for (const key in pending) q.push(settledAt(pending[key].steps), key);
    pendingQueues.set(pending, q);
  }
  return q;
}

/**
 * The fold's scratch side (scratchOf) for evidence held back, reused from one entry to the next:
 * holdBack copies what it captured into a pending bundle or the sums, so nothing keeps it, and
 * a claim no longer allocates three Beta accumulators that live for one entry.
 */
let scratch: SideAcc | null = null;

function scratchFor(side: SideAcc): SideAcc {
  if (scratch === null) return (scratch = scratchOf(side));
  resetBeta(scratch.reliability);
  resetBeta(scratch.transparency);
  resetBeta(scratch.responsiveness);
  scratch.firstResponse = side.firstResponse;
  if (side.typical) scratch.typical = side.typical;
  else delete scratch.typical;
  return scratch;
}

function resetBeta(acc: BetaAcc): void {
  acc.pos.v = acc.pos.t = acc.neg.v = acc.neg.t = 0;
  acc.cpos.v = acc.cpos.t = acc.cneg.v = acc.cneg.t = 0;
  acc.n = 0;
  acc.items = undefined;
  acc.topPos.length = 0;
  acc.topNeg.length = 0;
}

/** Lays in, for good, pending evidence whose steps have all passed the latest business time. */
function releasePending(state: ScoreState, h: HalfLives): void {
  const now = state.maxOccurredAt;
  const pending = state.pending;
  if (now === null || state.pendingDueAt == null || now < state.pendingDueAt || !pending) return;
  if (folding !== null && folding.state === state) return releaseFolded(folding, now, h);
  const q = pendingQueue(pending);
  const due: string[] = [];
  while (q.peekTime() <= now) {
    const key = q.pop() as string;
    if (key in pending) due.push(key);
  }
  while (q.size > 0 && !((q.peekKey() as string) in pending)) q.pop();
  // Laid in in pendingKeys' order, as every path lays them.
  if (due.length > 1) sortFew(due, byCodeUnits);
  for (const key of due) {
    layItem(pending[key], state.sides, state.metrics, now, h);
    delete pending[key];
  }
  state.pendingDueAt = q.size > 0 ? q.peekTime() : null;
}

/**
 * The policy that judges evidence arising at `t` (ms): the one whose acceptance was recorded last at
 * or before t, the defaults before any (DESIGN §2a); the caller's policy when it gave one.
 */
export function policyAt(state: Pick<ScoreState, 'policy' | 'policyLog'>, t: number): Policy {
  const log = state.policyLog;
  if (!log || log.length === 0) return state.policy;
  let found: Policy | null = null;
  for (const [from, p] of log) {
    if (from > t) break;
    found = p;
  }
  return found ?? (DEFAULT_RESOLVED ??= resolvePolicy());
}
let DEFAULT_RESOLVED: Policy | null = null;

/** The half-lives of a policy (ms), kept for the last policy asked: a fold asks with the same one for every entry. */
function halfLives(policy: Policy): HalfLives {
  if (policy !== lastPolicy || lastHalfLives === null) {
    lastHalfLives = { hp: halfLifeMs(policy.halfLifeDays.positive), hn: halfLifeMs(policy.halfLifeDays.negative) };
    lastPolicy = policy;
  }
  return lastHalfLives;
}
let lastPolicy: Policy | null = null;
let lastHalfLives: HalfLives | null = null;

/** Applies one entry to the state in place. `k` is the fold's knowledge; null for a new entry. */
export function absorb(state: ScoreState, e: LedgerEntry, k: Knowledge | null): void {
  state.head = { seq: e.seq, hash: e.hash };
  absorbAt(state, e, k, timeMs(e.occurredAt));
}

/** absorb without moving the head, the entry's occurredAt given as `at` (ms): a fold sets the head once, from its last entry. */
function absorbAt(state: ScoreState, e: LedgerEntry, k: Knowledge | null, at: number): void {
  if (Number.isNaN(at)) return;
  if (state.maxOccurredAt === null || at > state.maxOccurredAt) state.maxOccurredAt = at;
  if (state.minOccurredAt === null || at < state.minOccurredAt) state.minOccurredAt = at;
  if (k?.skip.has(e.seq)) return;
  const policy = state.policy;
  const h = halfLives(policy);
  switch (e.type) {
    case 'RELATIONSHIP_PROPOSED':
      state.supplierFirmId ??= (e.payload as { supplierFirmId: string }).supplierFirmId;
      break;
    case 'RELATIONSHIP_ENDED':
      break;
    case 'GOAL_PROPOSED':
      onGoalProposed(state, e as LedgerEntry<'GOAL_PROPOSED'>);
      break;
    case 'METRIC_ADDED':
      onMetricAdded(state, e as LedgerEntry<'METRIC_ADDED'>);
      break;
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED':
    case 'GOAL_RETIRED':
      onGoalStatus(state, (e.payload as { goalSeq: number }).goalSeq, e.type);
      break;
    case 'MEASUREMENT_RECORDED': {
      const m = e as LedgerEntry<'MEASUREMENT_RECORDED'>;
      const metric = state.metrics[`${m.payload.metricSeq}:${m.payload.metricIndex}`];
      const by = actorSide(state.supplierFirmId, e);
      // Recorded by the side accountable for the metric, a measurement is a claim (DESIGN §2a).
      const steps = metric ? stepsOf(state, e, at, k, metric.side, by !== null && by === metric.side) : [];
      onMeasurement(state, m, at, h, steps.length > 0 ? (side, x) => holdBack(state, { side, steps, metrics: { [x.key]: measurementEvidence(x, h) } }, h) : undefined);
      break;
    }
    case 'PROMISE_MADE': {
      const by = actorSide(state.supplierFirmId, e);
      // Written by its beneficiary, a promise is a proposal until the promisor accepts it (DESIGN §2a).
      if (by !== null && by !== (e as LedgerEntry<'PROMISE_MADE'>).payload.promisor && !k?.accepted.has(e.seq)) {
        state.proposals[String(e.seq)] = e.seq;
        break;
      }
      {
        const promisor = (e as LedgerEntry<'PROMISE_MADE'>).payload.promisor;
        state.promises[e.seq] = openPromise(e as LedgerEntry<'PROMISE_MADE'>, k?.disputedPromises.get(e.seq)?.map((d) => disputeStep(policyAt(state, d.at), d, promisor)));
      }
      break;
    }
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED': {
      const promiseSeq = (e.payload as { promiseSeq: number }).promiseSeq;
      // Keyed by the number (the same property as its digits), which spares reading a fresh string as an index.
      const key = promiseSeq;
      const p = state.promises[key];
      if (!p) break;
      // A cancellation is a proposal until the other side accepts it.
      if (e.type === 'PROMISE_CANCELLED' && !k?.accepted.has(e.seq)) {
        state.proposals[String(e.seq)] = promiseSeq;
        break;
      }
      // Only the promisor reschedules (AUTHORSHIP).
      const by = actorSide(state.supplierFirmId, e);
      if (e.type === 'PROMISE_RESCHEDULED' && by !== null && by !== p.promisor) break;
      const ev = promiseEvent(e, k?.confirmed.has(e.seq) ?? false, e.type === 'PROMISE_BROKEN' && by !== null && by !== p.promisor);
      if (!ev) break;
      const side = state.sides[p.promisor];
      const delivered = p.delivered ?? 0;
      // Judged by the policy in force when the promise was made.
      const pp = state.policyLog === undefined || state.policyLog.length === 0 ? state.policy : policyAt(state, timeMs(p.made.occurredAt));
      // A keep recorded by its promisor is a claim until attested (DESIGN §2a); the promise's disputes weigh on all its evidence.
      const own = stepsOf(state, e, at, k, p.promisor, e.type === 'PROMISE_KEPT' && by !== null && by === p.promisor, false);
      const steps = p.steps === undefined ? own : [...p.steps, ...own];
      if (ev.type === 'PROMISE_KEPT' && ev.share !== undefined) {
        if (delivered + ev.share < 1 - SHARE_EPSILON) {
          // A part delivered: judged now as if the promise were kept at this time, the rest stays open.
          p.stake ??= stakeOf(side, p, pp);
          const part = evaluatePromiseOf({ ...p, events: [...p.events, { type: ev.type, seq: ev.seq, occurredAt: ev.occurredAt, inFull: true }] }, e.occurredAt, pp);
          const sink = steps.length > 0 ? promiseSink(state, p.promisor, steps, side, part) : side;
          settlePromise(sink, p, part, pp, h, ev.share, true);
          if (sink === scratch) holdBack(state, { side: p.promisor, steps, reliability: sink.reliability, transparency: sink.transparency }, h);
          p.delivered = delivered + ev.share;
          break;
        }
        // The last part: it delivers the rest.
        delete ev.share;
      }
      p.events.push(ev);
      if (ev.type === 'PROMISE_RESCHEDULED') break;
      delete state.promises[key];
      for (const seq in state.proposals) if (state.proposals[seq] === promiseSeq) delete state.proposals[seq];
      // Its last event settles it, so the evaluation does not depend on asOf.
      const evaluation = evaluatePromiseOf(p, e.occurredAt, pp);
      if (ev.type === 'PROMISE_BROKEN' && by !== null && by !== p.promisor && evaluation.resolvedAt !== null) {
        // Said by the beneficiary, a break counts no earlier than the promise would have lapsed
        // (due in force + grace): saying it early cannot make the slip older, and so lighter (DESIGN §2a).
        const lapse = timeMs(evaluation.dueAt) + pp.graceDays * DAY_MS;
        if (lapse > timeMs(evaluation.resolvedAt)) evaluation.resolvedAt = new Date(lapse).toISOString();
      }
      const sink = steps.length > 0 ? promiseSink(state, p.promisor, steps, side, evaluation) : side;
      // Resolved by this entry (not moved to a lapse), its time is the entry's: not parsed again.
      const brokenAt = settlePromise(sink, p, evaluation, pp, h, 1 - delivered, false, evaluation.resolvedAt === e.occurredAt ? at : Number.NaN);
      if (sink === scratch) holdBack(state, { side: p.promisor, steps, reliability: sink.reliability, transparency: sink.transparency }, h);
      if (evaluation.state === 'KEPT' && evaluation.inFull) addTypical(side, p, at, h);
      if (brokenAt !== null && p.promisor === 'SUPPLIER') addBroken(state.churn, brokenAt, state.maxOccurredAt as number, policy);
      break;
    }
    case 'INTERACTION_RECORDED': {
      const i = (e as LedgerEntry<'INTERACTION_RECORDED'>).payload;
      switch (i.kind) {
        case 'COMPLAINT':
          {
            const key = String(e.seq);
            const c = openComplaint(e.seq, i.initiatedBy, at, i.note);
            state.complaints[key] = c;
            const disputed = k?.disputedAt.get(e.seq);
            if (disputed !== undefined) c.steps = [disputeStep(policyAt(state, disputed.at), disputed, c.against)];
            // The earliest a complaint can be settled: past both its deadlines.
            const settleAt = complaintSettleAt(state, c);
            complaintQueues.get(state.complaints)?.push(settleAt, key);
            state.complaintsDueAt = state.complaintsDueAt == null ? settleAt : Math.min(state.complaintsDueAt, settleAt);
          }
          break;
        default:
          break;
      }
      break;
    }
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED': {
      const key = String((e.payload as { interactionSeq: number }).interactionSeq);
      const c = state.complaints[key];
      if (!c) {
        const record = state.settled?.[key];
        if (record) lateFollowUp(state, key, e, followUpTime(e, record[0] === 0 ? 'SUPPLIER' : 'CLIENT', actorSide(state.supplierFirmId, e), k?.attested.has(e.seq) ?? false, at));
        break;
      }
      const real = state.sides[c.against];
      // Judged by the policy in force when the complaint was raised.
      const cp = policyAt(state, c.at);
      const by = actorSide(state.supplierFirmId, e);
      // Answered by the side complained against, it is a claim, and its speed is the server's clock's (DESIGN §2a).
      const t = followUpTime(e, c.against, by, k?.attested.has(e.seq) ?? false, at);
      // Recorded by the side complained against and not attested, t is the entry's seenAt, which a claim's step needs too.
      const own = stepsOf(state, e, at, k, c.against, by !== null && by === c.against, true, t);
      const steps = c.steps === undefined ? own : [...c.steps, ...own];
      // One addition at most (not a resolution that is also the first response): straight into its bundle.
      const side =
        steps.length === 0 ? real : e.type === 'COMPLAINT_RESPONDED' || c.answeredAt !== null ? (bundleSide(state, c.against, steps, real, false) ?? scratchFor(real)) : scratchFor(real);
      if (e.type === 'COMPLAINT_RESPONDED') {
        if (c.answeredAt === null) {
          const before = complaintSettleAt(state, c);
          firstResponse(side, c, e.seq, t, cp, h);
          const after = complaintSettleAt(state, c);
          if (after !== before) complaintQueues.get(state.complaints)?.push(after, key);
        }
      } else {
        // Resolved without a response: the resolution is the first response.
        if (c.answeredAt === null) firstResponse(side, c, e.seq, t, cp, h);
        resolution(side, c, e.seq, t, cp, h);
        delete state.complaints[key];
      }
      if (side === scratch) holdBack(state, { side: c.against, steps, responsiveness: side.responsiveness }, h);
      break;
    }
    case 'REPRESENTATIVE_HANDOVER': {
      const side = (e.payload as { side: Side }).side;
      const by = actorSide(state.supplierFirmId, e);
      if (by !== null && by !== side) break;
      const last = state.churn.lastSupplierHandover;
      if (side === 'SUPPLIER' && (last === null || at > last)) state.churn.lastSupplierHandover = at;
      break;
    }
    default:
      break;
  }
  churnEntry(state.churn, e, at, state.maxOccurredAt as number, policy);
  settleComplaints(state, e.seq, k, h);
  releasePending(state, h);
}

/**
 * Settles complaints whose deadlines lie before every asOf the state can still answer (its
 * latest occurredAt): a late answer would count exactly as a missing one (negative at the
 * deadline), so their evidence is final. The recent ones stay in `settled` for a late follow-up.
 */
function settleComplaints(state: ScoreState, seq: number, k: Knowledge | null, h: HalfLives): void {
  const now = state.maxOccurredAt;
  if (now === null || state.complaintsDueAt == null || now <= state.complaintsDueAt) return;
  const complaints = state.complaints;
  const q = complaintQueue(state);
  const due: string[] = [];
  let kept: string[] | null = null;
  while (q.peekTime() < now) {
    const t = q.peekTime();
    const key = q.pop() as string;
    const c = complaints[key];
    if (c === undefined || complaintSettleAt(state, c) !== t) continue;
    if (k !== null && answeredInTime(k, c, seq, policyAt(state, c.at))) (kept ??= []).push(key);
    else due.push(key);
  }
  if (kept !== null) for (const key of kept) q.push(complaintSettleAt(state, complaints[key]), key);
  for (;;) {
    const key = q.peekKey();
    if (key === undefined) break;
    const c = complaints[key];
    if (c !== undefined && complaintSettleAt(state, c) === q.peekTime()) break;
    q.pop();
  }
  state.complaintsDueAt = q.size > 0 ? q.peekTime() : null;
  if (due.length === 0) return;
  if (due.length > 1) sortFew(due, byNumber);
  const settled = (state.settled ??= {});
  for (const key of due) {
    const c = state.complaints[key];
    const policy = policyAt(state, c.at);
    if (c.steps) {
      const scratch = scratchFor(state.sides[c.against]);
      overdueComplaint(scratch, c, now, policy, h);
      holdBack(state, { side: c.against, steps: c.steps, responsiveness: scratch.responsiveness }, h);
    } else overdueComplaint(state.sides[c.against], c, now, policy, h);
    state.settledOpen ??= { SUPPLIER: 0, CLIENT: 0 };
    state.settledOpen[c.against]++;
    delete state.complaints[key];
    settled[key] = [c.against === 'SUPPLIER' ? 0 : 1, c.at, c.answeredAt === null ? 0 : 1];
  }
  // Over the bound: forget the oldest (integer keys list in ascending order) that no later entry
  // of the ledger follows up (a fold knows; an append does not, and rebuilds if one comes). Once
  // after adding all of them: the same records go as when trimming after each one.
  const listed = settledKeys.get(settled);
  let keys: number[];
  if (listed === undefined) keys = Object.keys(settled).map(Number);
  else {
    // The memo (lateFollowUp removes what it deletes), with the new records in their place.
    keys = listed;
    for (const text of due) {
      const key = Number(text);
      let i = keys.length;
      while (i > 0 && keys[i - 1] > key) i--;
      if (i === keys.length) keys.push(key);
      else keys.splice(i, 0, key);
    }
  }
  let size = keys.length;
  if (size > SETTLED_KEPT) {
    // In place: the records forgotten go, the rest keep their order.
    let w = 0;
    let i = 0;
    for (; i < keys.length && size > SETTLED_KEPT; i++) {
      const old = keys[i];
      if (!(k && (k.followUps.get(old) ?? 0) > seq)) {
        delete settled[old];
        size--;
      } else keys[w++] = old;
    }
    if (w !== i) {
      for (; i < keys.length; i++) keys[w++] = keys[i];
      keys.length = w;
    }
  }
  settledKeys.set(settled, keys);
}

/** When an open complaint is settled (ms): past its resolution deadline and, unanswered, its first-response deadline. */
function complaintSettleAt(state: ScoreState, c: OpenComplaint): number {
  const policy = policyAt(state, c.at);
  return Math.max(c.at + policy.resolutionDays * DAY_MS, c.answeredAt === null ? c.at + policy.firstResponseHours * HOUR_MS : 0);
}

/**
 * The keys of a state's open complaints by complaintSettleAt, built from `complaints` the first
 * time settleComplaints needs it and kept by absorb (a complaint raised, or answered, which may
 * settle it sooner: the new time is added and the old one skipped when popped, as are complaints
 * resolved meanwhile), so a settlement costs the complaints due, not every open one. A memo of
 * this process only, like settledKeys.
 */
const complaintQueues = new WeakMap<Record<string, OpenComplaint>, TimeQueue<string>>();

function complaintQueue(state: ScoreState): TimeQueue<string> {
  let q = complaintQueues.get(state.complaints);
  if (q === undefined) {
    q = new TimeQueue<string>();
    for (const key in state.complaints) q.push(complaintSettleAt(state, state.complaints[key]), key);
    complaintQueues.set(state.complaints, q);
  }
  return q;
}

/**
 * The keys of a state's `settled` as numbers (complaint seqs), in ascending order, as
 * settleComplaints last left them (only it adds records; a late follow-up may remove one): spares
 * listing and sorting them at every settlement. A memo of this process only; the state does not
 * change with it.
 */
const settledKeys = new WeakMap<object, number[]>();

/**
 * Whether a later entry of the ledger answers or resolves the complaint within its limits (a
 * follow-up recorded late but dated in time): a fold keeps such a complaint open so it counts as
 * the ledger says. A follow-up dated past the limits counts exactly as the settled evidence.
 */
function answeredInTime(k: Knowledge, c: OpenComplaint, seq: number, policy: Policy): boolean {
  if ((k.followUps.get(c.seq) ?? 0) <= seq) return false;
  const f = k.followUpTimes().get(c.seq);
  if (f === undefined) return false;
  return (c.answeredAt === null && f.first <= c.at + policy.firstResponseHours * HOUR_MS) || f.resolved <= c.at + policy.resolutionDays * DAY_MS;
}

/** How many settled, unresolved complaints the state keeps for late follow-ups (see ScoreState.settled). */
export const SETTLED_KEPT = 64;

/**
 * A follow-up (response or resolution) of a complaint already settled as unanswered or unresolved:
 * its negative evidence at the deadlines stands exactly as a late answer's would (DESIGN §3
 * "Responsiveness"); the answer adds its response time to the median, and a resolution closes it.
 */
function lateFollowUp(state: ScoreState, key: string, e: LedgerEntry, at: number): void {
  const record = state.settled?.[key];
  if (!record) return;
  const against: Side = record[0] === 0 ? 'SUPPLIER' : 'CLIENT';
  if (record[2] === 0) {
    addResponseTime(state.sides[against], at - record[1]);
    record[2] = 1;
  }
  if (e.type === 'COMPLAINT_RESOLVED') {
    if (state.settledOpen) state.settledOpen[against]--;
    const settled = state.settled as Record<string, [number, number, number]>;
    delete settled[key];
    const listed = settledKeys.get(settled);
    if (listed !== undefined) {
      const i = listed.indexOf(Number(key));
      if (i >= 0) listed.splice(i, 1);
    }
  }
}

/** Complaint follow-ups (COMPLAINT_RESPONDED, COMPLAINT_RESOLVED) as prepareFold lists them for scanLedger. */
export interface FollowUps {
  /** Per complaint seq, the seq of its last follow-up (Knowledge.followUps). */
  followUps: Map<number, number>;
  /** The follow-up entries, in seq order. */
  entries: LedgerEntry[];
}

/**
 * The fields of each entry a fold reads, read once by prepareFold (column i: entry i of `sorted`):
 * seq, type, payload, actorFirmId, occurredAt and its time in ms (timeMs), recordedAt.
 */
interface Columns {
  seqs: Float64Array;
  types: EntryType[];
  payloads: unknown[];
  actors: string[];
  occurred: string[];
  recorded: string[];
  times: Float64Array;
}

/**
 * Reads each entry's fields once before a fold, while it is at hand: `sorted` is the entries
 * in seq order (the array itself when seqs strictly increase, never changed; else null: use bySeq
 * and foldSorted); `scanned` the positions of the other entries scanLedger reads (the few that
 * refer to others); `given` the complaint follow-ups that occurred by `asOf` (ms; all when
 * undefined); `columns` the fields the fold reads (Columns).
 *
 * The fields are read by walking each entry's own keys (for…in): entries made by different code
 * paths (object spread, row mappers) rarely share a hidden class, so reading a field by name is a
 * megamorphic look-up each time (~90 ns), while a key walk reads them by the position its key list
 * gives, and the key list is kept with the shape's descriptors. An entry whose walk misses a field
 * (not an own enumerable property) has it read by name.
 */
export function prepareFold(
  entries: readonly LedgerEntry[],
  asOf?: number,
): { sorted: readonly LedgerEntry[]; scanned: number[]; given: FollowUps; columns: Columns } | null {
  const scanned: number[] = [];
  const given: FollowUps = { followUps: new Map(), entries: [] };
  const n = entries.length;
  const columns: Columns = {
    seqs: new Float64Array(n),
    types: new Array<EntryType>(n),
    payloads: new Array<unknown>(n),
    actors: new Array<string>(n),
    occurred: new Array<string>(n),
    recorded: new Array<string>(n),
    times: new Float64Array(n),
  };
  const { seqs, types, payloads, actors, occurred, recorded, times } = columns;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    let seq: unknown;
    let type: unknown;
    let payload: unknown;
    let actor: unknown;
    let occurredAt: unknown;
    let recordedAt: unknown;
    const fields = e as unknown as Record<string, unknown>;
    for (const key in fields) {
      if (key === 'seq') seq = fields[key];
      else if (key === 'type') type = fields[key];
      else if (key === 'payload') payload = fields[key];
      else if (key === 'actorFirmId') actor = fields[key];
      else if (key === 'occurredAt') occurredAt = fields[key];
      else if (key === 'recordedAt') recordedAt = fields[key];
    }
    if (seq === undefined) seq = e.seq;
    if (type === undefined) type = e.type;
    if (payload === undefined) payload = e.payload;
    if (actor === undefined) actor = e.actorFirmId;
    if (occurredAt === undefined) occurredAt = e.occurredAt;
    if (recordedAt === undefined) recordedAt = e.recordedAt;
    if (!((seq as number) > prev)) return null;
    prev = seq as number;
    const t = timeMs(occurredAt as string);
    seqs[i] = seq as number;
    types[i] = type as EntryType;
    payloads[i] = payload;
    actors[i] = actor as string;
    occurred[i] = occurredAt as string;
    recorded[i] = recordedAt as string;
    times[i] = t;
    if (type === 'COMPLAINT_RESPONDED' || type === 'COMPLAINT_RESOLVED') {
      if (asOf !== undefined && !(t <= asOf)) continue;
      given.followUps.set((payload as { interactionSeq: number }).interactionSeq, seq as number);
      given.entries.push(e);
    } else if (SCANNED_TYPES.has(type as string)) scanned.push(i);
  }
  return { sorted: entries, scanned, given, columns };
}

/**
 * One entry as foldUpTo hands it to absorbAt: its fields from the fold's columns, the rest (read
 * rarely: the hash of the last) from the entry itself. One object, refilled for each entry
 * (nothing a fold makes keeps the entry it is given).
 */
class Reading {
  src: LedgerEntry;
  seq = 0;
  type: EntryType = 'RELATIONSHIP_PROPOSED';
  payload: unknown = null;
  actorFirmId = '';
  occurredAt = '';
  recordedAt = '';
  constructor(src: LedgerEntry) {
    this.src = src;
  }
  get hash(): string {
    return this.src.hash;
  }
  get relationshipId(): string {
    return this.src.relationshipId;
  }
  get prevHash(): string {
    return this.src.prevHash;
  }
}

/**
 * Folds entries in strictly increasing seq order, as prepareFold read them, into a fresh state in
 * one pass over its columns, after a scan of the few listed: as foldSorted of the entries that
 * occurred by `asOf` (ms; all when undefined, the same as prepareFold's), without listing them apart.
 */
export function foldUpTo(
  ready: { sorted: readonly LedgerEntry[]; scanned: readonly number[]; given: FollowUps; columns: Columns },
  asOf: number | undefined,
  policy?: PolicyOverride | null,
): ScoreState {
  const sorted = ready.sorted;
  const supplierFirmId = supplierOf(sorted);
  const { knowledge, accepted, policies } = scanLedger(sorted, supplierFirmId, ready.scanned, asOf, ready.given);
  const given = policy !== undefined && policy !== null;
  const state = emptyState(resolvePolicy(given ? policy : accepted), given, supplierFirmId);
  if (!given && policies.length > 0) state.policyLog = policies.map((x) => [x.from, resolvePolicy(x.policy)] as [number, Policy]).sort((a, b) => a[0] - b[0]);
  let last = -1;
  const { seqs, types, payloads, actors, occurred, recorded, times } = ready.columns;
  const was = deferReasons(true);
  const outer = folding;
  const f: Folding = { state, bundles: new Map(), queue: new TimeQueue<string>(), ends: { SUPPLIER: Number.NEGATIVE_INFINITY, CLIENT: Number.NEGATIVE_INFINITY } };
  folding = f;
  try {
    const n = sorted.length;
    if (n > 0) {
      const r = new Reading(sorted[0]);
      const e = r as unknown as LedgerEntry;
      for (let i = 0; i < n; i++) {
        const t = times[i];
        if (asOf !== undefined && !(t <= asOf)) continue;
        r.src = sorted[i];
        r.seq = seqs[i];
        r.type = types[i];
        r.payload = payloads[i];
        r.actorFirmId = actors[i];
        r.occurredAt = occurred[i];
        r.recordedAt = recorded[i];
        absorbAt(state, e, knowledge, t);
        last = i;
      }
    }
  } finally {
    folding = outer;
    deferReasons(was);
  }
  writePending(f);
  if (last >= 0) {
    resolveStateReasons(state);
    state.head = { seq: seqs[last], hash: sorted[last].hash };
  }
  return state;
}

/** Sorts a copy of entries by seq (stable for equal seqs). */
export function bySeq(entries: readonly LedgerEntry[]): LedgerEntry[] {
  // A ledger read from the store is in seq order already: copied without sorting.
  for (let i = 1; i < entries.length; i++) if (entries[i].seq < entries[i - 1].seq) return [...entries].sort((a, b) => a.seq - b.seq);
  return entries.slice();
}

/**
 * Folds entries already sorted by seq into a fresh state, with an optional policy given by the
 * caller. `supplierFirmId` names the supplier when the entries given may not include RELATIONSHIP_PROPOSED
 * (a ledger cut at asOf); default: read from the entries. `each` is called after each entry with
 * the state and the entry's index (scorecardSeries keeps checkpoints); it must not change the state.
 * `times`, when given, holds each entry's occurredAt in ms (timeMs), so a caller that read them
 * already does not have them parsed twice; `scanned`, the positions of the entries scanLedger
 * reads (prepareFold), so the scan does not read the others.
 */
export function foldSorted(
  sorted: readonly LedgerEntry[],
  policy?: PolicyOverride | null,
  supplierFirmId: string | null = supplierOf(sorted),
  each?: (state: ScoreState, index: number) => void,
  times?: Float64Array,
  positions?: readonly number[],
): ScoreState {
  const scanned = scanLedger(sorted, supplierFirmId, positions);
  const { knowledge, accepted } = scanned;
  const given = policy !== undefined && policy !== null;
  const { policies } = scanned;
  const state = emptyState(resolvePolicy(given ? policy : accepted), given, supplierFirmId);
  if (!given && policies.length > 0) state.policyLog = policies.map((x) => [x.from, resolvePolicy(x.policy)] as [number, Policy]).sort((a, b) => a[0] - b[0]);
  if (each)
    for (let k = 0; k < sorted.length; k++) {
      absorb(state, sorted[k], knowledge);
      each(state, k);
    }
  else if (sorted.length > 0) {
    const was = deferReasons(true);
    try {
      for (let i = 0; i < sorted.length; i++) {
        const e = sorted[i];
        absorbAt(state, e, knowledge, times === undefined ? timeMs(e.occurredAt) : times[i]);
      }
    } finally {
      deferReasons(was);
    }
    resolveStateReasons(state);
    const last = sorted[sorted.length - 1];
    state.head = { seq: last.seq, hash: last.hash };
  }
  return state;
}

/** Builds the reasons a fold deferred (deferReasons) of the candidates still in the state's top lists. */
function resolveStateReasons(state: ScoreState): void {
  const beta = (acc: BetaAcc | undefined) => {
    if (acc === undefined) return;
    resolveReasons(acc.topPos);
    resolveReasons(acc.topNeg);
  };
  for (const side of [state.sides.SUPPLIER, state.sides.CLIENT]) {
    beta(side.reliability);
    beta(side.transparency);
    beta(side.responsiveness);
  }
  for (const key in state.pending) {
    const item = (state.pending as Record<string, PendingItem>)[key];
    beta(item.reliability);
    beta(item.transparency);
    beta(item.responsiveness);
    for (const m in item.metrics) resolveReasons(item.metrics[m].top);
  }
  for (const m in state.metrics) resolveReasons(state.metrics[m].top);
}

/** The state of a whole ledger (any order): what the server stores per relationship and rebuilds after voids, disputes and policy changes. */
export function foldLedger(entries: readonly LedgerEntry[], options: { policy?: PolicyOverride | null } = {}): ScoreState {
  const ready = prepareFold(entries);
  return ready === null ? foldSorted(bySeq(entries), options.policy) : foldUpTo(ready, undefined, options.policy);
}

/**
 * Applies one appended entry in O(1): returns a new state (the input is not changed) and
 * `rebuild: true` when the entry changes earlier evidence (void, dispute, withdrawal, policy
 * acceptance) or does not extend the state's head; the caller then folds the whole ledger.
 */
export function applyEntry(state: ScoreState, entry: LedgerEntry): { state: ScoreState; rebuild: boolean } {
  const next = structuredClone(state);
  if (needsRebuild(state, entry)) {
    next.stale = true;
    if (next.head === null || entry.seq > next.head.seq) next.head = { seq: entry.seq, hash: entry.hash };
    return { state: next, rebuild: true };
  }
  absorb(next, entry, null);
  return { state: next, rebuild: false };
}

/**
 * Applies one appended entry to a state the caller owns, in place and in O(1), without the copy
 * applyEntry makes. Only for an entry for which needsRebuild is false.
 */
export const absorbEntry = (state: ScoreState, entry: LedgerEntry): void => absorb(state, entry, null);

/**
 * Whether an entry cannot be absorbed by a state without its ledger: it does not extend the
 * head, changes earlier evidence (void, dispute, withdrawal, policy acceptance), or follows up a
 * complaint the state has already settled.
 */
export function needsRebuild(state: ScoreState, entry: LedgerEntry): boolean {
  if (state.version !== STATE_VERSION || state.stale || (state.head !== null && entry.seq <= state.head.seq) || REBUILD_TYPES.has(entry.type)) return true;
  if (entry.type === 'COMPLAINT_RESPONDED' || entry.type === 'COMPLAINT_RESOLVED') {
    const key = String((entry.payload as { interactionSeq: number }).interactionSeq);
    if (state.complaints[key]) return false;
    const record = state.settled?.[key];
    if (!record) return true;
    // A follow-up dated within a limit changes the settled evidence: the ledger decides.
    const [against, raised, answered] = record;
    const at = followUpTime(entry, against === 0 ? 'SUPPLIER' : 'CLIENT', actorSide(state.supplierFirmId, entry), false);
    const resolves = entry.type === 'COMPLAINT_RESOLVED';
    const policy = policyAt(state, raised);
    return (answered === 0 && at <= raised + policy.firstResponseHours * HOUR_MS) || (resolves && at <= raised + policy.resolutionDays * DAY_MS);
  }
  return false;
}

