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

/** The number written by `n` decimal digits of `s` from `i`; -1 when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * Milliseconds since the epoch of a time string, as Date.parse gives them. A canonical ledger time
 * ("2026-01-02T03:04:05.000Z", what the ledger stores) is read by arithmetic, since a fold reads
 * one for every entry; any other form, or a field outside its range, goes to Date.parse.
 */
export function toMillis(time: string): number {
  if (
    time.length === 24 &&
    time.charCodeAt(23) === 90 &&
    time.charCodeAt(10) === 84 &&
    time.charCodeAt(4) === 45 &&
    time.charCodeAt(7) === 45 &&
    time.charCodeAt(13) === 58 &&
    time.charCodeAt(16) === 58 &&
    time.charCodeAt(19) === 46
  ) {
    const year = digits(time, 0, 4);
    const month = digits(time, 5, 2);
    const day = digits(time, 8, 2);
    const hour = digits(time, 11, 2);
    const minute = digits(time, 14, 2);
    const second = digits(time, 17, 2);
    const ms = digits(time, 20, 3);
    // Day 29–31 of a shorter month rolls over in both (as Date.parse does); hour 24 goes to Date.parse.
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0)
      return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
  }
  return Date.parse(time);
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
