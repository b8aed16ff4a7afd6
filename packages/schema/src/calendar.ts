/**
 * Calendar arithmetic for the ledger's canonical time form ("2026-03-01T07:00:00.000Z", exactly
 * what `new Date(ms).toISOString()` writes for years 0000–9999). A fold reads one time per entry
 * and a batch checks thousands, so the canonical form is read by arithmetic instead of
 * `Date.parse` (issue 13). Shared by time.ts (toMillis) and inputs.ts (parseDateTime and the
 * occurredAt / dueAt checks).
 */

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
 * Milliseconds since the epoch of a time in the canonical form, every field in range and the day
 * within its month; NaN for anything else (callers then read it the slow way, or refuse it).
 */
export function canonicalMillis(value: string): number {
  if (
    value.length !== 24 ||
    value.charCodeAt(23) !== 90 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46
  )
    return Number.NaN;
  const century = twoDigits(value, 0);
  const yy = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  const tens = twoDigits(value, 20);
  const unit = value.charCodeAt(22) - 48;
  if (century < 0 || yy < 0 || tens < 0 || unit < 0 || unit > 9 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return Number.NaN;
  const year = century * 100 + yy;
  // The day number of the last date read is kept: times of one ledger mostly fall on the same day as the one before.
  let days: number;
  if (year === lastYear && month === lastMonth && day === lastDay) days = lastDays;
  else {
    if (day > 28 && day > daysInMonth(year, month)) return Number.NaN;
    days = daysFromCivil(year, month, day);
    lastYear = year;
    lastMonth = month;
    lastDay = day;
    lastDays = days;
  }
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + tens * 10 + unit;
}
let lastYear = -1;
let lastMonth = -1;
let lastDay = -1;
let lastDays = 0;

/** The number written by the two decimal digits of `s` at `i`; -1 when one is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Milliseconds since the epoch of a time string, as `Date.parse` gives them (NaN when it cannot):
 * the canonical form by arithmetic, any other form (an offset, a day past its month's end) by
 * `Date.parse` itself.
 */
export function toMillis(time: string): number {
  const ms = canonicalMillis(time);
  return ms === ms ? ms : Date.parse(time);
}
