import { canonicalJson, MAX_CLOCK_SKEW_MS, parseDateTime, type Side, validatePayload } from '@trustledger/schema';
import { parse } from 'csv-parse/sync';
import { detectDelimiter } from './text.ts';
import type { Store, WriteTx } from '../store/index.ts';
import { AppError } from '../errors.ts';
import { rawIdOf } from '../graphql/ids.ts';
import { parseEntityId } from '../ids.ts';
import { appendEntry } from '../ledger/append.ts';
import { type RelationshipRow, sideOf } from '../ledger/rules.ts';
import { COLUMN_OF_FIELD, COLUMNS, type Column, payloadOf, REFERRING, ROW_TYPES, type Row, RowError, type RowType, timeOf } from './rows.ts';

export interface ImportOptions {
  /** Write the good rows even when some are bad. @default false: a file with a bad row writes nothing */
  skipBad?: boolean;
  /** Check every row (by appending it) and roll everything back. @default false */
  dryRun?: boolean;
  /** Server time of the write (recordedAt). @default the current time */
  now?: string;
  /** Called after each row. */
  onProgress?: (done: number, total: number) => void;
}

export interface BadRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  message: string;
}

export interface ImportResult {
  rows: number;
  /** Rows recorded as new entries (or that would be, when nothing was written). */
  recorded: number;
  /** Rows whose entry the ledger already holds: same type, occurredAt and payload (a time ahead of the clock: recorded at the server's now). */
  duplicates: number;
  bad: BadRow[];
  /** Whether the recorded rows were committed. */
  written: boolean;
  /** The seqs of the entries written, in file order. */
  seqs: number[];
}

/** A file that cannot be read as an import at all (malformed CSV, unknown columns). */
export class ImportFileError extends Error {}

interface ParsedRow {
  line: number;
  row: Row;
  /** Set when the row cannot even be read (wrong field count). */
  error?: string;
}

/**
 * Parses the file with csv-parse: a header row naming COLUMNS (any order, any case), then one row
 * per event, fields separated by `,` or `;` (detectDelimiter reads the header).
 */
export function parseImport(text: string): ParsedRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, delimiter: detectDelimiter(text), info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new ImportFileError(`line ${e.lines ?? '?'}: not valid CSV: ${e.message.replace(/ at line \d+.*$/, '').replace(/ on line \d+$/, '')}`);
  }
  if (records.length === 0) throw new ImportFileError('the file is empty: it needs a header row (see the csv README)');
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length)
    throw new ImportFileError(`line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (columns: ${COLUMNS.join(',')})`);
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (twice.length) throw new ImportFileError(`line 1: column ${twice[0]} appears twice`);
  for (const required of ['type', 'occurred_at'] as const)
    if (!header.includes(required)) throw new ImportFileError(`line 1: the header needs a ${required} column`);
  return records.slice(1).map(({ record, info }) => {
    // info.lines is where the record ends; quoted values may span lines.
    const line = info.lines - record.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    if (record.length !== header.length)
      return { line, row: {}, error: `has ${record.length} fields but the header has ${header.length}` };
    const row: Row = {};
    header.forEach((h, i) => {
      if (record[i] !== '') row[h as Column] = record[i];
    });
    return { line, row };
  });
}

