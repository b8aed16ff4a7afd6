import { INTERACTION_KINDS, PROMISE_KINDS, SIDES } from './enums.ts';
import { type EntryType, LIMITS } from './entries.ts';
import { parseDateTime } from './inputs.ts';

/**
 * A shortcut past zod for the payloads a batch is made of (issue 13: zod's parse was a tenth of
 * an append). For the common entry types it accepts a payload only when it is plainly valid (a
 * plain object, only the schema's fields, none of them undefined, every value of the right type,
 * texts already trimmed and within their limits, references safe positive integers, no money
 * amount) and then returns exactly what `payloadSchemas[type].safeParse` returns: the same
 * fields in the same order, times in canonical form, PROMISE_KEPT's `inFull` defaulted. Anything
 * else (another type, any doubt, every invalid payload) returns undefined and goes through zod,
 * which says what is wrong. Kept equal to zod by a property test (test/fast-payloads.test.ts).
 */

const FAIL = Symbol('fail');
type Check = (v: unknown) => unknown;

const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return (v) => (typeof v === 'string' && set.has(v) ? v : FAIL);
};
/** zod's text(max): trimmed, 1..max code units; only text that trimming leaves as it is. */
const text =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim() === v ? v : FAIL;
const seq: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : FAIL);
const time: Check = (v) => {
  if (typeof v !== 'string') return FAIL;
  const t = parseDateTime(v);
  return t.ok ? t.time : FAIL;
};
const side = oneOf(SIDES);

interface Shape {
  /** Fields in the schema's order: [name, check, optional]. */
  fields: [string, Check, boolean][];
  /** The schema's refinements, as a predicate over the output. */
  holds?: (out: Record<string, unknown>) => boolean;
  /** The schema's final transform. */
  finish?: (out: Record<string, unknown>) => Record<string, unknown>;
}

// Built on first use: entries.ts (LIMITS) imports this module, so LIMITS is not there yet while it loads.
let shapes: Partial<Record<EntryType, Shape>> | undefined;
const buildShapes = (): Partial<Record<EntryType, Shape>> => ({
  INTERACTION_RECORDED: {
    fields: [
      ['kind', oneOf(INTERACTION_KINDS), false],
      ['initiatedBy', side, false],
      ['note', text(LIMITS.note), true],
      ['volume', (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : FAIL), true],
      ['score', (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= 5 ? v : FAIL), true],
    ],
    holds: (i) =>
      (i.kind === 'ACTIVITY') === (i.volume !== undefined) && (i.kind === 'SATISFACTION') === (i.score !== undefined),
  },
  PROMISE_MADE: {
    // A money amount goes through zod (ISO 4217 and its own checks).
    fields: [
      ['promisor', side, false],
      ['kind', oneOf(PROMISE_KINDS), false],
      ['description', text(LIMITS.description), false],
      ['dueAt', time, false],
    ],
  },
  PROMISE_KEPT: {
    fields: [
      ['promiseSeq', seq, false],
      ['inFull', (v) => (typeof v === 'boolean' ? v : FAIL), true],
      ['share', (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1 ? v : FAIL), true],
    ],
    holds: (k) => k.share === undefined || k.inFull === undefined,
    finish: (k) => (k.share === undefined && k.inFull === undefined ? { promiseSeq: k.promiseSeq, inFull: true } : k),
  },
  COMPLAINT_RESPONDED: { fields: [['interactionSeq', seq, false], ['note', text(LIMITS.note), true]] },
  COMPLAINT_RESOLVED: { fields: [['interactionSeq', seq, false], ['note', text(LIMITS.note), true]] },
  ENTRY_CONFIRMED: { fields: [['entrySeq', seq, false]] },
});

/** The payload as zod would return it, when it is plainly valid for a common type; else undefined (ask zod). */
export function fastPayload(type: EntryType, payload: unknown): Record<string, unknown> | undefined {
  const shape = (shapes ??= buildShapes())[type];
  if (!shape || payload === null || typeof payload !== 'object') return undefined;
  const proto = Object.getPrototypeOf(payload);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const input = payload as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fields = shape.fields;
  let seen = 0;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const name = field[0];
    if (!Object.hasOwn(input, name)) {
      if (field[2]) continue;
      return undefined;
    }
    const v = field[1](input[name]);
    if (v === FAIL) return undefined;
    out[name] = v;
    seen++;
  }
  // Any other field is unknown: zod refuses it.
  let keys = 0;
  for (const k in input) if (Object.hasOwn(input, k)) keys++;
  if (keys !== seen || Object.getOwnPropertySymbols(input).length > 0) return undefined;
  if (shape.holds && !shape.holds(out)) return undefined;
  return shape.finish ? shape.finish(out) : out;
}
