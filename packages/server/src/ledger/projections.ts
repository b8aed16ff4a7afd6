import {
  DEFAULT_POLICY,
  noticeTime,
  referencedSeq,
  type EntryType,
  evaluatePromise,
  type LedgerEntry,
  NO_NOTICE,
  type Payloads,
  type PromiseEvent,
  type Side,
} from '@trustledger/schema';
import { type EntryRow, type RelationshipRow, rowToEntry, type WriteTx } from '../store/index.ts';
import { sideOf, voidTakesEffect } from './rules.ts';

/** Which earlier entry an entry refers to, stored as `subject_seq` for history look-ups. */
export function subjectSeqOf(_type: EntryType, payload: Record<string, unknown>): number | null {
  return referencedSeq(payload);
}

export { rowToEntry };

/** One standing (not voided) entry of a promise's history, and whether the other side confirmed it. */
interface Standing {
  entry: LedgerEntry;
  confirmed: boolean;
}

/**
 * Promise histories appended to in an open transaction (by its scope, then `rel:seq`): a batch
 * that makes a promise and records its outcome rebuilds the row from these instead of reading the
 * entries back. Valid while no entry's links change: dropped for the whole transaction by any
 * entry that confirms, disputes, resolves or voids (project), which then reads from the store.
 */
const promiseHistories = new WeakMap<object, Map<string, Standing[]>>();

/**
 * Rebuilds a promise's row from its standing history (made, then reschedules and resolution):
 * PROPOSED while made by its beneficiary and not accepted; cancellations count once accepted;
 * notice is judged by the server's clock unless the other side confirmed the entry (DESIGN §2a).
 * `fresh` is the entry just appended that made the promise or follows it up, when that is why.
 */
function reprojectPromise(tx: WriteTx, rel: { id: string; supplierId: string }, seq: number, now: string, fresh?: LedgerEntry): void {
  const relId = rel.id;
  const key = `${relId}:${seq}`;
  let memo = promiseHistories.get(tx.scope);
  const known = fresh && fresh.type !== 'PROMISE_MADE' ? memo?.get(key) : undefined;
  let standing: Standing[];
  if (fresh?.type === 'PROMISE_MADE') standing = [{ entry: fresh, confirmed: false }];
  else if (known && fresh) standing = [...known, { entry: fresh, confirmed: false }];
  else {
    // Two index look-ups (the promise, then what refers to it): an OR of both would scan the ledger.
    const madeRow = tx.entry(relId, seq);
    const rows: EntryRow[] = [...(madeRow && madeRow.voidedBySeq === null ? [madeRow] : []), ...tx.standingReferrers(relId, seq, 'PROMISE_')];
    standing = rows.map((r) => ({ entry: rowToEntry(r), confirmed: r.confirmedBySeq !== null }));
  }
  if (fresh) {
    if (!memo) promiseHistories.set(tx.scope, (memo = new Map()));
    memo.set(key, standing);
  }
  // One pass each, no intermediate lists (this runs for every promise entry of a batch). The
  // history: standing entries, cancellations only once confirmed; each seq stands once.
  let made: LedgerEntry<'PROMISE_MADE'> | undefined;
  let madeConfirmed = false;
  for (const s of standing)
    if (s.entry.seq === seq && s.entry.type === 'PROMISE_MADE') {
      made = s.entry as LedgerEntry<'PROMISE_MADE'>;
      madeConfirmed = s.confirmed;
      break;
    }
  if (!made) {
    tx.voidRow('promises', relId, seq);
    return;
  }
  const promisor = made.payload.promisor;
  const events: PromiseEvent[] = [];
  for (const { entry: e, confirmed } of standing) {
    if (e.seq === seq || (e.type === 'PROMISE_CANCELLED' && !confirmed)) continue;
    const p = e.payload as Record<string, unknown>;
    const noticeAt = noticeTime(e, confirmed);
    events.push(
      e.type === 'PROMISE_RESCHEDULED'
        ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, newDueAt: p.newDueAt as string, noticeAt }
        : e.type === 'PROMISE_KEPT'
          ? p.share === undefined
            ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: p.inFull !== false }
            : { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: true, share: p.share as number }
          : e.type === 'PROMISE_BROKEN'
            ? // Said by the beneficiary, a break is no notice from the promisor, however early (as the engine judges it).
              { type: e.type, seq: e.seq, occurredAt: e.occurredAt, noticeAt: sideOf(rel, e.actorFirmId) === promisor ? noticeAt : NO_NOTICE }
            : { type: 'PROMISE_CANCELLED' as const, seq: e.seq, occurredAt: e.occurredAt },
    );
  }
  const proposed = sideOf(rel, made.actorFirmId) !== made.payload.promisor && !madeConfirmed;
  // The grace only matters for open promises, whose outcome is not stored: the default suffices.
  const ev = evaluatePromise({ occurredAt: made.occurredAt, dueAt: made.payload.dueAt }, events, now, DEFAULT_POLICY.graceDays);
  tx.putPromise({
    relationshipId: relId,
    seq,
    promisor: made.payload.promisor,
    kind: made.payload.kind,
    description: made.payload.description,
    amount: made.payload.amount?.amount ?? null,
    currency: made.payload.amount?.currency ?? null,
    madeAt: made.occurredAt,
    originalDueAt: ev.originalDueAt,
    dueAt: ev.dueAt,
    state: proposed ? 'PROPOSED' : ev.state,
    outcome: ev.state === 'OPEN' || proposed ? null : ev.outcome,
    resolvedAt: ev.state === 'OPEN' || proposed ? null : ev.resolvedAt,
  });
}

