import { isEntryType, validatePayload } from './entries.ts';
import type { Issue } from './errors.ts';
import { checkCurrency, checkDueAfter, checkMoneyAmount, checkOccurredAt, entryTimeIssues, MAX_CLOCK_SKEW_MS, parseDateTime, unicodeIssues } from './inputs.ts';

type Path = (string | number)[];

/**
 * The checks of inputs.ts applied to a mutation's `input` as a client sends it, in the server's
 * words and paths (['input', 'dueAt'], ['input', 'entries', 2, 'payload', 'note'], …), so a client
 * can refuse locally what the server would refuse: every string well-formed Unicode; occurredAt,
 * dueAt and newDueAt RFC 3339; occurredAt not before EARLIEST_BUSINESS_TIME; a currency ISO 4217 and an amount no finer than its minor unit;
 * a due time after the entry and within 10 years of it; and, for `recordEntries`, each entry's
 * whole payload. What needs the server's clock exactly or the ledger (occurredAt in the future,
 * a new due time after the one in force, who may record what) is left to the server; without
 * occurredAt, a due time is compared with `now` less the allowed clock skew.
 * `now`: the client's clock, RFC 3339. Returns no issue when the input passes.
 */
export function mutationInputIssues(mutation: string, input: unknown, now: string): Issue[] {
  const unicode = unicodeIssues(input, ['input']);
  if (unicode.length) return unicode;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const i = input as Record<string, unknown>;
  if (mutation === 'recordEntries' && Array.isArray(i.entries)) return batchIssues(i.entries);
  const occurred = occurredAtIssue(i.occurredAt, ['input', 'occurredAt']);
  if (occurred) return [occurred];
  const issues: Issue[] = [];
  const occurredAt = i.occurredAt == null ? null : (parseDateTime(i.occurredAt) as { time: string }).time;
  for (const field of ['dueAt', 'newDueAt'] as const) {
    if (i[field] == null) continue;
    const parsed = parseDateTime(i[field]);
    if (!parsed.ok) {
      issues.push({ code: 'VALIDATION', message: parsed.message, path: ['input', field] });
      continue;
    }
    // Without occurredAt the server uses its clock; allow for skew between the two clocks.
    const madeAt = occurredAt ?? new Date(Date.parse(now) - MAX_CLOCK_SKEW_MS).toISOString();
    const late = checkDueAfter(parsed.time, madeAt, field);
    if (late) issues.push({ code: 'VALIDATION', message: late, path: ['input', field] });
  }
  const amount = i.amount as { amount?: unknown; currency?: unknown } | null | undefined;
  if (amount && typeof amount === 'object' && 'currency' in amount) {
    const message = checkCurrency(amount.currency);
    if (message) issues.push({ code: 'VALIDATION', message, path: ['input', 'amount', 'currency'] });
    else if (typeof amount.amount === 'number') {
      const precision = checkMoneyAmount(amount.amount, amount.currency as string);
      if (precision) issues.push({ code: 'VALIDATION', message: precision, path: ['input', 'amount', 'amount'] });
    }
  }
  return issues;
}

function occurredAtIssue(value: unknown, path: Path): Issue | null {
  if (value == null) return null;
  const parsed = parseDateTime(value);
  if (!parsed.ok) return { code: 'VALIDATION', message: `${parsed.message}.`, path };
  // The lower bound only: "in the future" is judged by the server's clock.
  const early = checkOccurredAt(parsed.time, '9999-12-31T23:59:59.999Z');
  return early ? { code: 'VALIDATION', message: early, path } : null;
}

/** recordEntries: each entry as the server checks it, messages prefixed "Entry i: " as the server does. */
function batchIssues(entries: unknown[]): Issue[] {
  for (const [index, raw] of entries.entries()) {
    const e = (raw ?? {}) as { type?: unknown; payload?: unknown; occurredAt?: unknown };
    const at: Path = ['input', 'entries', index];
    const prefix = (issues: Issue[]) => issues.map((x) => ({ ...x, message: `Entry ${index}: ${x.message}` }));
    if (!isEntryType(e.type)) continue;
    const occurred = occurredAtIssue(e.occurredAt, [...at, 'occurredAt']);
    if (occurred) return prefix([occurred]);
    const checked = validatePayload(e.type, e.payload, [...at, 'payload']);
    if (!checked.success) return prefix(checked.issues);
    const occurredAt = e.occurredAt == null ? null : (parseDateTime(e.occurredAt) as { time: string }).time;
    if (occurredAt) {
      const times = entryTimeIssues(e.type, checked.data, occurredAt, at);
      if (times.length) return prefix(times);
    }
  }
  return [];
}
