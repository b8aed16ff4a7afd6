import { AppError } from '../errors.ts';

/** Where an API key stands in its current window. */
export interface RateLimitState {
  /** Requests allowed per window. */
  quota: number;
  /** The window, in seconds. */
  windowS: number;
  /** Requests left in the current window (0 once over). */
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetS: number;
}

/** The policy name in the RateLimit headers: one quota per API key. */
export const RATE_LIMIT_POLICY = 'per-key';

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-10, §4 and §5: Structured
 * Field lists whose items name the policy, with `q` quota and `w` window in seconds, and `r`
 * remaining and `t` seconds to reset):
 * `RateLimit-Policy: "per-key";q=1200;w=60` and `RateLimit: "per-key";r=1187;t=42`.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-policy': `"${RATE_LIMIT_POLICY}";q=${state.quota};w=${state.windowS}`,
    ratelimit: `"${RATE_LIMIT_POLICY}";r=${state.remaining};t=${state.resetS}`,
  };
}

/**
 * A fixed-window request budget per API key: counts the request and returns where the key stands
 * (for the RateLimit headers), or undefined when limiting is off (`perMinute` ≤ 0). Over budget,
 * a request is refused with HTTP 429, Retry-After and the RateLimit headers, which the SDK
 * retries after the pause. `shared` counts in a store every instance shares
 * (Store.sharedRateLimiter); without it, this process's memory counts.
 */
export function createRateLimiter(perMinute: number, shared?: (keyId: string) => Promise<{ count: number; resetMs: number }>) {
  const windows = new Map<string, { start: number; count: number }>();
  const inMemory = (keyId: string, nowMs: number) => {
    let w = windows.get(keyId);
    if (!w || nowMs - w.start >= 60_000) {
      w = { start: nowMs, count: 0 };
      windows.set(keyId, w);
      if (windows.size > 10_000) for (const [k, v] of windows) if (nowMs - v.start >= 60_000) windows.delete(k);
    }
    w.count++;
    return { count: w.count, resetMs: w.start + 60_000 - nowMs };
  };
  return async (keyId: string, nowMs = Date.now()): Promise<RateLimitState | undefined> => {
    if (perMinute <= 0) return undefined;
    const w = shared ? await shared(keyId) : inMemory(keyId, nowMs);
    const resetS = Math.max(1, Math.ceil(w.resetMs / 1000));
    const state: RateLimitState = { quota: perMinute, windowS: 60, remaining: Math.max(0, perMinute - w.count), resetS };
    if (w.count > perMinute) {
      const error = new AppError('RATE_LIMITED', `Too many requests for this API key (${perMinute} a minute); retry in ${resetS} s.`);
      Object.assign(error.extensions, { http: { status: 429, headers: { 'retry-after': String(resetS), ...rateLimitHeaders(state) } } });
      throw error;
    }
    return state;
  };
}
