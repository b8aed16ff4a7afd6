import type { ChurnStage } from '@trustledger/schema';
import { createPubSub } from 'graphql-yoga';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { entityId } from '../ids.ts';
import type { RelationshipRow } from '../ledger/rules.ts';
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

function publishStageChange(db: Db, pubsub: AlertPubSub, relId: string, before: RelationshipRow, now: string): void {
  {
    const rel = db.select().from(t.relationships).where(eq(t.relationships.id, relId)).get();
    if (!rel) return;
    const previousStage = before.headSeq === 0 ? 'STABLE' : stageOf(db, before, now);
    const stage = stageOf(db, rel, now);
    if (stage === previousStage) return;
    const event: AlertEvent = {
      kind: 'STAGE_CHANGED',
      at: now,
      relationshipId: relId,
      stage,
      previousStage,
      message: `Churn stage moved from ${previousStage} to ${stage}.${stage === 'THAWING' ? ' Repair is still possible: reach out now.' : ''}`,
    };
    pubsub.publish('alerts', rel.supplierId, event);
    pubsub.publish('alerts', rel.clientId, event);
  }
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
      .where(and(eq(t.promises.state, 'OPEN'), eq(t.promises.voided, false), gt(t.promises.dueAt, since), lte(t.promises.dueAt, until)))
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
