import { AppError } from '../errors.ts';

/**
 * A fixed-window request budget per API key. Over budget, a request is refused with HTTP 429
 * and Retry-After, which the SDK retries after the pause.
 */
export function createRateLimiter(perMinute: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (keyId: string, nowMs = Date.now()): void => {
    if (perMinute <= 0) return;
    let w = windows.get(keyId);
    if (!w || nowMs - w.start >= 60_000) {
      w = { start: nowMs, count: 0 };
      windows.set(keyId, w);
      if (windows.size > 10_000) for (const [k, v] of windows) if (nowMs - v.start >= 60_000) windows.delete(k);
    }
    w.count++;
    if (w.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - nowMs) / 1000));
      const error = new AppError('RATE_LIMITED', `Too many requests for this API key (${perMinute} a minute); retry in ${retryAfter} s.`);
      Object.assign(error.extensions, { http: { status: 429, headers: { 'retry-after': String(retryAfter) } } });
      throw error;
    }
  };
}
