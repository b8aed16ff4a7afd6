/**
 * Times in the ledger are RFC 3339 strings in UTC with milliseconds ("2026-01-02T03:04:05.000Z"),
 * the one form they are hashed in. Inputs may carry any offset; they are normalised here.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 date-time with an offset; returns the canonical UTC string or null. */
export function normaliseTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  // Reject dates that Date.parse silently rolls over (2026-02-30).
  const [datePart] = value.split('T');
  const [y, m, day] = datePart.split('-').map(Number);
  const offsetFree = new Date(Date.UTC(y, m - 1, day));
  if (offsetFree.getUTCMonth() !== m - 1 || offsetFree.getUTCDate() !== day) return null;
  return d.toISOString();
}

/** Milliseconds since the epoch of a canonical time string. */
export const toMillis = (time: string): number => Date.parse(time);

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
