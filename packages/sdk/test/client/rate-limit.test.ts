import { parseRateLimit } from '@trustledger/sdk';
import { expect, test } from 'vitest';

test('reads the draft RateLimit fields: remaining and reset in ms, quota and window from the policy', () => {
  expect(parseRateLimit('"per-key";r=17;t=42', '"per-key";q=1200;w=60')).toEqual({ policy: 'per-key', remaining: 17, resetMs: 42_000, quota: 1200, windowMs: 60_000 });
  expect(parseRateLimit('"per-key";r=17;t=42')).toEqual({ policy: 'per-key', remaining: 17, resetMs: 42_000 });
});

test('of several policies, the one with the fewest requests left; its own quota, tokens as names too', () => {
  const status = parseRateLimit('"burst";r=40;t=1, daily;r=3;t=3600', '"burst";q=50;w=1, daily;q=1000;w=86400');
  expect(status).toEqual({ policy: 'daily', remaining: 3, resetMs: 3_600_000, quota: 1000, windowMs: 86_400_000 });
});

test('absent or malformed fields give undefined, not an exception', () => {
  expect(parseRateLimit(null)).toBeUndefined();
  expect(parseRateLimit('')).toBeUndefined();
  expect(parseRateLimit('"per-key";r=')).toBeUndefined();
  expect(parseRateLimit('"per-key";t=5')).toBeUndefined();
  expect(parseRateLimit('"per-key";r=-1;t=5')).toBeUndefined();
  expect(parseRateLimit('"per-key";r=5;t=5', 'garbage ;;')).toEqual({ policy: 'per-key', remaining: 5, resetMs: 5000 });
});
