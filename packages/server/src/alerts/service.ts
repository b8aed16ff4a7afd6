import type { ChurnStage } from '@trustledger/schema';
import { createPubSub, Repeater } from 'graphql-yoga';
import { and, eq, gt, lte, ne } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { entityId } from '../ids.ts';
import { RELATIONSHIP_COLUMNS, type RelationshipRow } from '../ledger/rules.ts';
import { scorecardOf } from '../scoring/state.ts';

/** What a party is told about one of its relationships. */
export interface AlertEvent {
  kind: 'STAGE_CHANGED' | 'PROMISE_OVERDUE';
  at: string;
  message: string;
  relationshipId: string;
  stage?: ChurnStage;
  previousStage?: ChurnStage;
  /** `rel:seq` of the promise, for PROMISE_OVERDUE. */
  promise?: string;
}

export type AlertPubSub = ReturnType<typeof createAlertPubSub>;
/** One topic per firm: a firm hears only about its own relationships. */
export const createAlertPubSub = () => createPubSub<{ alerts: [firmId: string, event: AlertEvent] }>();

/** How often an open alert stream re-checks its API key. */
export const STREAM_CHECK_MS = 1000;

/** Whether an API key exists and is not revoked. */
const keyActive = (db: Db, keyId: string): boolean => {
  const row = db.select({ revokedAt: t.apiKeys.revokedAt }).from(t.apiKeys).where(eq(t.apiKeys.id, keyId)).get();
  return row !== undefined && row.revokedAt === null;
};

/** Whether a firm is still party to a relationship that has not ended. */
const stillParty = (db: Db, firmId: string, relationshipId: string): boolean => {
  const rel = db
    .select({ s: t.relationships.supplierId, c: t.relationships.clientId, status: t.relationships.status })
    .from(t.relationships)
    .where(eq(t.relationships.id, relationshipId))
    .get();
  return rel !== undefined && rel.status !== 'ENDED' && (rel.s === firmId || rel.c === firmId);
};

/**
 * A firm's alert stream that revocation bites (issue 11): it ends within STREAM_CHECK_MS of its
 * API key being revoked (by the API or the CLI, in any process sharing the database), checks the
 * key again before every alert, and drops alerts about relationships that have ended or that the
 * firm is no longer party to.
 */
export function guardedAlerts(db: Db, viewer: { firmId: string; keyId: string }, source: AsyncIterable<AlertEvent>, checkMs = STREAM_CHECK_MS) {
  return new Repeater<AlertEvent>(async (push, stop) => {
    const it = source[Symbol.asyncIterator]();
    const timer = setInterval(() => {
      // A database that is gone (the server closing) ends the stream too, instead of throwing in a timer.
      try {
        if (!keyActive(db, viewer.keyId)) stop();
      } catch {
        stop();
      }
    }, checkMs);
    timer.unref?.();
    const stopped = stop.then(() => {
      clearInterval(timer);
      void it.return?.();
      return null;
    });
    for (;;) {
      const next = await Promise.race([it.next(), stopped]);
      if (next === null || next.done) break;
      if (!keyActive(db, viewer.keyId)) break;
      if (stillParty(db, viewer.firmId, next.value.relationshipId)) await push(next.value);
    }
    stop();
    await stopped;
  });
}

/** The announced churn stage (after the policy's dwell, DESIGN §3 "Hysteresis"): what alerts follow, not every flicker. */
const stageOf = (db: Db, rel: RelationshipRow, at: string): ChurnStage =>
  (scorecardOf(db, rel, at) as { churn: { announcedStage: ChurnStage } }).churn.announcedStage;

/** Relationships a write touched, as they stood before it (keyed by the transaction). */
const touched = new WeakMap<object, Map<string, RelationshipRow>>();

/** Remembers a relationship as it stood before a transaction's first write to it. Cheap: no scoring. */
export function beforeWrite(tx: Db, rel: RelationshipRow): void {
  const map = touched.get(tx) ?? new Map<string, RelationshipRow>();
  touched.set(tx, map);
  if (!map.has(rel.id)) map.set(rel.id, rel);
}

/**
 * After commit: tells both firms of every relationship whose announced churn stage the write changed.
 * Never throws: the write is already acknowledged, an alert that fails must not undo that.
 */
export function afterCommit(tx: Db, db: Db, pubsub: AlertPubSub | undefined, now: string): void {
  const map = touched.get(tx);
  touched.delete(tx);
  if (!map || !pubsub) return;
  for (const [relId, before] of map) {
    try {
      publishStageChange(db, pubsub, relId, before, now);
    } catch (error) {
      console.error('alert for relationship %s failed: %s', relId, (error as Error).message);
    }
  }
}

