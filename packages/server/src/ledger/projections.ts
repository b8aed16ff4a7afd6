import {
  DEFAULT_POLICY,
  noticeTime,
  referencedSeq,
  type EntryType,
  evaluatePromise,
  type LedgerEntry,
  type Payloads,
  type PromiseEvent,
  type Side,
} from '@trustledger/schema';
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { sideOf, voidTakesEffect } from './rules.ts';

/** Which earlier entry an entry refers to, stored as `subject_seq` for history look-ups. */
export function subjectSeqOf(_type: EntryType, payload: Record<string, unknown>): number | null {
  return referencedSeq(payload);
}

type EntryRow = Pick<typeof t.entries.$inferSelect, 'relationshipId' | 'seq' | 'type' | 'payload' | 'actorFirmId' | 'occurredAt' | 'recordedAt' | 'prevHash' | 'hash'>;

const rowToEntry = (row: EntryRow): LedgerEntry => ({
  relationshipId: row.relationshipId,
  seq: row.seq,
  type: row.type as EntryType,
  payload: JSON.parse(row.payload),
  actorFirmId: row.actorFirmId,
  occurredAt: row.occurredAt,
  recordedAt: row.recordedAt,
  prevHash: row.prevHash,
  hash: row.hash,
});
export { rowToEntry };

const ENTRY_COLUMNS =
  'relationship_id as relationshipId, seq, type, payload, actor_firm_id as actorFirmId, occurred_at as occurredAt, recorded_at as recordedAt, prev_hash as prevHash, hash, confirmed_by_seq as confirmedBySeq';

/**
 * Rebuilds a promise's row from its standing history (made, then reschedules and resolution):
 * PROPOSED while made by its beneficiary and not accepted; cancellations count once accepted;
 * notice is judged by the server's clock unless the other side confirmed the entry (DESIGN §2a).
 * `made` is the PROMISE_MADE entry when the caller has it (it was just appended).
 */
function reprojectPromise(db: Db, rel: { id: string; supplierId: string }, seq: number, now: string, made?: LedgerEntry<'PROMISE_MADE'>): void {
  const relId = rel.id;
  // Plain SQL (prepared once by its text): this runs for every promise entry of a batch.
  const sqlite = sqliteOf(db);
  // Two index look-ups (the promise, then what refers to it): an OR of both would scan the ledger.
  type Row = EntryRow & { confirmedBySeq: number | null };
  const madeRows = made
    ? []
    : (sqlite.prepare(`select ${ENTRY_COLUMNS} from entries where relationship_id = ? and seq = ? and voided_by_seq is null`).all(relId, seq) as Row[]);
  const followUps = made
    ? []
    : (sqlite
        .prepare(`select ${ENTRY_COLUMNS} from entries where relationship_id = ? and subject_seq = ? and type like 'PROMISE_%' and voided_by_seq is null order by seq`)
        .all(relId, seq) as Row[]);
  const rows = [...madeRows, ...followUps];
  const confirmed = new Set(rows.filter((r) => r.confirmedBySeq !== null).map((r) => r.seq));
  const history = made ? [made as LedgerEntry] : rows.filter((r) => r.type !== 'PROMISE_CANCELLED' || r.confirmedBySeq !== null).map(rowToEntry);
  made = history.find((e) => e.seq === seq && e.type === 'PROMISE_MADE') as LedgerEntry<'PROMISE_MADE'> | undefined;
  if (!made) {
    db.update(t.promises).set({ voided: true }).where(and(eq(t.promises.relationshipId, relId), eq(t.promises.seq, seq))).run();
    return;
  }
  const events: PromiseEvent[] = history
    .filter((e) => e.seq !== seq)
    .map((e) => {
      const p = e.payload as Record<string, unknown>;
      const noticeAt = noticeTime(e, confirmed.has(e.seq));
      return e.type === 'PROMISE_RESCHEDULED'
        ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, newDueAt: p.newDueAt as string, noticeAt }
        : e.type === 'PROMISE_KEPT'
          ? p.share === undefined
            ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: p.inFull !== false }
            : { type: e.type, seq: e.seq, occurredAt: e.occurredAt, inFull: true, share: p.share as number }
          : e.type === 'PROMISE_BROKEN'
            ? { type: e.type, seq: e.seq, occurredAt: e.occurredAt, noticeAt }
            : { type: 'PROMISE_CANCELLED' as const, seq: e.seq, occurredAt: e.occurredAt };
    });
  const proposed = sideOf(rel, made.actorFirmId) !== made.payload.promisor && !confirmed.has(seq);
  // The grace only matters for open promises, whose outcome is not stored: the default suffices.
  const ev = evaluatePromise({ occurredAt: made.occurredAt, dueAt: made.payload.dueAt }, events, now, DEFAULT_POLICY.graceDays);
  sqlite
    .prepare(
      `insert into promises (relationship_id, seq, promisor, kind, description, amount, currency, made_at, original_due_at, due_at, state, outcome, resolved_at, voided)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
       on conflict (relationship_id, seq) do update set promisor = excluded.promisor, kind = excluded.kind, description = excluded.description,
         amount = excluded.amount, currency = excluded.currency, made_at = excluded.made_at, original_due_at = excluded.original_due_at,
         due_at = excluded.due_at, state = excluded.state, outcome = excluded.outcome, resolved_at = excluded.resolved_at, voided = 0`,
    )
    .run(
      relId,
      seq,
      made.payload.promisor,
      made.payload.kind,
      made.payload.description,
      made.payload.amount?.amount ?? null,
      made.payload.amount?.currency ?? null,
      made.occurredAt,
      ev.originalDueAt,
      ev.dueAt,
      proposed ? 'PROPOSED' : ev.state,
      ev.state === 'OPEN' || proposed ? null : ev.outcome,
      ev.state === 'OPEN' || proposed ? null : ev.resolvedAt,
    );
}

