import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDateTime, toMillis } from '../src/index.ts';

describe('toMillis', () => {
  it('reads canonical ledger times as Date.parse does, across the calendar', () => {
    // Any instant from year 0 to 9999 as the ledger stores it (toISOString).
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const iso = new Date(ms).toISOString();
        fc.pre(iso.length === 24);
        expect(toMillis(iso)).toBe(Date.parse(iso));
        expect(toMillis(iso)).toBe(ms);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with Date.parse on leap days, month ends, out-of-range fields and other forms', () => {
    const cases = [
      '2024-02-29T12:00:00.000Z',
      '2100-02-29T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '2026-02-30T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-12-31T24:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-01T00:60:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z',
      '2026-01-02T03:04:05Z',
      '2026-01-02T03:04:05.000+02:00',
      '2026-01-02t03:04:05.000z',
      '2026-0a-02T03:04:05.000Z',
      'not a time',
    ];
    for (const c of cases) expect(Object.is(toMillis(c), Date.parse(c)), c).toBe(true);
  });
});

describe('parseDateTime on the canonical form', () => {
  it('gives back any canonical time as it is, and the same instant written with an offset in canonical form', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_104_060_800_000 + 86_400_000, max: Date.UTC(9999, 11, 30) }), fc.integer({ min: -23 * 60, max: 23 * 60 }), (ms, offsetMin) => {
        const iso = new Date(ms).toISOString();
        expect(parseDateTime(iso)).toEqual({ ok: true, time: iso });
        // The same instant as local time at an offset goes through the grammar, to the same canonical time.
        const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
        const sign = offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(offsetMin);
        const withOffset = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseDateTime(withOffset)).toEqual({ ok: true, time: iso });
      }),
      { numRuns: 5_000 },
    );
  });

  it('still refuses what looks canonical but is not a real instant, with the reason', () => {
    expect(parseDateTime('2027-02-30T00:00:00.000Z')).toMatchObject({ ok: false, message: expect.stringContaining('February 2027 has 28 days') });
    expect(parseDateTime('2026-13-01T00:00:00.000Z')).toMatchObject({ ok: false, message: expect.stringContaining('month 13') });
    expect(parseDateTime('2026-01-01T24:00:00.000Z')).toMatchObject({ ok: false, message: expect.stringContaining('hour 24') });
    // A real leap second is kept as the last instant of its day; any other second 60 is refused.
    expect(parseDateTime('2016-12-31T23:59:60.000Z')).toEqual({ ok: true, time: '2016-12-31T23:59:59.999Z' });
    expect(parseDateTime('2026-12-31T23:59:60.000Z')).toMatchObject({ ok: false });
  });
});
