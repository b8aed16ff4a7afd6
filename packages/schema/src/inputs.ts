import currencyCodes from 'currency-codes';
import { canonicalMillis, daysInMonth as daysIn, toMillis as millisOf } from './calendar.ts';
import type { Issue } from './errors.ts';

/**
 * Inputs to their standards (DESIGN §2a, last bullet): the one validation module the server,
 * the CSV importer and the SDK share, so a value is refused with the same words wherever it
 * enters. Each check returns a message a person can act on (or contract issues with a path);
 * none throws.
 *
 * - Date-times: RFC 3339 §5.6 `date-time`, all of it and no more (see parseDateTime).
 * - Currencies: ISO 4217 List One, active codes (see checkCurrency).
 * - Text: well-formed Unicode, no lone UTF-16 surrogates, so RFC 8785 can hash every entry.
 * - Business times: due after made, and within a plausible window (see the constants below).
 */

type Path = (string | number)[];
type Parsed = { ok: true; time: string } | { ok: false; message: string };

const EXAMPLE = '2026-03-01T09:00:00Z';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The UTC dates (YYYY-MM-DD) at whose end, 23:59:60 UTC, a leap second was inserted (IERS
 * Bulletin C; none has been announced since 2016-12-31). RFC 3339 §5.7 allows second 60 only
 * for a leap second, so only these instants may carry it.
 */
export const LEAP_SECOND_DATES: ReadonlySet<string> = new Set([
  '1972-06-30', '1972-12-31', '1973-12-31', '1974-12-31', '1975-12-31', '1976-12-31', '1977-12-31', '1978-12-31',
  '1979-12-31', '1981-06-30', '1982-06-30', '1983-06-30', '1985-06-30', '1987-12-31', '1989-12-31', '1990-12-31',
  '1992-06-30', '1993-06-30', '1994-06-30', '1995-12-31', '1997-06-30', '1998-12-31', '2005-12-31', '2008-12-31',
  '2012-06-30', '2015-06-30', '2016-12-31',
]);

// RFC 3339 §5.6 date-time, with the §5.6 NOTE's lower-case "t" and "z"; time-secfrac is 1*DIGIT.
const GRAMMAR = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time (RFC 3339 §5.6) and returns the ledger's canonical form: UTC with
 * milliseconds ("2026-03-01T07:00:00.000Z"), the one form times are hashed in. Accepted, as the
 * standard says: "T"/"Z" in either case (§5.6 NOTE), any number of fraction digits (digits past
 * the millisecond are truncated: the ledger keeps milliseconds), offsets "Z" and ±hh:mm with
 * hh ≤ 23 and mm ≤ 59 ("-00:00", an unknown local offset, §4.3, is UTC), and second 60 only at an
 * actual leap second (23:59:60 UTC on a LEAP_SECOND_DATES day, §5.7); since the ledger keeps
 * POSIX time, which has no leap seconds, a leap second is stored as 23:59:59.999Z, the last
 * instant of that day, so it still sorts after every earlier second. Refused: anything else,
 * among it a missing offset, a space or other separator instead of "T" (the §5.6 NOTE lets an
 * application choose one for readability; this API keeps to the grammar), dates that do not
 * exist (2027-02-30), month 13, hour 24, minute 60, and times outside years 0000–9999.
 * Returns the time, or a message that quotes the value and says what is wrong.
 */