/** Rebuilds a complaint's response and resolution times from its standing entries. */
function reprojectInteraction(db: Db, relId: string, seq: number): void {
  // Plain SQL (prepared once by its text): this runs for every complaint follow-up of a batch.
  const sqlite = sqliteOf(db);
  const followUps = sqlite
    .prepare("select type, occurred_at as occurredAt from entries where relationship_id = ? and subject_seq = ? and type like 'COMPLAINT_%' and voided_by_seq is null order by seq")
    .all(relId, seq) as { type: string; occurredAt: string }[];
  const at = (type: string) => followUps.find((e) => e.type === type)?.occurredAt ?? null;
  sqlite
    .prepare('update interactions set first_response_at = ?, resolved_at = ? where relationship_id = ? and seq = ?')
    .run(at('COMPLAINT_RESPONDED'), at('COMPLAINT_RESOLVED'), relId, seq);
}

function reprojectRepresentative(db: Db, rel: { id: string; supplierId: string }, side: Side): void {
  const handovers = db
    .select()
    .from(t.entries)
    .where(and(eq(t.entries.relationshipId, rel.id), eq(t.entries.type, 'REPRESENTATIVE_HANDOVER'), isNull(t.entries.voidedBySeq)))
    .orderBy(desc(t.entries.seq))
    .all()
    .map(rowToEntry) as LedgerEntry<'REPRESENTATIVE_HANDOVER'>[];
  const latest = handovers.find((h) => h.payload.side === side);
  db.delete(t.representatives).where(and(eq(t.representatives.relationshipId, rel.id), eq(t.representatives.side, side))).run();
  if (latest)
    db.insert(t.representatives)
      .values({ relationshipId: rel.id, side, name: latest.payload.name, since: latest.occurredAt, seq: latest.seq })
      .run();
}

const byKey = <T extends { relationshipId: unknown; seq: unknown }>(table: T, relId: string, seq: number) =>
  and(eq(table.relationshipId as never, relId), eq(table.seq as never, seq));

