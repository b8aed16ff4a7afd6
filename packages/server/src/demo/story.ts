import type { EntryType, InteractionKind, MetricDefinition, PromiseKind, Side } from '@trustledger/schema';
import { Random } from './random.ts';

export const S: Side = 'SUPPLIER';
export const C: Side = 'CLIENT';

/** The seq of an earlier event of the same story, by its key. */
export type Ref = (key: string) => number;

/** One entry of a demo ledger, in days since the story's clock started. */
export interface StoryEvent {
  /** Days since the start of the demo year (fractional: 12.5 is noon on day 12). */
  at: number;
  /** Insertion order: breaks ties between events at the same time. */
  order: number;
  by: Side;
  type: EntryType;
  payload: (ref: Ref) => object;
  /** Names the entry so later events can refer to its seq. */
  key?: string;
  /**
   * When the server recorded it, in demo days; default `at` (recorded as it happened). Later:
   * a back-dated entry (late bookkeeping), which buys no notice or speed (DESIGN §2a).
   */
  recordedAt?: number;
}

/** A time of day on a day of the demo year, as fractional days. */
export const day = (d: number, hour = 9, minute = 0): number => d + (hour + minute / 60) / 24;

export interface PromiseSpec {
  promisor: Side;
  kind: PromiseKind;
  description: string;
  /** Due time, in demo days. */
  due: number;
  amount?: { amount: number; currency: string };
}

/**
 * A relationship's history written as a script: events are added in any order with the time they
 * happened and later put in time order, so a story can be told thread by thread (a promise and
 * its outcome together) while the ledger still reads chronologically.
 */
export class Story {
  readonly events: StoryEvent[] = [];
  readonly rng: Random;
  /** Day 0 in epoch milliseconds, set by the seed before it records the story. */
  private start: number | null = null;

  constructor(
    /** A stable name; also seeds the story's random numbers. */
    readonly name: string,
    readonly supplier: string,
    readonly client: string,
    readonly proposedBy: Side,
    readonly proposedAt: number,
    acceptedAt: number,
  ) {
    this.rng = new Random(name);
    this.record(acceptedAt, proposedBy === S ? C : S, 'RELATIONSHIP_ACCEPTED', {});
  }

  /** Adds an entry; `payload` may be a function of earlier entries' seqs. */
  record(at: number, by: Side, type: EntryType, payload: object | ((ref: Ref) => object), key?: string): this {
    const fn = typeof payload === 'function' ? (payload as (ref: Ref) => object) : () => payload;
    this.events.push({ at, order: this.events.length, by, type, payload: fn, key });
    return this;
  }

  /** Marks the last event added as recorded by the server later, on demo day `recordedAt` (back-dated). */
  recordedLater(recordedAt: number): this {
    const last = this.events[this.events.length - 1];
    if (last) last.recordedAt = recordedAt;
    return this;
  }

  handover(at: number, side: Side, name: string): this {
    return this.record(at, side, 'REPRESENTATIVE_HANDOVER', { side, name });
  }

  goal(key: string, at: number, by: Side, title: string, metrics: MetricDefinition[]): this {
    return this.record(at, by, 'GOAL_PROPOSED', { title, metrics }, key);
  }

  addMetric(key: string, goal: string, at: number, by: Side, metric: MetricDefinition): this {
    return this.record(at, by, 'METRIC_ADDED', (ref) => ({ goalSeq: ref(goal), metric }), key);
  }

  acceptGoal(goal: string, at: number, by: Side): this {
    return this.record(at, by, 'GOAL_ACCEPTED', (ref) => ({ goalSeq: ref(goal) }));
  }

  /** A measurement of metric `index` of the goal or METRIC_ADDED entry named `metric`. */
  measure(at: number, by: Side, metric: string, index: number, value: number, opts: { note?: string; key?: string } = {}): this {
    const payload = (ref: Ref) => ({ metricSeq: ref(metric), metricIndex: index, value, ...(opts.note ? { note: opts.note } : {}) });
    return this.record(at, by, 'MEASUREMENT_RECORDED', payload, opts.key);
  }