/**
 * The announced stage each relationship was last reported at, per alert channel: the write path
 * and the stage watcher both compare with it, so a change is told once, whichever sees it first.
 */
const announced = new WeakMap<AlertPubSub, Map<string, ChurnStage>>();
const announcedOf = (pubsub: AlertPubSub): Map<string, ChurnStage> => {
  let map = announced.get(pubsub);
  if (!map) announced.set(pubsub, (map = new Map()));
  return map;
};

function publishStage(pubsub: AlertPubSub, rel: RelationshipRow, previousStage: ChurnStage, stage: ChurnStage, now: string): void {
  announcedOf(pubsub).set(rel.id, stage);
  if (stage === previousStage) return;
  const event: AlertEvent = {
    kind: 'STAGE_CHANGED',
    at: now,
    relationshipId: rel.id,
    stage,
    previousStage,
    message: `Churn stage moved from ${previousStage} to ${stage}.${stage === 'THAWING' ? ' Repair is still possible: reach out now.' : ''}`,
  };
  pubsub.publish('alerts', rel.supplierId, event);
  pubsub.publish('alerts', rel.clientId, event);
}

function publishStageChange(db: Db, pubsub: AlertPubSub, relId: string, before: RelationshipRow, now: string): void {
  // Plain SQL (prepared once by its text, see sqliteOf): it runs after every write.
  const rel = sqliteOf(db).prepare(`select ${RELATIONSHIP_COLUMNS} from relationships where id = ?`).get(relId) as RelationshipRow | undefined;
  if (!rel) return;
  const previousStage = announcedOf(pubsub).get(relId) ?? (before.headSeq === 0 ? 'STABLE' : stageOf(db, before, now));
  publishStage(pubsub, rel, previousStage, stageOf(db, rel, now), now);
}

/**
 * Watches for announced churn stages that change by time passing alone, with no write (DESIGN §3
 * "Hysteresis": a stage announced once it has held for the dwell; evidence that ages out; a
 * silence that grows into SWITCHING or LOST), and tells both firms, as a write's change is told.
 * Every `intervalMs` it reads the announced stage at `now()` of each relationship that has not
 * ended and compares it with the last one announced (or, the first time it sees a relationship,
 * with its announced stage at the previous check). Returns a function that stops it.
 */
export function watchStages(db: Db, pubsub: AlertPubSub, now: () => string, intervalMs = 60_000): () => void {
  let since = now();
  const tick = () => {
    const until = now();
    const last = announcedOf(pubsub);
    const rels = db
      .select()
      .from(t.relationships)
      .where(and(eq(t.relationships.status, 'ACTIVE'), gt(t.relationships.headSeq, 0)))
      .all();
    for (const rel of rels) {
      try {
        const previousStage = last.get(rel.id) ?? stageOf(db, rel, since);
        publishStage(pubsub, rel, previousStage, stageOf(db, rel, until), until);
      } catch (error) {
        console.error('stage check of relationship %s failed: %s', rel.id, (error as Error).message);
      }
    }
    since = until;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Watches for promises that become overdue and tells both firms. Polls the open-promise index
 * every `intervalMs`; returns a function that stops it.
 */
export function watchOverdue(db: Db, pubsub: AlertPubSub, now: () => string, intervalMs = 15_000): () => void {
  let since = now();
  const tick = () => {
    const until = now();
    const due = db
      .select({ p: t.promises, supplierId: t.relationships.supplierId, clientId: t.relationships.clientId })
      .from(t.promises)
      .innerJoin(t.relationships, eq(t.relationships.id, t.promises.relationshipId))
      .where(
        and(
          eq(t.promises.state, 'OPEN'),
          eq(t.promises.voided, false),
          ne(t.relationships.status, 'ENDED'),
          gt(t.promises.dueAt, since),
          lte(t.promises.dueAt, until),
        ),
      )
      .all();
    for (const { p, supplierId, clientId } of due) {
      const event: AlertEvent = {
        kind: 'PROMISE_OVERDUE',
        at: until,
        relationshipId: p.relationshipId,
        promise: entityId(p.relationshipId, p.seq),
        message: `${p.promisor === 'SUPPLIER' ? 'The supplier' : 'The client'}'s promise "${p.description}" is now overdue.`,
      };
      pubsub.publish('alerts', supplierId, event);
      pubsub.publish('alerts', clientId, event);
    }
    since = until;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