export function parseDateTime(value: unknown): Parsed {
  if (typeof value !== 'string') return { ok: false, message: `must be an RFC 3339 date-time with an offset, e.g. ${EXAMPLE}` };
  // The canonical form itself (what the ledger stores and most clients send back) is its own
  // result: checked by the round trip, without the grammar below (a batch parses thousands).
  const fast = canonicalMillis(value);
  if (fast === fast) return { ok: true, time: value };
  const quoted = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  const fail = (why?: string): Parsed => ({
    ok: false,
    message: why ? `${quoted} is not an RFC 3339 date-time: ${why}` : `${quoted} is not an RFC 3339 date-time with an offset (e.g. ${EXAMPLE})`,
  });
  const m = GRAMMAR.exec(value);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return fail(`it is a date without a time; write a date-time such as ${value}T00:00:00Z`);
    if (/^\d{4}-\d{2}-\d{2}[ _]\d{2}:\d{2}/.test(value))
      return fail(`date and time must be separated by "T" (${value.slice(0, 10)}T${value.slice(11)})`);
    if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value))
      return fail(`it has no offset; write it with an offset, Z for UTC or ±hh:mm (e.g. ${value}Z)`);
    if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(Z|z|[+-]\d{2}:\d{2})$/.test(value)) return fail('it needs seconds (hh:mm:ss)');
    if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:?\d{2}$/.test(value) || /[+-]\d{2}$/.test(value))
      return fail('the offset must be written ±hh:mm (e.g. +02:00)');
    return fail();
  }
  const [, ys, mos, ds, hs, mis, ss, frac, z, sign, ohs, oms] = m;
  const [year, month, day, hour, minute, second] = [ys, mos, ds, hs, mis, ss].map(Number);
  if (month < 1 || month > 12) return fail(`month ${mos} does not exist`);
  if (day < 1 || day > daysIn(year, month))
    return fail(day < 1 ? `day ${ds} does not exist` : `${MONTHS[month - 1]} ${ys} has ${daysIn(year, month)} days`);
  if (hour > 23) return fail(hour === 24 ? 'hour 24 does not exist in RFC 3339; write 00:00:00 of the next day' : `hour ${hs} does not exist`);
  if (minute > 59) return fail(`minute ${mis} does not exist`);
  if (second > 60) return fail(`second ${ss} does not exist`);
  const offsetMin = z ? 0 : (sign === '-' ? -1 : 1) * (Number(ohs) * 60 + Number(oms));
  if (!z && (Number(ohs) > 23 || Number(oms) > 59)) return fail(`offset ${sign}${ohs}:${oms} does not exist (hours up to 23, minutes up to 59)`);
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second === 60 ? 59 : second, second === 60 ? 999 : ms);
  const utc = d.getTime() - offsetMin * 60_000;
  if (second === 60) {
    const at = new Date(utc);
    const date = at.toISOString().slice(0, 10);
    if (at.getUTCHours() !== 23 || at.getUTCMinutes() !== 59 || !LEAP_SECOND_DATES.has(date))
      return fail('second 60 exists only at a leap second (23:59:60 UTC at the end of a day the IERS inserted one)');
  }
  const time = new Date(utc);
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() > 9999 || time.getUTCFullYear() < 0) return fail('it lies outside years 0000–9999 in UTC');
  return { ok: true, time: time.toISOString() };
}

/**
 * Business times must be plausible (DESIGN §2a). The earliest business time a ledger accepts:
 * 2000-01-01T00:00:00Z. Earlier dates in business records are almost always a default or a
 * conversion slip, not a fact: a spreadsheet's day zero (1899-12-30 / 1900-01-01), the Unix
 * epoch from an empty timestamp (1970-01-01), a two-digit year read as the first century (0027).
 * Relationships recorded in trustledger are current ones; history older than 2000 has no weight
 * in a scorecard whose evidence halves every 180–365 days anyway.
 */
export const EARLIEST_BUSINESS_TIME = '2000-01-01T00:00:00.000Z';
const EARLIEST_BUSINESS_MS = Date.parse(EARLIEST_BUSINESS_TIME);
/**
 * How far after a promise is made (or rescheduled) its due time may lie: 10 years (3653 days).
 * Long framework agreements run for years, but a due time further out is a typo (2207 for 2027)
 * and would leave a promise open, unjudged, for the life of the relationship.
 */
export const MAX_DUE_AHEAD_DAYS = 3653;
/** How far ahead of the server's clock an occurredAt may lie (clock skew between firms): 5 minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const DAY = 86_400_000;
const day = (iso: string) => iso.slice(0, 10);

/**
 * Checks the time an entry happened (occurredAt, canonical UTC) against the plausible window:
 * not before EARLIEST_BUSINESS_TIME, not after `now` + MAX_CLOCK_SKEW_MS. Returns a message or null.
 */
export function checkOccurredAt(occurredAt: string, now: string): string | null {
  const at = millisOf(occurredAt);
  if (at < EARLIEST_BUSINESS_MS)
    return `${day(occurredAt)} is before ${day(EARLIEST_BUSINESS_TIME)}, the earliest business time a ledger accepts (a date like 1900-01-01 is a spreadsheet's zero, not a fact).`;
  if (at > millisOf(now) + MAX_CLOCK_SKEW_MS) return 'occurredAt lies in the future.';
  return null;
}

/**
 * Checks a due time against when it was set: after `madeAt` (a promise due before it was made is
 * overdue at birth; a new due time must lie after the reschedule), and at most MAX_DUE_AHEAD_DAYS
 * later. `what` names the field ("dueAt", "newDueAt"). Both times canonical UTC. Returns a
 * message or null.
 */
