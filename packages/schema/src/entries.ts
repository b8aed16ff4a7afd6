import { z } from 'zod';
import {
  DISPUTE_OUTCOMES,
  INTERACTION_KINDS,
  METRIC_DIRECTIONS,
  PROMISE_KINDS,
  SIDES,
} from './enums.ts';
import type { Issue } from './errors.ts';
import { policyOverrideSchema } from './policy.ts';
import { checkCurrency, checkMoneyAmount, parseDateTime, unicodeIssues } from './inputs.ts';

/**
 * Every entry type of a relationship's ledger (DESIGN §2). Payloads refer to earlier entries
 * of the same ledger by their `seq` (`promiseSeq`, `goalSeq`, …), so a ledger is
 * self-contained: anyone holding it can rebuild the relationship and its scorecard.
 */
export const ENTRY_TYPES = [
  'RELATIONSHIP_PROPOSED',
  'RELATIONSHIP_ACCEPTED',
  'RELATIONSHIP_ENDED',
  'POLICY_PROPOSED',
  'POLICY_ACCEPTED',
  'GOAL_PROPOSED',
  'GOAL_ACCEPTED',
  'GOAL_REJECTED',
  'GOAL_RETIRED',
  'METRIC_ADDED',
  'MEASUREMENT_RECORDED',
  'PROMISE_MADE',
  'PROMISE_RESCHEDULED',
  'PROMISE_KEPT',
  'PROMISE_BROKEN',
  'PROMISE_CANCELLED',
  'INTERACTION_RECORDED',
  'COMPLAINT_RESPONDED',
  'COMPLAINT_RESOLVED',
  'REPRESENTATIVE_HANDOVER',
  'ENTRY_CONFIRMED',
  'ENTRY_DISPUTED',
  'DISPUTE_WITHDRAWN',
  'ENTRY_VOIDED',
  'DISPUTE_RESOLVED',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Limits on free text, so one entry stays small. */
export const LIMITS = {
  title: 200,
  name: 200,
  unit: 40,
  description: 2000,
  note: 2000,
  reason: 1000,
  batch: 1000,
} as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => text(max).optional();
const finite = z.number({ error: 'must be a number' }).finite('must be a finite number');
const seq = z.number({ error: 'must be an entry number' }).int('must be a whole number').positive('must be a positive entry number');
const time = z.string({ error: 'must be an RFC 3339 date-time' }).transform((v, ctx) => {
  const t = parseDateTime(v);
  if (!t.ok) {
    ctx.addIssue({ code: 'custom', message: t.message });
    return z.NEVER;
  }
  return t.time;
});
const side = z.enum(SIDES, { error: 'must be SUPPLIER or CLIENT' });
const firmId = z.string().min(1).max(100);

export const metricDefinitionSchema = z
  .object({
    name: text(LIMITS.name),
    unit: text(LIMITS.unit),
    direction: z.enum(METRIC_DIRECTIONS, { error: 'must be HIGHER_IS_BETTER or LOWER_IS_BETTER' }),
    target: finite,
    baseline: finite.nullable().optional(),
    accountable: side,
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.baseline != null && m.baseline === m.target)
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: 'baseline must differ from target' });
    if (m.baseline != null && m.direction === 'HIGHER_IS_BETTER' && m.baseline > m.target)
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: 'baseline must be below target when higher is better' });
    if (m.baseline != null && m.direction === 'LOWER_IS_BETTER' && m.baseline < m.target)
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: 'baseline must be above target when lower is better' });
  });
export type MetricDefinition = z.infer<typeof metricDefinitionSchema>;