/** Rebuilds a complaint's response and resolution times from its standing entries. */
function reprojectInteraction(tx: WriteTx, relId: string, seq: number): void {
  const followUps = tx.standingReferrers(relId, seq, 'COMPLAINT_');
  const at = (type: string) => followUps.find((e) => e.type === type)?.occurredAt ?? null;
  tx.setInteractionTimes(relId, seq, at('COMPLAINT_RESPONDED'), at('COMPLAINT_RESOLVED'));
}

function reprojectRepresentative(tx: WriteTx, rel: { id: string; supplierId: string }, side: Side): void {
  const handovers = tx.standingOfType(rel.id, 'REPRESENTATIVE_HANDOVER').map(rowToEntry) as LedgerEntry<'REPRESENTATIVE_HANDOVER'>[];
  const latest = handovers.find((h) => h.payload.side === side);
  tx.setRepresentative(rel.id, side, latest ? { relationshipId: rel.id, side, name: latest.payload.name, since: latest.occurredAt, seq: latest.seq } : null);
}

/** Re-projects whatever an entry affected after it was voided, disputed or restored. */
function reprojectTarget(tx: WriteTx, rel: RelationshipRow, target: LedgerEntry, now: string): void {
  const p = target.payload as Record<string, unknown>;
  switch (target.type) {
    case 'PROMISE_MADE':
      return reprojectPromise(tx, rel, target.seq, now);
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED':
      return reprojectPromise(tx, rel, p.promiseSeq as number, now);
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED':
      return reprojectInteraction(tx, rel.id, p.interactionSeq as number);
    case 'INTERACTION_RECORDED':
      tx.voidRow('interactions', rel.id, target.seq);
      return;
    case 'MEASUREMENT_RECORDED':
      tx.voidRow('measurements', rel.id, target.seq);
      return;
    case 'GOAL_PROPOSED':
      tx.voidRow('goals', rel.id, target.seq);
      tx.voidMetricsOfGoal(rel.id, target.seq);
      return;
    case 'METRIC_ADDED':
      tx.voidRow('metrics', rel.id, target.seq);
      return;
    case 'REPRESENTATIVE_HANDOVER':
      return reprojectRepresentative(tx, rel, p.side as Side);
  }
}

