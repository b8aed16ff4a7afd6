import type { EntryType } from '@trustledger/schema';
import type { BatchEntry } from './ledger.ts';

const DAY = 86_400_000;

/**
 * Writes a relationship's history as batch entries, tracking the seq each entry will get
 * (seq 1 and 2 are the proposal and acceptance), so later entries can refer to earlier ones.
 */
export class Story {
  readonly entries: BatchEntry[] = [];
  private seq = 2;
  private now: number;

  constructor(start: string | number) {
    this.now = typeof start === 'number' ? start : Date.parse(start);
  }

  /** Moves the story's clock. */
  at(time: number | string): this {
    this.now = typeof time === 'number' ? time : Date.parse(time);
    return this;
  }

  later(days: number): this {
    this.now += days * DAY;
    return this;
  }

  get time(): number {
    return this.now;
  }

  add(type: EntryType, payload: Record<string, unknown>): number {
    this.entries.push({ type, occurredAt: new Date(this.now).toISOString(), payload });
    return ++this.seq;
  }

  promise(promisor: 'SUPPLIER' | 'CLIENT', kind: string, description: string, dueInDays: number, amount?: { amount: number; currency: string }): { seq: number; dueAt: number } {
    const dueAt = this.now + dueInDays * DAY;
    const seq = this.add('PROMISE_MADE', { promisor, kind, description, dueAt: new Date(dueAt).toISOString(), ...(amount ? { amount } : {}) });
    return { seq, dueAt };
  }

  interaction(kind: string, initiatedBy: 'SUPPLIER' | 'CLIENT', extra: Record<string, unknown> = {}): number {
    return this.add('INTERACTION_RECORDED', { kind, initiatedBy, ...extra });
  }
}