/** Re-projects whatever an entry affected after it was voided, disputed or restored. */
function reprojectTarget(db: Db, rel: typeof t.relationships.$inferSelect, target: LedgerEntry, now: string): void {
  const p = target.payload as Record<string, unknown>;
  switch (target.type) {
    case 'PROMISE_MADE':
      return reprojectPromise(db, rel, target.seq, now);
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED':
      return reprojectPromise(db, rel, p.promiseSeq as number, now);
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED':
      return reprojectInteraction(db, rel.id, p.interactionSeq as number);
    case 'INTERACTION_RECORDED':
      db.update(t.interactions).set({ voided: true }).where(byKey(t.interactions, rel.id, target.seq)).run();
      return;
    case 'MEASUREMENT_RECORDED':
      db.update(t.measurements).set({ voided: true }).where(byKey(t.measurements, rel.id, target.seq)).run();
      return;
    case 'GOAL_PROPOSED':
      db.update(t.goals).set({ voided: true }).where(byKey(t.goals, rel.id, target.seq)).run();
      db.update(t.metrics).set({ voided: true }).where(and(eq(t.metrics.relationshipId, rel.id), eq(t.metrics.goalSeq, target.seq))).run();
      return;
    case 'METRIC_ADDED':
      db.update(t.metrics).set({ voided: true }).where(byKey(t.metrics, rel.id, target.seq)).run();
      return;
    case 'REPRESENTATIVE_HANDOVER':
      return reprojectRepresentative(db, rel, p.side as Side);
  }
}