export function checkDueAfter(dueAt: string, madeAt: string, what: 'dueAt' | 'newDueAt'): string | null {
  const due = millisOf(dueAt);
  const made = millisOf(madeAt);
  const when = what === 'dueAt' ? 'the promise is made' : 'the reschedule is made';
  if (due <= made) return `the due time ${dueAt} must be after ${when} (${madeAt}): a promise cannot be due before it exists.`;
  if (due > made + MAX_DUE_AHEAD_DAYS * DAY)
    return `the due time ${day(dueAt)} is more than 10 years after ${when} (${day(madeAt)}); check the year.`;
  return null;
}

/**
 * Codes of ISO 4217 List One that name no currency a promise can be paid in: XTS is reserved for
 * testing, XXX means "no currency involved".
 */
const NOT_MONEY = new Set(['XTS', 'XXX']);
/** Active ISO 4217 alphabetic codes (List One, from the `currency-codes` package), less NOT_MONEY. */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(currencyCodes.codes().filter((c) => !NOT_MONEY.has(c)));
/** The date of the ISO 4217 List One that CURRENCY_CODES follows. */
export const CURRENCY_LIST_DATE: string = currencyCodes.publishDate;

/**
 * Checks an ISO 4217 alphabetic currency code: three upper-case letters that List One lists as
 * active (e.g. EUR, USD, JPY; withdrawn codes like DEM or HRK are refused). Returns a message or null.
 */
export function checkCurrency(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be an ISO 4217 currency code such as EUR';
  if (CURRENCY_CODES.has(value)) return null;
  const shown = JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (CURRENCY_CODES.has(value.trim().toUpperCase())) return `${shown} must be written as the ISO 4217 code ${value.trim().toUpperCase()} (three upper-case letters)`;
  if (value === 'XTS' || value === 'XXX') return `${value} is an ISO 4217 code for ${value === 'XTS' ? 'testing' : 'no currency'}, not money a promise can be paid in`;
  if (!/^[A-Z]{3}$/.test(value)) return `${shown} is not a three-letter ISO 4217 currency code such as EUR`;
  return `${shown} is not an active ISO 4217 currency code (e.g. EUR, USD, GBP, JPY)`;
}

/**
 * Units of account, precious metals and bond units of ISO 4217 List One, whose minor unit the
 * standard gives as "N.A." (the `currency-codes` package lists them with 0 digits): any precision.
 */
const NO_MINOR_UNIT = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XUA']);

/**
 * The ISO 4217 minor unit of an active currency code: the number of decimal places of its amounts
 * (JPY 0, USD 2, BHD 3, CLF 4), or null for codes without one (NO_MINOR_UNIT) or unknown codes.
 */
export function minorUnitDigits(currency: string): number | null {
  if (!CURRENCY_CODES.has(currency) || NO_MINOR_UNIT.has(currency)) return null;
  const digits = currencyCodes.code(currency)?.digits;
  return typeof digits === 'number' ? digits : null;
}

/** Number.MAX_SAFE_INTEGER minor units written as an amount with `digits` decimals (exact, in BigInt). */
const largestAmount = (digits: number): string => {
  const units = BigInt(Number.MAX_SAFE_INTEGER);
  const scale = 10n ** BigInt(digits);
  const whole = (units / scale).toLocaleString('en-US');
  return digits === 0 ? whole : `${whole}.${(units % scale).toString().padStart(digits, '0')}`;
};

/**
 * Checks a money amount against its currency (a valid ISO 4217 code, see checkCurrency): no finer
 * than the currency's minor unit (JPY 5.5 and USD 1.005 are refused; the decimal with that many
 * places nearest the number must be the number itself, so 0.07 passes although 0.07 × 100 is not
 * exactly 7 in binary), and small enough that its count of minor units is an exact integer
 * (at most Number.MAX_SAFE_INTEGER minor units: 90,071,992,547,409.91 USD). Returns a message or null.
 * Only new input is checked: entries already in a ledger are read, hashed and verified as stored.
 */
export function checkMoneyAmount(amount: number, currency: string): string | null {
  if (!Number.isFinite(amount)) return 'must be a finite number';
  const digits = minorUnitDigits(currency) ?? (CURRENCY_CODES.has(currency) ? 0 : null);
  if (digits === null) return null;
  const scale = 10 ** digits;
  const units = amount * scale;
  if (Math.abs(units) > Number.MAX_SAFE_INTEGER || Math.abs(amount) > Number.MAX_SAFE_INTEGER)
    return `${amount} ${currency} is too large: an amount must be at most ${largestAmount(digits)} ${currency}`;
  if (NO_MINOR_UNIT.has(currency)) return null;
  if (Math.round(units) / scale !== amount)
    return digits === 0
      ? `${amount} ${currency} is finer than its minor unit: ${currency} has no minor unit in ISO 4217 (0 decimal places), so the amount must be a whole number`
      : `${amount} ${currency} is finer than its minor unit: ISO 4217 gives ${currency} ${digits} decimal place${digits === 1 ? '' : 's'} (1/${scale} ${currency}), so the amount can have at most ${digits}`;
  return null;
}