export const moneySchema = z
  .object({
    amount: finite.min(0, 'must not be negative'),
    currency: z.string({ error: 'must be an ISO 4217 currency code such as EUR' }).superRefine((v, ctx) => {
      const message = checkCurrency(v);
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
  })
  .strict()
  .superRefine((m, ctx) => {
    // Precision and magnitude per the currency's ISO 4217 minor unit (inputs.ts checkMoneyAmount).
    if (checkCurrency(m.currency) !== null) return;
    const message = checkMoneyAmount(m.amount, m.currency);
    if (message) ctx.addIssue({ code: 'custom', path: ['amount'], message });
  });

const ref = <K extends string>(key: K) => z.object({ [key]: seq } as Record<K, typeof seq>);

/** Payload schemas, one per entry type. Unknown fields are rejected. */
export const payloadSchemas = {
  RELATIONSHIP_PROPOSED: z.object({ supplierFirmId: firmId, clientFirmId: firmId }).strict(),
  RELATIONSHIP_ACCEPTED: z.object({}).strict(),
  RELATIONSHIP_ENDED: z.object({ reason: optionalText(LIMITS.reason) }).strict(),
  POLICY_PROPOSED: z.object({ policy: policyOverrideSchema }).strict(),
  POLICY_ACCEPTED: ref('policySeq').strict(),
  GOAL_PROPOSED: z
    .object({
      title: text(LIMITS.title),
      metrics: z.array(metricDefinitionSchema).max(20, 'a goal has at most 20 metrics'),
    })
    .strict(),
  GOAL_ACCEPTED: ref('goalSeq').strict(),
  GOAL_REJECTED: ref('goalSeq').extend({ reason: optionalText(LIMITS.reason) }).strict(),
  GOAL_RETIRED: ref('goalSeq').extend({ reason: optionalText(LIMITS.reason) }).strict(),
  METRIC_ADDED: ref('goalSeq').extend({ metric: metricDefinitionSchema }).strict(),
  MEASUREMENT_RECORDED: z
    .object({
      metricSeq: seq,
      metricIndex: z.number().int().min(0),
      value: finite,
      note: optionalText(LIMITS.note),
    })
    .strict(),
  PROMISE_MADE: z
    .object({
      promisor: side,
      kind: z.enum(PROMISE_KINDS, { error: `must be one of ${PROMISE_KINDS.join(', ')}` }),
      description: text(LIMITS.description),
      dueAt: time,
      amount: moneySchema.optional(),
    })
    .strict(),
  PROMISE_RESCHEDULED: ref('promiseSeq').extend({ newDueAt: time, reason: text(LIMITS.reason) }).strict(),
  /**
   * A promise kept, at occurredAt. `share` (0 < share ≤ 1): the part of the whole promise this
   * entry delivers; the rest stays open and is judged on its own when it comes. Without `share`
   * the keep delivers the rest. `inFull: false` without a share is the older form ("kept in part",
   * the rest not to come): it still parses and still closes the promise. A new entry gives one or
   * the other: `inFull` defaults to true only when no share is given.
   */
  PROMISE_KEPT: ref('promiseSeq')
    .extend({
      inFull: z.boolean().optional(),
      share: z
        .number({ error: 'must be a number from 0 (exclusive) to 1' })
        .finite('must be a finite number')
        .gt(0, 'must be above 0: the share of the promise delivered')
        .max(1, 'must be at most 1 (the whole promise)')
        .optional(),
    })
    .strict()
    .superRefine((k, ctx) => {
      if (k.share !== undefined && k.inFull !== undefined)
        ctx.addIssue({ code: 'custom', path: ['inFull'], message: 'give either share (the part delivered) or inFull, not both' });
    })
    .transform((k) => (k.share === undefined && k.inFull === undefined ? { ...k, inFull: true } : k)),
  PROMISE_BROKEN: ref('promiseSeq').extend({ reason: text(LIMITS.reason) }).strict(),
  PROMISE_CANCELLED: ref('promiseSeq').extend({ reason: text(LIMITS.reason) }).strict(),
  INTERACTION_RECORDED: z
    .object({
      kind: z.enum(INTERACTION_KINDS, { error: `must be one of ${INTERACTION_KINDS.join(', ')}` }),
      initiatedBy: side,
      note: optionalText(LIMITS.note),
      volume: finite.min(0, 'must not be negative').optional(),
      score: z.number().int('must be a whole number from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5').optional(),
    })
    .strict()
    .superRefine((i, ctx) => {
      if (i.kind === 'ACTIVITY' && i.volume === undefined)
        ctx.addIssue({ code: 'custom', path: ['volume'], message: 'an activity needs a volume' });
      if (i.kind !== 'ACTIVITY' && i.volume !== undefined)
        ctx.addIssue({ code: 'custom', path: ['volume'], message: 'only an activity has a volume' });
      if (i.kind === 'SATISFACTION' && i.score === undefined)
        ctx.addIssue({ code: 'custom', path: ['score'], message: 'a satisfaction pulse needs a score from 1 to 5' });
      if (i.kind !== 'SATISFACTION' && i.score !== undefined)
        ctx.addIssue({ code: 'custom', path: ['score'], message: 'only a satisfaction pulse has a score' });
    }),
  COMPLAINT_RESPONDED: ref('interactionSeq').extend({ note: optionalText(LIMITS.note) }).strict(),
  COMPLAINT_RESOLVED: ref('interactionSeq').extend({ note: optionalText(LIMITS.note) }).strict(),
  REPRESENTATIVE_HANDOVER: z.object({ side, name: text(LIMITS.name) }).strict(),
  ENTRY_CONFIRMED: ref('entrySeq').strict(),
  ENTRY_DISPUTED: ref('entrySeq').extend({ reason: text(LIMITS.reason) }).strict(),
  DISPUTE_WITHDRAWN: ref('entrySeq').extend({ reason: optionalText(LIMITS.reason) }).strict(),
  ENTRY_VOIDED: ref('entrySeq').extend({ reason: text(LIMITS.reason) }).strict(),
  DISPUTE_RESOLVED: ref('entrySeq')
    .extend({
      outcome: z.enum(DISPUTE_OUTCOMES, { error: 'must be STANDS (the entry counts) or STRUCK (it counts for nothing)' }),
      note: text(LIMITS.note),
    })
    .strict(),
} as const satisfies Record<EntryType, z.ZodType>;

/** The validated payload of each entry type. */
export type Payloads = { [T in EntryType]: z.output<(typeof payloadSchemas)[T]> };
/** The payload of one entry type as a writer may give it (before defaults and normalisation). */
export type PayloadInputs = { [T in EntryType]: z.input<(typeof payloadSchemas)[T]> };

/** Entry types that other entries may confirm, dispute or void: the business facts. */
export const ATTESTABLE_TYPES: ReadonlySet<EntryType> = new Set<EntryType>([
  'GOAL_PROPOSED',
  'METRIC_ADDED',
  'MEASUREMENT_RECORDED',
  'PROMISE_MADE',
  'PROMISE_RESCHEDULED',
  'PROMISE_KEPT',
  'PROMISE_BROKEN',
  'PROMISE_CANCELLED',
  'INTERACTION_RECORDED',
  'COMPLAINT_RESPONDED',
  'COMPLAINT_RESOLVED',
  'REPRESENTATIVE_HANDOVER',
]);

/** Entries that a confirmation may name: the business facts, and proposals (a void that needs consent, a resolution). */
export const CONFIRMABLE_TYPES: ReadonlySet<EntryType> = new Set<EntryType>([...ATTESTABLE_TYPES, 'ENTRY_VOIDED', 'DISPUTE_RESOLVED']);

export type ValidationResult<T> = { success: true; data: T } | { success: false; issues: Issue[] };

/** Turns zod issues into contract issues whose path is prefixed with `base`. */
export function toIssues(error: z.ZodError, base: (string | number)[] = []): Issue[] {
  return error.issues.map((i) => ({
    code: 'VALIDATION' as const,
    path: [...base, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message,
  }));
}

/** Whether a string names an entry type. */
export const isEntryType = (t: unknown): t is EntryType => typeof t === 'string' && (ENTRY_TYPES as readonly string[]).includes(t);

export interface ValidateOptions {
  /**
   * The caller has checked every string of the payload for well-formed Unicode already
   * (`unicodeIssues` over an input holding it, the payload within its first 60 levels, as the API's
   * mutations check their whole input): the payload is not walked again unless the schema refuses
   * it. The result is the same either way. @default false
   */
  wellFormed?: boolean;
}

/**
 * Validates and normalises an entry's payload (times to canonical UTC, defaults filled in): every
 * string well-formed Unicode, times RFC 3339, currencies ISO 4217 (inputs.ts), then the entry
 * type's schema. Returns `{ success, data | issues }`; issue paths start at `base` (e.g.
 * ['input', 'entries', 3, 'payload']). Checks that need occurredAt: entryTimeIssues.
 */
export function validatePayload<T extends EntryType>(
  type: T,
  payload: unknown,
  base: (string | number)[] = [],
  options: ValidateOptions = {},
): ValidationResult<Payloads[T]> {
  const schema = payloadSchemas[type] as unknown as z.ZodType<Payloads[T]>;
  if (options.wellFormed) {
    // Every string was checked with the input: the Unicode walk is needed only to say why zod
    // refuses the payload, its issues first as below (a payload the schemas accept nests a few levels).
    const result = schema.safeParse(payload ?? {});
    if (result.success) return { success: true, data: result.data };
    const unicode = unicodeIssues(payload, base);
    return unicode.length ? { success: false, issues: unicode } : { success: false, issues: toIssues(result.error, base) };
  }
  const unicode = unicodeIssues(payload, base);
  if (unicode.length) return { success: false, issues: unicode };
  const result = schema.safeParse(payload ?? {});
  return result.success ? { success: true, data: result.data } : { success: false, issues: toIssues(result.error, base) };
}

/** A ledger entry as stored, served and verified. */
export interface LedgerEntry<T extends EntryType = EntryType> {
  relationshipId: string;
  seq: number;
  type: T;
  payload: Payloads[T];
  actorFirmId: string;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** Narrows an entry to one type. */
export const isEntryOf = <T extends EntryType>(e: LedgerEntry, type: T): e is LedgerEntry<T> => e.type === type;