/** Writes the query tables an entry changes; runs in the entry's transaction. */
export function project(db: Db, rel: typeof t.relationships.$inferSelect, entry: LedgerEntry, now: string): void {
  const relId = rel.id;
  const side = sideOf(rel, entry.actorFirmId);
  const seq = entry.seq;
  const setRel = (values: Partial<typeof t.relationships.$inferInsert>) =>
    db.update(t.relationships).set(values).where(eq(t.relationships.id, relId)).run();
  switch (entry.type) {
    case 'RELATIONSHIP_PROPOSED':
      return;
    case 'RELATIONSHIP_ACCEPTED':
      return void setRel({ status: 'ACTIVE' });
    case 'RELATIONSHIP_ENDED':
      return void setRel({ status: 'ENDED' });
    case 'POLICY_PROPOSED': {
      const p = entry.payload as Payloads['POLICY_PROPOSED'];
      db.insert(t.policies).values({ relationshipId: relId, seq, proposedBy: side, policy: JSON.stringify(p.policy), status: 'PROPOSED' }).run();
      return;
    }
    case 'POLICY_ACCEPTED': {
      const p = entry.payload as Payloads['POLICY_ACCEPTED'];
      db.update(t.policies).set({ status: 'SUPERSEDED' }).where(and(eq(t.policies.relationshipId, relId), eq(t.policies.status, 'ACCEPTED'))).run();
      db.update(t.policies).set({ status: 'ACCEPTED' }).where(byKey(t.policies, relId, p.policySeq)).run();
      return;
    }
    case 'GOAL_PROPOSED': {
      const p = entry.payload as Payloads['GOAL_PROPOSED'];
      db.insert(t.goals).values({ relationshipId: relId, seq, title: p.title, proposedBy: side, status: 'PROPOSED' }).run();
      p.metrics.forEach((m, idx) => insertMetric(db, relId, seq, idx, seq, m));
      return;
    }
    case 'METRIC_ADDED': {
      const p = entry.payload as Payloads['METRIC_ADDED'];
      insertMetric(db, relId, seq, 0, p.goalSeq, p.metric);
      return;
    }
    case 'GOAL_ACCEPTED':
    case 'GOAL_REJECTED':
    case 'GOAL_RETIRED': {
      const status = entry.type === 'GOAL_ACCEPTED' ? 'AGREED' : entry.type === 'GOAL_REJECTED' ? 'REJECTED' : 'RETIRED';
      const p = entry.payload as Payloads['GOAL_ACCEPTED'];
      db.update(t.goals).set({ status }).where(byKey(t.goals, relId, p.goalSeq)).run();
      return;
    }
    case 'MEASUREMENT_RECORDED': {
      const p = entry.payload as Payloads['MEASUREMENT_RECORDED'];
      db.insert(t.measurements)
        .values({ relationshipId: relId, seq, metricSeq: p.metricSeq, metricIdx: p.metricIndex, value: p.value, observedAt: entry.occurredAt, recordedBy: side })
        .run();
      return;
    }
    case 'PROMISE_MADE':
      return reprojectPromise(db, rel, seq, now, entry as LedgerEntry<'PROMISE_MADE'>);
    case 'PROMISE_RESCHEDULED':
    case 'PROMISE_KEPT':
    case 'PROMISE_BROKEN':
    case 'PROMISE_CANCELLED':
      return reprojectPromise(db, rel, (entry.payload as { promiseSeq: number }).promiseSeq, now);
    case 'INTERACTION_RECORDED': {
      const p = entry.payload as Payloads['INTERACTION_RECORDED'];
      sqliteOf(db)
        .prepare('insert into interactions (relationship_id, seq, kind, initiated_by, occurred_at, note, volume, score) values (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(relId, seq, p.kind, p.initiatedBy, entry.occurredAt, p.note ?? null, p.volume ?? null, p.score ?? null);
      return;
    }
    case 'COMPLAINT_RESPONDED':
    case 'COMPLAINT_RESOLVED':
      return reprojectInteraction(db, relId, (entry.payload as { interactionSeq: number }).interactionSeq);
    case 'REPRESENTATIVE_HANDOVER':
      return reprojectRepresentative(db, rel, (entry.payload as Payloads['REPRESENTATIVE_HANDOVER']).side);
    case 'ENTRY_CONFIRMED': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      db.update(t.entries).set({ confirmedBySeq: seq }).where(byKey(t.entries, relId, targetSeq)).run();
      const target = db.select().from(t.entries).where(byKey(t.entries, relId, targetSeq)).get();
      if (!target) return;
      const tp = JSON.parse(target.payload) as { entrySeq?: number; outcome?: string };
      // Accepting a proposal makes it take effect (DESIGN §2a consent).
      if (target.type === 'ENTRY_VOIDED') return applyVoid(db, rel, tp.entrySeq as number, target.seq, now);
      if (target.type === 'DISPUTE_RESOLVED') {
        if (tp.outcome === 'STRUCK') return applyVoid(db, rel, tp.entrySeq as number, target.seq, now);
        db.update(t.entries).set({ disputedBySeq: null }).where(byKey(t.entries, relId, tp.entrySeq as number)).run();
        return;
      }
      // A confirmed promise entry may change the promise: a proposal accepted, a cancellation agreed, notice vouched for.
      if (target.type.startsWith('PROMISE_')) return reprojectTarget(db, rel, rowToEntry(target), now);
      return;
    }
    case 'ENTRY_DISPUTED':
    case 'DISPUTE_WITHDRAWN': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      db.update(t.entries)
        .set({ disputedBySeq: entry.type === 'ENTRY_DISPUTED' ? seq : null })
        .where(byKey(t.entries, relId, targetSeq))
        .run();
      return;
    }
    case 'DISPUTE_RESOLVED':
      return;
    case 'ENTRY_VOIDED': {
      const targetSeq = (entry.payload as { entrySeq: number }).entrySeq;
      const target = db.select().from(t.entries).where(byKey(t.entries, relId, targetSeq)).get();
      // A void the recorder may not make alone stays a proposal until the other side accepts it.
      if (target && voidTakesEffect(db, relId, target, seq, entry.recordedAt)) applyVoid(db, rel, targetSeq, seq, now);
      return;
    }
  }
}

/** Voids an entry (by a void that took effect, or a resolution that struck it) and re-projects what it affected. */
function applyVoid(db: Db, rel: typeof t.relationships.$inferSelect, targetSeq: number, bySeq: number, now: string): void {
  db.update(t.entries).set({ voidedBySeq: bySeq, disputedBySeq: null }).where(byKey(t.entries, rel.id, targetSeq)).run();
  const target = db.select().from(t.entries).where(byKey(t.entries, rel.id, targetSeq)).get();
  if (target) reprojectTarget(db, rel, rowToEntry(target), now);
}

function insertMetric(db: Db, relId: string, seq: number, idx: number, goalSeq: number, m: Payloads['GOAL_PROPOSED']['metrics'][number]): void {
  db.insert(t.metrics)
    .values({
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
    })
    .run();
}
