import type { ChurnStage } from '@trustledger/schema';
import { createPubSub, Repeater } from 'graphql-yoga';
import { entityId } from '../ids.ts';
import type { RelationshipRow, Store, WriteTx } from '../store/index.ts';
import { scorecardOf, writtenRow } from '../scoring/state.ts';

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
/**
 * One topic per firm: a firm hears only about its own relationships. `eventTarget`: where events
 * travel (Store.sharedEvents: every instance on one PostgreSQL database); default in-process.
 */
export const createAlertPubSub = (eventTarget?: EventTarget) => {
  const pubsub = createPubSub<{ alerts: [firmId: string, event: AlertEvent] }>(eventTarget ? { eventTarget: eventTarget as never } : undefined);
  if (eventTarget) shared.add(pubsub);
  return pubsub;
};

/** Channels whose events reach other instances (Store.sharedEvents): who listens there is not known here. */
const shared = new WeakSet<object>();
/** Open alert streams on this instance, per channel and firm. */
const listening = new WeakMap<object, Map<string, number>>();

/** Whether an alert to `firmId` on this channel may be heard: a stream of the firm is open here, or the channel is shared. */
const mayHear = (pubsub: AlertPubSub, firmId: string): boolean => shared.has(pubsub) || (listening.get(pubsub)?.get(firmId) ?? 0) > 0;

/**
 * A firm's alerts from `pubsub`, counted as an open stream from this call until the stream ends
 * or is returned, so a write works out the churn stages it may have changed only while someone
 * can hear of them (afterCommit).
 */
export function subscribeAlerts(pubsub: AlertPubSub, firmId: string): AsyncIterable<AlertEvent> {
  let counts = listening.get(pubsub);
  if (!counts) listening.set(pubsub, (counts = new Map()));
  const open = counts;
  open.set(firmId, (open.get(firmId) ?? 0) + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const left = (open.get(firmId) ?? 1) - 1;
    if (left > 0) open.set(firmId, left);
    else open.delete(firmId);
  };
  const source = pubsub.subscribe('alerts', firmId);
  return {
    [Symbol.asyncIterator]() {
      const it = source[Symbol.asyncIterator]();
      return {
        next: async () => {
          const r = await it.next();
          if (r.done) release();
          return r;
        },
        return: async (value?: unknown) => {
          release();
          return (await it.return?.(value)) ?? { done: true as const, value: undefined };
        },
      };
    },
  };
}

/** How often an open alert stream re-checks its API key. */
export const STREAM_CHECK_MS = 1000;

/** Whether an API key exists and is not revoked. */
const keyActive = async (store: Store, keyId: string): Promise<boolean> => {
  const row = await store.apiKey(keyId);
  return row !== undefined && row.revokedAt === null;
};

/** Whether a firm is still party to a relationship that has not ended. */
const stillParty = async (store: Store, firmId: string, relationshipId: string): Promise<boolean> => {
  const rel = await store.relationship(relationshipId);
  return rel !== undefined && rel.status !== 'ENDED' && (rel.supplierId === firmId || rel.clientId === firmId);
};

/**
 * A firm's alert stream that revocation bites (issue 11): it ends within STREAM_CHECK_MS of its
 * API key being revoked (by the API or the CLI, in any process sharing the database), checks the
 * key again before every alert, and drops alerts about relationships that have ended or that the
 * firm is no longer party to.
 */
