import { type EntryType, INTERACTION_KINDS, PROMISE_KINDS, type Side } from '@trustledger/schema';

/** The columns an import file may have, in the order the sample and the docs list them. */
export const COLUMNS = [
  'ref',
  'type',
  'occurred_at',
  'promisor',
  'kind',
  'description',
  'due_at',
  'amount',
  'currency',
  'new_due_at',
  'reason',
  'in_full',
  'interaction_kind',
  'initiated_by',
  'note',
  'volume',
  'score',
  'metric_ref',
  'value',
] as const;
export type Column = (typeof COLUMNS)[number];
export type Row = Partial<Record<Column, string>>;

/** Row types, the entry each records, and the columns each may fill (besides ref, type, occurred_at). */
export const ROW_TYPES = {
  promise: { entry: 'PROMISE_MADE', columns: ['promisor', 'kind', 'description', 'due_at', 'amount', 'currency'] },
  reschedule: { entry: 'PROMISE_RESCHEDULED', columns: ['new_due_at', 'reason'] },
  keep: { entry: 'PROMISE_KEPT', columns: ['in_full'] },
  break: { entry: 'PROMISE_BROKEN', columns: ['reason'] },
  cancel: { entry: 'PROMISE_CANCELLED', columns: ['reason'] },
  interaction: { entry: 'INTERACTION_RECORDED', columns: ['interaction_kind', 'initiated_by', 'note', 'volume', 'score'] },
  response: { entry: 'COMPLAINT_RESPONDED', columns: ['note'] },
  resolution: { entry: 'COMPLAINT_RESOLVED', columns: ['note'] },
  measurement: { entry: 'MEASUREMENT_RECORDED', columns: ['metric_ref', 'value', 'note'] },
} as const satisfies Record<string, { entry: EntryType; columns: readonly Column[] }>;
export type RowType = keyof typeof ROW_TYPES;

/** Row types whose `ref` names an earlier promise or complaint row rather than the row itself. */
export const REFERRING: Partial<Record<RowType, 'promise' | 'complaint'>> = {
  reschedule: 'promise',
  keep: 'promise',
  break: 'promise',
  cancel: 'promise',
  response: 'complaint',
  resolution: 'complaint',
};

/** A problem with one row, worded for the person fixing the file. */
export class RowError extends Error {}

/** The payload field each column feeds, to word schema and rule errors by column. */
export const COLUMN_OF_FIELD: Record<string, Column> = {
  promisor: 'promisor',
  description: 'description',
  dueAt: 'due_at',
  amount: 'amount',
  currency: 'currency',
  newDueAt: 'new_due_at',
  reason: 'reason',
  inFull: 'in_full',
  initiatedBy: 'initiated_by',
  note: 'note',
  volume: 'volume',
  score: 'score',
  value: 'value',
  metricSeq: 'metric_ref',
  metricIndex: 'metric_ref',
  promiseSeq: 'ref',
  interactionSeq: 'ref',
  occurredAt: 'occurred_at',
};

const token = (v: string) => v.trim().toUpperCase().replace(/[\s-]+/g, '_');

export function sideCell(value: string | undefined, column: Column, fallback: Side): Side {
  if (!value) return fallback;
  const t = token(value);
  if (t === 'SUPPLIER' || t === 'CLIENT') return t;
  throw new RowError(`${column}: "${value}" must be supplier or client`);
}

export function enumOf<T extends string>(value: string | undefined, column: Column, values: readonly T[]): T {
  if (!value) throw new RowError(`${column}: required (one of ${values.map((v) => v.toLowerCase()).join(', ')})`);
  const t = token(value) as T;
  if (!values.includes(t)) throw new RowError(`${column}: "${value}" must be one of ${values.map((v) => v.toLowerCase()).join(', ')}`);
  return t;
}

export function numberOf(value: string | undefined, column: Column): number | undefined {
  if (!value) return undefined;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw new RowError(`${column}: "${value}" is not a number (write 1200.50, without separators)`);
  return Number(value);
}

export function booleanOf(value: string | undefined, column: Column): boolean | undefined {
  if (!value) return undefined;
  const t = value.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(t)) return true;
  if (['false', 'no', 'n', '0'].includes(t)) return false;
  throw new RowError(`${column}: "${value}" must be true or false`);
}

/** A time column: RFC 3339 with an offset, or a bare date (midnight UTC). The schema checks the rest. */
export const timeOf = (value: string | undefined): string | undefined => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);

/**
 * Builds the payload of a row, before validation. `refSeq` resolves the ref of a referring row;
 * `metricSeq` resolves a metric_ref. Throws RowError for what the schema cannot word by column.
 */
export function payloadOf(
  type: RowType,
  row: Row,
  ownSide: Side,
  refSeq: (kind: 'promise' | 'complaint') => number,
  metric: (ref: string) => { seq: number; index: number },
): Record<string, unknown> {
  const opt = <T>(key: string, v: T | undefined) => (v === undefined || v === '' ? {} : { [key]: v });
  switch (type) {
    case 'promise': {
      const amount = numberOf(row.amount, 'amount');
      if ((amount === undefined) !== !row.currency) throw new RowError('amount and currency go together: give both or neither');
      return {
        promisor: sideCell(row.promisor, 'promisor', ownSide),
        kind: enumOf(row.kind, 'kind', PROMISE_KINDS),
        description: row.description ?? '',
        dueAt: timeOf(row.due_at) ?? '',
        ...(amount === undefined ? {} : { amount: { amount, currency: row.currency?.toUpperCase() } }),
      };
    }
    case 'reschedule':
      return { promiseSeq: refSeq('promise'), newDueAt: timeOf(row.new_due_at) ?? '', reason: row.reason ?? '' };
    case 'keep':
      return { promiseSeq: refSeq('promise'), ...opt('inFull', booleanOf(row.in_full, 'in_full')) };
    case 'break':
    case 'cancel':
      return { promiseSeq: refSeq('promise'), reason: row.reason ?? '' };
    case 'interaction':
      return {
        kind: enumOf(row.interaction_kind, 'interaction_kind', INTERACTION_KINDS),
        initiatedBy: sideCell(row.initiated_by, 'initiated_by', ownSide),
        ...opt('note', row.note),
        ...opt('volume', numberOf(row.volume, 'volume')),
        ...opt('score', numberOf(row.score, 'score')),
      };
    case 'response':
    case 'resolution':
      return { interactionSeq: refSeq('complaint'), ...opt('note', row.note) };
    case 'measurement': {
      if (!row.metric_ref) throw new RowError('metric_ref: required (the metric\'s name, its id, or SEQ:INDEX)');
      const value = numberOf(row.value, 'value');
      if (value === undefined) throw new RowError('value: required');
      const m = metric(row.metric_ref);
      return { metricSeq: m.seq, metricIndex: m.index, value, ...opt('note', row.note) };
    }
  }
}
