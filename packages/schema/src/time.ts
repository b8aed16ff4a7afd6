import { parseDateTime } from './inputs.ts';

/**
 * Times in the ledger are RFC 3339 strings in UTC with milliseconds ("2026-01-02T03:04:05.000Z"),
 * the one form they are hashed in. Inputs may carry any offset; they are normalised here.
 */

/**
 * Parses an RFC 3339 date-time (all of RFC 3339 §5.6, see parseDateTime in inputs.ts) or a valid
 * Date; returns the canonical UTC string, or null. parseDateTime says why a value is refused.
 */
export function normaliseTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const parsed = parseDateTime(value);
  return parsed.ok ? parsed.time : null;
}

/**
 * Milliseconds since the epoch of a time string, as Date.parse gives them. A canonical ledger time
 * ("2026-01-02T03:04:05.000Z", what the ledger stores) is read by arithmetic (calendar.ts), since a
 * fold reads one for every entry; any other form goes to Date.parse.
 */
export { toMillis } from './calendar.ts';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