/** Words an AppError from validation or the ledger's rules by column. */
function wordIssue(error: AppError): string {
  return error.issues
    .map((i) => {
      // The innermost named field: amount.currency is the currency column.
      const field = [...i.path].reverse().find((p) => typeof p === 'string' && p !== 'payload' && COLUMN_OF_FIELD[p]);
      const column = field ? COLUMN_OF_FIELD[field as string] : null;
      return column ? `${column}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Resolves a measurement's metric_ref: the metric's name, its opaque id, or SEQ:INDEX (SEQ alone for index 0). */
function metricResolver(tx: WriteTx, rel: RelationshipRow) {
  return (ref: string): { seq: number; index: number } => {
    const bySeq = /^#?(\d+)(?::(\d+))?$/.exec(ref.trim());
    if (bySeq) return { seq: Number(bySeq[1]), index: Number(bySeq[2] ?? 0) };
    const raw = rawIdOf(ref, 'Metric');
    const key = raw ? parseEntityId(raw) : null;
    if (key && key.relationshipId === rel.id) return { seq: key.seq, index: key.idx };
    const named = tx
      .metrics(rel.id)
      .filter((m) => m.name.toLowerCase() === ref.trim().toLowerCase());
    if (named.length === 1) return { seq: named[0].seq, index: named[0].idx };
    if (named.length > 1) throw new RowError(`metric_ref: ${named.length} metrics are named "${ref}"; give SEQ:INDEX instead`);
    throw new RowError(`metric_ref: no metric "${ref}" in this relationship (give its name, its id, or SEQ:INDEX)`);
  };
}

/**
 * The seq of an entry already in the ledger with this type, time and canonical payload. A time
 * ahead of the server's clock (within the skew) was recorded as the server's now (occurredAtOf),
 * so an entry whose occurredAt is its recordedAt, up to the skew before the row's time, is the
 * same row imported earlier: importing the file again records it once, whenever it runs.
 */
function existingSeq(tx: WriteTx, relId: string, type: string, occurredAt: string, payload: string): number | null {
  const earliest = new Date(Date.parse(occurredAt) - MAX_CLOCK_SKEW_MS).toISOString();
  return tx.entrySeqOf(relId, type, payload, occurredAt, earliest);
}

class Rollback extends Error {}

/** Rows written per transaction in the second pass: each holds the write lock for a moment only. */
export const IMPORT_CHUNK = 100;

/**
 * A private in-memory store holding one relationship as `store` has it now (Store.copyRelationship): its row, its two
 * firms and every row of every table keyed by relationship_id (read in one snapshot, without
 * taking the write lock). The whole file is checked against it by appending, so the real
 * database is locked only for the short writes that follow.
 */
async function relationshipCopy(store: Store, relId: string): Promise<Store> {
  if (!(await store.relationship(relId))) throw new ImportFileError('no such relationship');
  return store.copyRelationship(relId);
}

/** An entry the check pass appended to the copy, to be written to the real ledger at `seq`. */
interface Planned {
  line: number;
  seq: number;
  type: Parameters<typeof appendEntry>[3]['type'];
  payload: unknown;
  occurredAt: string;
}

/**
 * Imports a CSV file of events into a relationship's ledger as `actorFirmId` (a party to it).
 * First the whole file is checked, every row by appending it to a private copy of the
 * relationship (see relationshipCopy), without locking the database; a row that fails is
 * reported with its line and reason and rolled back alone. Unless `skipBad`, one bad row means
 * nothing is written. Then the good rows are written in transactions of IMPORT_CHUNK rows, so
 * API writes to other relationships wait at most one short transaction (issue 11). Rows whose
 * entry the ledger already holds (same type, occurredAt and canonical payload) are skipped, so
 * importing a file again records nothing new. If the relationship's ledger changes between
 * the check and the writes (another client appended to it), the import stops with an
 * ImportFileError; the rows written so far stay, and importing the file again adds the rest.
 */
export async function importCsv(store: Store, rel: RelationshipRow, actorFirmId: string, text: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (actorFirmId !== rel.supplierId && actorFirmId !== rel.clientId) throw new ImportFileError('the importing firm is not party to this relationship');
  const rows = parseImport(text);
  const now = options.now ?? new Date().toISOString();
  const ownSide: Side = sideOf(rel, actorFirmId);
  const result: ImportResult = { rows: rows.length, recorded: 0, duplicates: 0, bad: [], written: false, seqs: [] };
  const refs = new Map<string, { kind: 'promise' | 'complaint' | 'other'; seq: number | null; line: number }>();

  const planned: Planned[] = [];
  const run = (tx: WriteTx) => {
    let current = tx.relationship(rel.id) ?? rel;
    const metric = metricResolver(tx, rel);
    rows.forEach((parsed, i) => {
      const { line, row } = parsed;
      const ref = row.ref?.trim();
      const refSeq = (kind: 'promise' | 'complaint') => {
        if (!ref) throw new RowError(`ref: required: the ref of the ${kind} row this ${row.type} refers to`);
        const seqRef = /^#(\d+)$/.exec(ref);
        if (seqRef) return Number(seqRef[1]);
        const target = refs.get(ref);
        if (!target) throw new RowError(`ref: no earlier row has ref "${ref}"`);
        if (target.seq === null) throw new RowError(`ref: "${ref}" is the ref of line ${target.line}, which is bad`);
        if (target.kind !== kind) throw new RowError(`ref: "${ref}" (line ${target.line}) is not a ${kind}`);
        return target.seq;
      };
      try {
        if (parsed.error) throw new RowError(parsed.error);
        const type = row.type?.trim().toLowerCase() as RowType | undefined;
        if (!type) throw new RowError(`type: required (one of ${Object.keys(ROW_TYPES).join(', ')})`);
        const spec = ROW_TYPES[type];
        if (!spec) throw new RowError(`type: "${row.type}" must be one of ${Object.keys(ROW_TYPES).join(', ')}`);
        const stray = (Object.keys(row) as Column[]).filter(
          (c) => c !== 'ref' && c !== 'type' && c !== 'occurred_at' && !(spec.columns as readonly Column[]).includes(c),
        );
        if (stray.length) throw new RowError(`${stray.join(', ')}: not used by a ${type} row; leave ${stray.length > 1 ? 'them' : 'it'} empty`);
        const names = !REFERRING[type] && ref;
        if (names && refs.has(ref)) throw new RowError(`ref: "${ref}" is already used by line ${refs.get(ref)?.line}`);
        // Reserve the ref now, so rows that point at a bad row learn why.
        if (names) refs.set(ref, { kind: type === 'promise' ? 'promise' : 'other', seq: null, line });
        if (!row.occurred_at) throw new RowError('occurred_at: required (when it happened, e.g. 2026-03-01T09:00:00Z)');
        const parsedAt = parseDateTime(timeOf(row.occurred_at));
        if (!parsedAt.ok) throw new RowError(`occurred_at: ${parsedAt.message}`);
        const occurredAt = parsedAt.time;
        const payload = payloadOf(type, row, ownSide, refSeq, metric);
        const checked = validatePayload(spec.entry, payload);
        if (!checked.success) throw AppError.validation(checked.issues);
        const complaint = type === 'interaction' && (checked.data as { kind: string }).kind === 'COMPLAINT';
        const seen = existingSeq(tx, rel.id, spec.entry, occurredAt, canonicalJson(checked.data));
        let seq: number;
        if (seen !== null) {
          result.duplicates++;
          seq = seen;
        } else {
          // A savepoint per row: a row the rules reject leaves no trace, and the rest go on.
          const appended = tx.savepoint((sp) => appendEntry(sp, current, actorFirmId, { type: spec.entry, payload: checked.data, occurredAt }, now));
          current = appended.rel;
          seq = appended.entry.seq;
          planned.push({ line, seq, type: spec.entry, payload: checked.data, occurredAt });
          result.recorded++;
          result.seqs.push(seq);
        }
        if (names) refs.set(ref, { kind: type === 'promise' ? 'promise' : complaint ? 'complaint' : 'other', seq, line });
      } catch (error) {
        if (error instanceof RowError) result.bad.push({ line, message: error.message });
        else if (error instanceof AppError) result.bad.push({ line, message: wordIssue(error) });
        else throw error;
      }
      options.onProgress?.(i + 1, rows.length);
    });
    if (options.dryRun || (result.bad.length > 0 && !options.skipBad)) throw new Rollback();
  };

  const scratch = await relationshipCopy(store, rel.id);
  let checked = false;
  try {
    await scratch.write(run);
    checked = true;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await scratch.close();
  }
  if (!checked || planned.length === 0) {
    result.seqs = [];
    return result;
  }
  for (let i = 0; i < planned.length; i += IMPORT_CHUNK) {
    await store.write((tx) => {
      let current = tx.relationship(rel.id);
      for (const p of planned.slice(i, i + IMPORT_CHUNK)) {
        if (!current || current.headSeq !== p.seq - 1)
          throw new ImportFileError(
            `the relationship's ledger changed while the file was being imported (at line ${p.line}); ${i} rows were recorded. Import the file again: rows already recorded are skipped.`,
          );
        current = appendEntry(tx, current, actorFirmId, { type: p.type, payload: p.payload, occurredAt: p.occurredAt }, now).rel;
      }
    });
    result.written = true;
  }
  return result;
}