/** The first lone UTF-16 surrogate in a string: its index and code unit, or null when well-formed. */
export function loneSurrogate(text: string): { index: number; unit: string } | null {
  const m = /\p{Cs}/u.exec(text);
  return m ? { index: m.index, unit: `U+${m[0].charCodeAt(0).toString(16).toUpperCase()}` } : null;
}

/** The first character no store can keep in a string: a lone surrogate or NUL (U+0000); null when none. */
function unstorable(text: string): { index: number; unit: string } | null {
  const m = UNSTORABLE.exec(text);
  return m ? { index: m.index, unit: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` } : null;
}

const unicodeMessage = (at: { index: number; unit: string }, key: boolean) =>
  at.unit === 'U+0000'
    ? `${key ? 'a field name' : 'text'} holds a NUL character (U+0000) at character ${at.index + 1}: it means nothing in business text and PostgreSQL cannot store it; remove it`
    : `${key ? 'a field name' : 'text'} holds a lone UTF-16 surrogate (${at.unit}) at character ${at.index + 1}: it is not well-formed Unicode, so it cannot be stored or hashed (RFC 8785); send the text as proper UTF-8 or UTF-16`;

/** Whether a string of `v` (object keys included, down to the depth unicodeIssues walks) holds a lone surrogate or NUL. */
function illFormedIn(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return UNSTORABLE.test(v);
  if (depth >= 64 || v === null || typeof v !== 'object' || v instanceof Date) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (illFormedIn(x, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (Object.hasOwn(v, k) && (UNSTORABLE.test(k) || illFormedIn((v as Record<string, unknown>)[k], depth + 1))) return true;
  return false;
}

const UNSTORABLE = /[\p{Cs}\u0000]/u;

/**
 * Every string in a JSON-like value (object keys included) must be well-formed Unicode: no lone
 * UTF-16 surrogates (`String.prototype.isWellFormed`, ES2024), and no NUL (U+0000), which
 * PostgreSQL's text type refuses, so both stores keep the same entries. Returns one VALIDATION
 * issue per such string, with its path under `base`.
 */
export function unicodeIssues(value: unknown, base: Path = []): Issue[] {
  // Most input is well-formed: one pass without building paths says so (a batch checks thousands).
  if (!illFormedIn(value, 0)) return [];
  const issues: Issue[] = [];
  const walk = (v: unknown, path: Path, depth: number) => {
    if (typeof v === 'string') {
      const at = unstorable(v);
      if (at) issues.push({ code: 'VALIDATION', message: unicodeMessage(at, false), path });
    } else if (Array.isArray(v)) {
      if (depth < 64) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      if (depth < 64)
        for (const [k, x] of Object.entries(v)) {
          const at = unstorable(k);
          // The path names the field with U+FFFD in place of the surrogate, so the error itself is well-formed.
          if (at) issues.push({ code: 'VALIDATION', message: unicodeMessage(at, true), path: [...path, k.replace(/[\p{Cs}\u0000]/gu, '\uFFFD')] });
          walk(x, [...path, k], depth + 1);
        }
    }
  };
  walk(value, base, 0);
  return issues;
}

/**
 * The checks of an entry that need its occurredAt as well as its payload (both already
 * validated and normalised): a promise's dueAt and a reschedule's newDueAt lie after the entry
 * and within MAX_DUE_AHEAD_DAYS of it. Rules that need the ledger (a new due time after the one
 * in force) are the server's. Issue paths: ['payload', field] under `base`.
 */
export function entryTimeIssues(type: string, payload: unknown, occurredAt: string, base: Path = []): Issue[] {
  const p = payload as { dueAt?: string; newDueAt?: string };
  const field = type === 'PROMISE_MADE' ? 'dueAt' : type === 'PROMISE_RESCHEDULED' ? 'newDueAt' : null;
  if (!field || typeof p?.[field] !== 'string') return [];
  const message = checkDueAfter(p[field] as string, occurredAt, field);
  return message ? [{ code: 'VALIDATION', message, path: [...base, 'payload', field] }] : [];
}