/** Writes the query tables an entry changes; runs in the entry's transaction. */
export function project(tx: WriteTx, rel: RelationshipRow, entry: LedgerEntry, now: string): void {
  const relId = rel.id;
  // Links change (confirmed, disputed, voided): the histories held for this transaction no longer stand.
  if (entry.type.startsWith('ENTRY_') || entry.type.startsWith('DISPUTE_')) promiseHistories.delete(tx.scope);
  const side = sideOf(rel, entry.actorFirmId);
  const seq = entry.seq;
  switch (entry.type) {
    case 'RELATIONSHIP_PROPOSED':
      return;
    case 'RELATIONSHIP_ACCEPTED':
      return void tx.updateRelationship(relId, { status: 'ACTIVE' });
    case 'RELATIONSHIP_ENDED':
      return void tx.updateRelationship(relId, { status: 'ENDED' });
    case 'POLICY_PROPOSED': {
      const p = entry.payload as Payloads['POLICY_PROPOSED'];
      tx.insertPolicy({ relationshipId: relId, seq, proposedBy: side, policy: JSON.stringify(p.policy), status: 'PROPOSED' });
      return;
    }
    case 'POLICY_ACCEPTED': {
      const p = entry.payload as Payloads['POLICY_ACCEPTED'];
      tx.acceptPolicy(relId, p.policySeq);
      return;
    }
    case 'GOAL_PROPOSED': {
      const p = entry.payload as Payloads['GOAL_PROPOSED'];
      tx.insertGoal({ relationshipId: relId, seq, title: p.title, proposedBy: side, status: 'PROPOSED' });
      p.metrics.forEach((m, idx) => insertMetric(tx, relId, seq, idx, seq, m));
      return;
    }
    case 'METRIC_ADDED': {
      const p = entry.payload as Payloads['METRIC_ADDED'];
      insertMetric(tx, relId, seq, 0, p.goalSeq, p.metric);
      return;
    }
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED':
    case 'GOAL_RETIRED': {
      const status = entry.type === 'GOAL_ACCEPTED' ? 'AGREED' : entry.type === 'GOAL_REJECTED' ? 'REJECTED' : 'RETIRED';
      const p = entry.payload as Payloads['GOAL_ACCEPTED'];
      tx.setGoalStatus(relId, p.goalSeq, status);
      return;
    }
    case 'MEASUREMENT_RECORDED': {
      const p = entry.payload as Payloads['MEASUREMENT_RECORDED'];
      tx.insertMeasurement({ relationshipId: relId, seq, metricSeq: p.metricSeq, metricIdx: p.metricIndex, value: p.value, observedAt: entry.occurredAt, recordedBy: side });
      return;
    }
    case 'PROMISE_MADE':
      return reprojectPromise(tx, rel, seq, now, entry);
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED':
      return reprojectPromise(tx, rel, (entry.payload as { promiseSeq: number }).promiseSeq, now, entry);
    case 'INTERACTION_RECORDED': {
      const p = entry.payload as Payloads['INTERACTION_RECORDED'];
      tx.insertInteraction({ relationshipId: relId, seq, kind: p.kind, initiatedBy: p.initiatedBy, occurredAt: entry.occurredAt, note: p.note ?? null, volume: p.volume ?? null, score: p.score ?? null });
      return;
    }
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED': {
      // The row holds the first standing response and resolution (reprojectInteraction keeps it so
      // through voids): the new entry, the latest, sets a time only where none stands yet.
      const target = (entry.payload as { interactionSeq: number }).interactionSeq;
      const row = tx.interaction(relId, target);
      if (!row) return reprojectInteraction(tx, relId, target);
      const responded = entry.type === 'COMPLAINT_RESPONDED';
      if ((responded ? row.firstResponseAt : row.resolvedAt) === null)
        tx.setInteractionTimes(relId, target, responded ? entry.occurredAt : row.firstResponseAt, responded ? row.resolvedAt : entry.occurredAt);
      return;
    }
    case 'REPRESENTATIVE_HANDOVER':
      return reprojectRepresentative(tx, rel, (entry.payload as Payloads['REPRESENTATIVE_HANDOVER']).side);
    case 'ENTRY_CONFIRMED': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      tx.setEntryLinks(relId, targetSeq, { confirmedBySeq: seq });
      const target = tx.entry(relId, targetSeq);
      if (!target) return;
      const tp = JSON.parse(target.payload) as { entrySeq?: number; outcome?: string };
      // Accepting a proposal makes it take effect (DESIGN §2a consent).
      if (target.type === 'ENTRY_VOIDED') return applyVoid(tx, rel, tp.entrySeq as number, target.seq, now);
      if (target.type === 'DISPUTE_RESOLVED') {
        if (tp.outcome === 'STRUCK') return applyVoid(tx, rel, tp.entrySeq as number, target.seq, now);
        tx.setEntryLinks(relId, tp.entrySeq as number, { disputedBySeq: null });
        return;
      }
      // A confirmed promise entry may change the promise: a proposal accepted, a cancellation agreed, notice vouched for.
      if (target.type.startsWith('PROMISE_')) return reprojectTarget(tx, rel, rowToEntry(target), now);
      return;
    }
    case 'ENTRY_DISPUTED':
    case 'DISPUTE_WITHDRAWN': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      tx.setEntryLinks(relId, targetSeq, { disputedBySeq: entry.type === 'ENTRY_DISPUTED' ? seq : null });
      return;
    }
    case 'DISPUTE_RESOLVED':
      return;
    case 'ENTRY_VOIDED': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      const target = tx.entry(relId, targetSeq);
      // A void the recorder may not make alone stays a proposal until the other side accepts it.
      if (target && voidTakesEffect(tx, relId, target, seq, entry.recordedAt)) applyVoid(tx, rel, targetSeq, seq, now);
      return;
    }
  }
}

/** Voids an entry (by a void that took effect, or a resolution that struck it) and re-projects what it affected. */
function applyVoid(tx: WriteTx, rel: RelationshipRow, targetSeq: number, bySeq: number, now: string): void {
  tx.setEntryLinks(rel.id, targetSeq, { voidedBySeq: bySeq, disputedBySeq: null });
  const target = tx.entry(rel.id, targetSeq);
  if (target) reprojectTarget(tx, rel, rowToEntry(target), now);
}

function insertMetric(tx: WriteTx, relId: string, seq: number, idx: number, goalSeq: number, m: Payloads['GOAL_PROPOSED']['metrics'][number]): void {
  tx.insertMetric({
      relationshipId: relId,
      seq,
      idx,
      goalSeq,
      name: m.name,
      unit: m.unit,
      direction: m.direction,
      target: m.target,
      baseline: m.baseline ?? null,
      accountable: m.accountable,
    });
}
