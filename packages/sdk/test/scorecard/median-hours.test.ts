import { describe, expect, it } from 'vitest';
import { medianHours } from '../../src/scorecard/responsiveness.ts';
import { mulberry32 as random } from '../../src/scorecard/testing.ts';

/** The median as first written: keys sorted, then each position looked up from the start. */
function reference(hist: Record<string, number>): number | null {
  const keys = Object.keys(hist)
    .map(Number)
    .sort((a, b) => a - b);
  let total = 0;
  for (const k of keys) total += hist[String(k)];
  if (total === 0) return null;
  const valueAt = (i: number): number => {
    let seen = 0;
    for (const k of keys) {
      seen += hist[String(k)];
      if (i < seen) return k;
    }
    return keys[keys.length - 1];
  };
  const mid = Math.floor(total / 2);
  const minutes = total % 2 === 1 ? valueAt(mid) : (valueAt(mid - 1) + valueAt(mid)) / 2;
  return minutes / 60;
}

describe('medianHours, the median first response of a side', () => {
  it('equals the median taken position by position, on 2,000 random histograms', () => {
    const next = random(5);
    for (let n = 0; n < 2000; n++) {
      const hist: Record<string, number> = {};
      const size = Math.floor(next() * (n % 10 === 0 ? 1000 : 12));
      for (let i = 0; i < size; i++) {
        const minutes = Math.floor(next() * (next() < 0.5 ? 60 : 20_000));
        hist[String(minutes)] = (hist[String(minutes)] ?? 0) + 1 + Math.floor(next() ** 4 * 5);
      }
      const got = medianHours(hist);
      if (!Object.is(got, reference(hist))) expect({ hist, got }).toEqual({ hist, got: reference(hist) });
    }
  });

  it('no answered complaint: null; one: its time; two: their mean; an odd count: the middle one', () => {
    expect(medianHours({})).toBeNull();
    expect(medianHours({ '90': 1 })).toBe(1.5);
    expect(medianHours({ '60': 1, '180': 1 })).toBe(2);
    expect(medianHours({ '600': 1, '60': 2 })).toBe(1);
    expect(medianHours({ '600': 2, '60': 1 })).toBe(10);
    expect(medianHours({ '1200': 3, '60': 1, '120': 2 })).toBe((120 + 1200) / 2 / 60);
  });

  it('keys that are not array indices (listed in insertion order, not by value) are put in order too', () => {
    const hist = { '9000000000': 2, '5000000000': 1, '60': 1, '4294967296': 3 };
    expect(Object.keys(hist)).toEqual(['60', '9000000000', '5000000000', '4294967296']);
    expect(medianHours(hist)).toBe(reference(hist));
    expect(medianHours(hist)).toBe(4294967296 / 60); // 7 answers: 60, then three at 4294967296 hold the middle
    const even = { '9000000000': 2, '5000000000': 1, '4294967296': 1 };
    expect(medianHours(even)).toBe(reference(even));
  });
});
