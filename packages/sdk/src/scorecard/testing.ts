import {
  type EntryType,
  GENESIS_HASH,
  hashEntry,
  type LedgerEntry,
  type PayloadInputs,
  type Payloads,
  type Side,
  validatePayload,
} from '@trustledger/schema';

/** Options of a LedgerBuilder. */
export interface LedgerBuilderOptions {
  /** @default 'rel-1' */
  relationshipId?: string;
  /** @default 'supplier-firm' */
  supplierFirmId?: string;
  /** @default 'client-firm' */
  clientFirmId?: string;
  /** Time of the first entries. @default '2025-01-01T09:00:00.000Z' */
  start?: string;
  /** Validate payloads with the contract (off only for bulk benchmarks). @default true */
  validate?: boolean;
}

/**
 * Builds real hash-chained ledgers for tests, examples and benchmarks: payloads validated and
 * normalised by `validatePayload`, hashes by `hashEntry`. Starts with RELATIONSHIP_PROPOSED (seq 1)
 * by the supplier and RELATIONSHIP_ACCEPTED (seq 2) by the client.
 */
export class LedgerBuilder {
  readonly entries: LedgerEntry[] = [];
  readonly supplierFirmId: string;
  readonly clientFirmId: string;
  private readonly relationshipId: string;
  private readonly validate: boolean;
  private now: number;
  private recorded = 0;

  constructor(options: LedgerBuilderOptions = {}) {
    this.relationshipId = options.relationshipId ?? 'rel-1';
    this.supplierFirmId = options.supplierFirmId ?? 'supplier-firm';
    this.clientFirmId = options.clientFirmId ?? 'client-firm';
    this.validate = options.validate ?? true;
    this.now = Date.parse(options.start ?? '2025-01-01T09:00:00.000Z');
    this.add('RELATIONSHIP_PROPOSED', { supplierFirmId: this.supplierFirmId, clientFirmId: this.clientFirmId }, { by: 'SUPPLIER' });
    this.add('RELATIONSHIP_ACCEPTED', {}, { by: 'CLIENT' });
  }

  /** The builder's clock, as a canonical time string. */
  get time(): string {
    return new Date(this.now).toISOString();
  }

  /** Sets the clock to a time. */
  at(time: string | number): this {
    this.now = typeof time === 'number' ? time : Date.parse(time);
    return this;
  }

  /** Moves the clock forward by days (fractions allowed). */
  advance(days: number): this {
    this.now += days * 86_400_000;
    return this;
  }

  /** The time `days` from the clock, as a canonical string (for due dates). */
  inDays(days: number): string {
    return new Date(this.now + days * 86_400_000).toISOString();
  }

  /** Appends an entry recorded by `by` (default: the supplier) at the clock or `at`; returns its seq. */
  add<T extends EntryType>(type: T, payload: PayloadInputs[T], options: { by?: Side; at?: string | number } = {}): number {
    const occurred = options.at === undefined ? this.now : typeof options.at === 'number' ? options.at : Date.parse(options.at);
    let data: Payloads[T];
    if (this.validate) {
      const result = validatePayload(type, payload);
      if (!result.success) throw new Error(`invalid ${type} payload: ${result.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      data = result.data;
    } else data = payload as Payloads[T];
    const prev = this.entries[this.entries.length - 1];
    this.recorded = Math.max(this.recorded + 1, occurred);
    const fields = {
      relationshipId: this.relationshipId,
      seq: this.entries.length + 1,
      type,
      payload: data,
      actorFirmId: (options.by ?? 'SUPPLIER') === 'SUPPLIER' ? this.supplierFirmId : this.clientFirmId,
      occurredAt: new Date(occurred).toISOString(),
      recordedAt: new Date(this.recorded).toISOString(),
      prevHash: prev ? prev.hash : GENESIS_HASH,
    };
    const entry = { ...fields, hash: hashEntry(fields) } as LedgerEntry<T>;
    this.entries.push(entry);
    return entry.seq;
  }

  /** PROMISE_MADE by `promisor`, due `dueInDays` from the clock, with an optional amount (ISO 4217 currency). */
  promise(promisor: Side, kind: Payloads['PROMISE_MADE']['kind'], description: string, dueInDays: number, amount?: { amount: number; currency: string }): number {
    return this.add('PROMISE_MADE', { promisor, kind, description, dueAt: this.inDays(dueInDays), ...(amount ? { amount } : {}) }, { by: promisor });
  }

  /** PROMISE_KEPT at the clock: the rest of the promise (inFull false: the older "kept in part", which closes it). */
  keep(promiseSeq: number, by: Side, inFull = true): number {
    return this.add('PROMISE_KEPT', { promiseSeq, inFull }, { by });
  }

  /** PROMISE_KEPT of a share (0 < share ≤ 1) of the promise at the clock; the rest stays open. */
  keepShare(promiseSeq: number, by: Side, share: number): number {
    return this.add('PROMISE_KEPT', { promiseSeq, share }, { by });
  }

  /** PROMISE_RESCHEDULED at the clock to `newDueInDays` from the clock. */
  reschedule(promiseSeq: number, by: Side, newDueInDays: number, reason = 'capacity problem'): number {
    return this.add('PROMISE_RESCHEDULED', { promiseSeq, newDueAt: this.inDays(newDueInDays), reason }, { by });
  }

  /** PROMISE_BROKEN at the clock. */
  break(promiseSeq: number, by: Side, reason = 'cannot deliver'): number {
    return this.add('PROMISE_BROKEN', { promiseSeq, reason }, { by });
  }

  /** INTERACTION_RECORDED initiated (and recorded) by `initiatedBy`. */
  interaction(
    kind: Payloads['INTERACTION_RECORDED']['kind'],
    initiatedBy: Side,
    extra: { volume?: number; score?: number; note?: string } = {},
  ): number {
    return this.add('INTERACTION_RECORDED', { kind, initiatedBy, ...extra }, { by: initiatedBy });
  }
}

/**
 * mulberry32 (Tommy Ettinger, 2017): a small, fast, seeded pseudo-random generator returning
 * floats uniform in [0, 1), so a random ledger or a simulation can be replayed from its seed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
