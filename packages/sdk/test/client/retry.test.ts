import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, resolveRetry } from '../../src/client/transport/retry.ts';

describe('retry policy', () => {
  it('doubles the delay per attempt, capped, with jitter in the upper half', () => {
    const policy = resolveRetry({ minDelayMs: 100, maxDelayMs: 1000 });
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('retries 429 and 5xx only', () => {
    expect([400, 401, 403, 404, 409, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([429, 500, 502, 503]);
  });

  it('turns retries off with false and rejects nonsense', () => {
    expect(resolveRetry(false).retries).toBe(0);
    expect(resolveRetry(undefined)).toEqual({ retries: 3, minDelayMs: 200, maxDelayMs: 5000 });
    expect(() => resolveRetry({ retries: -1 })).toThrow(RangeError);
    expect(() => resolveRetry({ minDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
  });
});