  promise(key: string, at: number, by: Side, p: PromiseSpec): this {
    const payload = () => ({
      promisor: p.promisor,
      kind: p.kind,
      description: p.description,
      dueAt: this.iso(p.due),
      ...(p.amount ? { amount: p.amount } : {}),
    });
    return this.record(at, by, 'PROMISE_MADE', payload, key);
  }

  reschedule(promise: string, at: number, by: Side, newDue: number, reason: string, key?: string): this {
    return this.record(at, by, 'PROMISE_RESCHEDULED', (ref) => ({ promiseSeq: ref(promise), newDueAt: this.iso(newDue), reason }), key);
  }

  /** A promise kept: by its promisor a claim, attested by the beneficiary's confirm or after the policy's window. */
  keep(promise: string, at: number, by: Side, opts: { inFull?: boolean; key?: string } = {}): this {
    return this.record(at, by, 'PROMISE_KEPT', (ref) => ({ promiseSeq: ref(promise), inFull: opts.inFull ?? true }), opts.key);
  }

  broken(promise: string, at: number, by: Side, reason: string, key?: string): this {
    return this.record(at, by, 'PROMISE_BROKEN', (ref) => ({ promiseSeq: ref(promise), reason }), key);
  }

  /** Proposes a cancellation (`key` names it so the other side can accept it with confirm). */
  cancel(promise: string, at: number, by: Side, reason: string, key?: string): this {
    return this.record(at, by, 'PROMISE_CANCELLED', (ref) => ({ promiseSeq: ref(promise), reason }), key);
  }

  /** Proposes a resolution of the dispute of entry `entry`: it STANDS or is STRUCK. */
  resolveDispute(entry: string, at: number, by: Side, outcome: 'STANDS' | 'STRUCK', note: string, key?: string): this {
    return this.record(at, by, 'DISPUTE_RESOLVED', (ref) => ({ entrySeq: ref(entry), outcome, note }), key);
  }

  interaction(
    at: number,
    by: Side,
    kind: InteractionKind,
    initiatedBy: Side,
    fields: { note?: string; volume?: number; score?: number } = {},
    key?: string,
  ): this {
    return this.record(at, by, 'INTERACTION_RECORDED', { kind, initiatedBy, ...fields }, key);
  }

  respond(complaint: string, at: number, by: Side, note?: string): this {
    return this.record(at, by, 'COMPLAINT_RESPONDED', (ref) => ({ interactionSeq: ref(complaint), ...(note ? { note } : {}) }));
  }

  resolve(complaint: string, at: number, by: Side, note?: string): this {
    return this.record(at, by, 'COMPLAINT_RESOLVED', (ref) => ({ interactionSeq: ref(complaint), ...(note ? { note } : {}) }));
  }

  /** Confirms the other side's entry, or accepts its proposal. */
  confirm(entry: string, at: number, by: Side): this {
    return this.record(at, by, 'ENTRY_CONFIRMED', (ref) => ({ entrySeq: ref(entry) }));
  }

  dispute(entry: string, at: number, by: Side, reason: string, key?: string): this {
    return this.record(at, by, 'ENTRY_DISPUTED', (ref) => ({ entrySeq: ref(entry), reason }), key);
  }

  /** The events in the order they happened. */
  timeline(): StoryEvent[] {
    return [...this.events].sort((a, b) => a.at - b.at || a.order - b.order);
  }

  /** Demo days to RFC 3339, against the clock the seed sets before recording. */
  iso(at: number): string {
    if (this.start === null) throw new Error('the story clock is not set');
    return new Date(this.start + Math.round(at * 86_400_000)).toISOString();
  }

  /** Sets day 0 of the story (epoch milliseconds). */
  setClock(start: number): this {
    this.start = start;
    return this;
  }
}
