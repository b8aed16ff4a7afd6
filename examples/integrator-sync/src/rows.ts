/**
 * From CSV rows to ledger entries. Each row is a promise or something that happened to one
 * (reschedule, keep, break, cancel), named by an external ref such as PO-1042. A follow-up row
 * refers to its promise by the seq the promise has, or will have, in the ledger; rows whose entry
 * the ledger already holds are skipped, so re-running a file (or a longer version of it) records
 * only what is new.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';

/** One CSV row as read (all cells strings; empty where a column does not apply). */
export type Row = Record<string, string>;

/** A ledger entry to record, with the line it came from and the seq it will get. */
export interface PlannedEntry {
  line: number;
  seq: number;
  type: 'PROMISE_MADE' | 'PROMISE_RESCHEDULED' | 'PROMISE_KEPT' | 'PROMISE_BROKEN' | 'PROMISE_CANCELLED';
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** An entry already in the ledger, as the API returns it. */
export interface ExistingEntry {
  seq: number;
  type: string;
  occurredAt: string;
  /** When the server recorded it (its clock); a row dated ahead of that clock was recorded at it. */
  recordedAt?: string;
  payload: unknown;
}

export interface Plan {
  /** Entries to record, in file order, numbered from the head's seq + 1. */
  fresh: PlannedEntry[];
  /** Rows whose entry the ledger already holds. */
  already: number;
}

/** A row that cannot become an entry: its line in the file (the header is line 1) and why. */
export class RowError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parses the CSV: a header row naming the columns, then one event per row. */
export function readRows(text: string): Row[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
}

const FOLLOW_UPS = { reschedule: 'PROMISE_RESCHEDULED', keep: 'PROMISE_KEPT', break: 'PROMISE_BROKEN', cancel: 'PROMISE_CANCELLED' } as const;

/** An RFC 3339 time with an offset, or a bare date (midnight UTC), in the ledger's form. */
function time(value: string | undefined, column: string, line: number): string {
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i.test(value ?? '');
  const ms = ok ? Date.parse(value as string) : Number.NaN;
  if (Number.isNaN(ms)) throw new RowError(line, `${column} "${value ?? ''}" is not a date-time with an offset (2026-03-01T09:00:00Z) or a date`);
  return new Date(ms).toISOString();
}

function required(row: Row, column: string, line: number): string {
  const value = row[column];
  if (!value) throw new RowError(line, `${column} is required for a ${row.type} row`);
  return value;
}

/** The entry a row stands for; `promiseSeq` finds the seq of the promise a follow-up names. */
function toEntry(row: Row, line: number, promiseSeq: (ref: string) => number | undefined): Omit<PlannedEntry, 'seq' | 'line'> {
  const occurredAt = time(row.occurred_at, 'occurred_at', line);
  const ref = required(row, 'ref', line);
  if (row.type === 'promise') {
    const payload: Record<string, unknown> = {
      promisor: required(row, 'promisor', line).toUpperCase(),
      kind: required(row, 'kind', line).toUpperCase(),
      description: required(row, 'description', line),
      dueAt: time(row.due_at, 'due_at', line),
    };
    if (row.amount || row.currency) payload.amount = { amount: Number(required(row, 'amount', line)), currency: required(row, 'currency', line) };
    return { type: 'PROMISE_MADE', occurredAt, payload };
  }
  const type = FOLLOW_UPS[row.type as keyof typeof FOLLOW_UPS];
  if (!type) throw new RowError(line, `type "${row.type}" is not one of promise, ${Object.keys(FOLLOW_UPS).join(', ')}`);
  const seq = promiseSeq(ref);
  if (seq === undefined) throw new RowError(line, `no promise row above has ref ${ref}`);
  if (type === 'PROMISE_KEPT') return { type, occurredAt, payload: { promiseSeq: seq, inFull: row.in_full !== 'false' } };
  if (type === 'PROMISE_RESCHEDULED')
    return { type, occurredAt, payload: { promiseSeq: seq, newDueAt: time(row.new_due_at, 'new_due_at', line), reason: required(row, 'reason', line) } };
  return { type, occurredAt, payload: { promiseSeq: seq, reason: required(row, 'reason', line) } };
}

/** JSON with sorted keys: equal payloads give equal strings whatever their key order. */
const sortedJson = (value: unknown): string =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(value);

const identity = (e: { type: string; occurredAt: string; payload: unknown }) => `${e.type} ${e.occurredAt} ${sortedJson(e.payload)}`;
const contentOf = (e: { type: string; payload: unknown }) => `${e.type} ${sortedJson(e.payload)}`;

/** How far ahead of its clock the server accepts a time (and records it as its now): 5 minutes. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Turns rows into the entries still to record. A row whose entry (same type, time and payload)
 * is in the ledger is skipped, and a promise found there keeps its seq for the rows that follow
 * it; each other row gets the next seq after `headSeq`. Throws every bad row at once.
 */
export function plan(rows: readonly Row[], ledger: readonly ExistingEntry[], headSeq: number): Plan {
  const inLedger = new Map<string, number[]>();
  for (const e of ledger) inLedger.set(identity(e), [...(inLedger.get(identity(e)) ?? []), e.seq]);
  // A time ahead of the server's clock (up to its 5-minute skew) is recorded as the server's now:
  // such an entry (occurredAt = recordedAt) stands for a row of the same type and payload dated
  // up to the skew after it, so a re-run does not record that row again.
  const atServerNow = new Map<string, { seq: number; at: number }[]>();
  for (const e of ledger)
    if (e.recordedAt !== undefined && e.occurredAt === e.recordedAt)
      atServerNow.set(contentOf(e), [...(atServerNow.get(contentOf(e)) ?? []), { seq: e.seq, at: Date.parse(e.recordedAt) }]);
  const used = new Set<number>();
  const take = (seqs: number[] | undefined): number | undefined => {
    for (let s = seqs?.shift(); s !== undefined; s = seqs?.shift())
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    return undefined;
  };
  const takeAhead = (entry: { type: string; occurredAt: string; payload: unknown }): number | undefined => {
    const at = Date.parse(entry.occurredAt);
    const candidates = atServerNow.get(contentOf(entry)) ?? [];
    const i = candidates.findIndex((c) => !used.has(c.seq) && c.at < at && at <= c.at + CLOCK_SKEW_MS);
    if (i < 0) return undefined;
    const [match] = candidates.splice(i, 1);
    used.add(match.seq);
    return match.seq;
  };
  const promiseSeqs = new Map<string, number>();
  const fresh: PlannedEntry[] = [];
  const errors: RowError[] = [];
  let already = 0;
  rows.forEach((row, i) => {
    const line = i + 2;
    try {
      const entry = toEntry(row, line, (ref) => promiseSeqs.get(ref));
      if (entry.type === 'PROMISE_MADE' && promiseSeqs.has(row.ref)) throw new RowError(line, `ref ${row.ref} already names a promise above`);
      // Each ledger entry stands for one row, so two identical rows are two entries.
      const seq = take(inLedger.get(identity(entry))) ?? takeAhead(entry);
      if (seq !== undefined) already++;
      else fresh.push({ line, seq: headSeq + fresh.length + 1, ...entry });
      if (entry.type === 'PROMISE_MADE') promiseSeqs.set(row.ref, seq ?? headSeq + fresh.length);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      errors.push(error);
    }
  });
  if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  return { fresh, already };
}

/** What is sent for each entry of a batch. */
export const toInput = ({ type, occurredAt, payload }: PlannedEntry) => ({ type, occurredAt, payload });

/**
 * A batch's idempotency key: a hash of the relationship and the entries sent (their seq references
 * included). Sending the same batch again, after a lost response or from a run that read the
 * ledger before another run wrote it, replays the first result instead of recording twice.
 */
export const batchKey = (relationshipId: string, batch: readonly PlannedEntry[]): string =>
  `integrator-sync:${createHash('sha256').update(JSON.stringify([relationshipId, batch.map(toInput)])).digest('hex')}`;