export function guardedAlerts(store: Store, viewer: { firmId: string; keyId: string }, source: AsyncIterable<AlertEvent>, checkMs = STREAM_CHECK_MS) {
  return new Repeater<AlertEvent>(async (push, stop) => {
    const it = source[Symbol.asyncIterator]();
    const timer = setInterval(() => {
      // A database that is gone (the server closing) ends the stream too, instead of failing in a timer.
      keyActive(store, viewer.keyId).then(
        (active) => active || stop(),
        () => stop(),
      );
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
      if (!(await keyActive(store, viewer.keyId))) break;
      if (await stillParty(store, viewer.firmId, next.value.relationshipId)) await push(next.value);
    }
    stop();
    await stopped;
  });
}

/** The announced churn stage (after the policy's dwell, DESIGN §3 "Hysteresis"): what alerts follow, not every flicker. */
const stageOf = async (store: Store, rel: RelationshipRow, at: string): Promise<ChurnStage> =>
  ((await scorecardOf(store, rel, at)) as { churn: { announcedStage: ChurnStage } }).churn.announcedStage;

/** Relationships a write touched, as they stood before it (keyed by the transaction's scope). */
const touched = new WeakMap<object, Map<string, RelationshipRow>>();

/** Remembers a relationship as it stood before a transaction's first write to it. Cheap: no scoring. */
export function beforeWrite(tx: WriteTx, rel: RelationshipRow): void {
  const map = touched.get(tx.scope) ?? new Map<string, RelationshipRow>();
  touched.set(tx.scope, map);
  if (!map.has(rel.id)) map.set(rel.id, rel);
}

/**
 * After commit: tells both firms of every relationship whose announced churn stage the write
 * (its transaction's `scope`, WriteTx.scope) changed, from the row as the write left it
 * (scoring/state.ts writtenRow), read again only if it is not known. When neither firm can hear
 * (no stream of theirs open on this instance, and the channel not shared with others), the stage
 * is not worked out: the last one announced is forgotten instead, so the stage watcher compares
 * from its own window's start and tells no one later of a change no one could hear when it
 * happened. Never rejects: the write is already acknowledged, an alert that fails must not undo that.
 */
export async function afterCommit(scope: object, store: Store, pubsub: AlertPubSub | undefined, now: string): Promise<void> {
  const map = touched.get(scope);
  touched.delete(scope);
  if (!map || !pubsub) return;
  for (const [relId, before] of map) {
    if (!mayHear(pubsub, before.supplierId) && !mayHear(pubsub, before.clientId)) {
      announcedOf(pubsub).delete(relId);
      continue;
    }
    try {
      await publishStageChange(store, pubsub, relId, before, now, writtenRow(scope, relId));
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

/**
 * Notes a STAGE_CHANGED alert that another instance published (Store.sharedEvents), so this
 * instance's stage watcher does not tell the same change again.
 */
export function noteAlert(pubsub: AlertPubSub, event: unknown): void {
  const e = event as Partial<AlertEvent> | null;
  if (e?.kind === 'STAGE_CHANGED' && e.relationshipId && e.stage) announcedOf(pubsub).set(e.relationshipId, e.stage);
}

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

async function publishStageChange(store: Store, pubsub: AlertPubSub, relId: string, before: RelationshipRow, now: string, written?: RelationshipRow): Promise<void> {
  const rel = written ?? (await store.relationship(relId));
  if (!rel) return;
  const previousStage = announcedOf(pubsub).get(relId) ?? (before.headSeq === 0 ? 'STABLE' : await stageOf(store, before, now));
  publishStage(pubsub, rel, previousStage, await stageOf(store, rel, now), now);
}

/**
 * Watches for announced churn stages that change by time passing alone, with no write (DESIGN §3
 * "Hysteresis": a stage announced once it has held for the dwell; evidence that ages out; a
 * silence that grows into SWITCHING or LOST), and tells both firms, as a write's change is told.
 * Every `intervalMs` it reads the announced stage at `now()` of each relationship that has not
 * ended and compares it with the last one announced (or, the first time it sees a relationship,
 * with its announced stage at the previous check). Returns a function that stops it.
 */
export function watchStages(store: Store, pubsub: AlertPubSub, now: () => string, intervalMs = 60_000): () => void {
  return pollWindows(store, now, intervalMs, 'stage check', async (since, until) => {
    const last = announcedOf(pubsub);
    for (const rel of await store.activeRelationships()) {
      try {
        const previousStage = last.get(rel.id) ?? (await stageOf(store, rel, since));
        publishStage(pubsub, rel, previousStage, await stageOf(store, rel, until), until);
      } catch (error) {
        console.error('stage check of relationship %s failed: %s', rel.id, (error as Error).message);
      }
    }
  });
}

/**
 * Watches for promises that become overdue and tells both firms. Polls the open-promise index
 * every `intervalMs`; returns a function that stops it.
 */
export function watchOverdue(store: Store, pubsub: AlertPubSub, now: () => string, intervalMs = 15_000): () => void {
  return pollWindows(store, now, intervalMs, 'overdue check', async (since, until) => {
    for (const { promise: p, supplierId, clientId } of await store.fallenDue(since, until)) {
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
  });
}

/**
 * Runs `check(since, until)` every `intervalMs` (ms) over the business time since the last window
 * it finished, on the leading instance only (Store.leads: the others keep their place, to take
 * over from it). A check still running is not started twice: the next tick covers the time it
 * missed. A check that throws is logged (`what` names it) and its window is tried again at the
 * next tick. Returns a function that stops the polling.
 */
function pollWindows(store: Store, now: () => string, intervalMs: number, what: string, check: (since: string, until: string) => Promise<void>): () => void {
  let since = now();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const until = now();
    try {
      if (store.leads()) await check(since, until);
      since = until;
    } catch (error) {
      console.error('%s failed: %s', what, (error as Error).message);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
