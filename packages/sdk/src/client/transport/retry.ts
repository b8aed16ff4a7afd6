/** How the client retries requests that failed in transit. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  retries?: number;
  /** Backoff before the first retry, doubled on each next one. @default 200 */
  minDelayMs?: number;
  /**
   * Longest wait between attempts. A Retry-After longer than this is not slept through: the
   * request fails with a RateLimitError carrying `retryAfterMs`. @default 5000
   */
  maxDelayMs?: number;
}

export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, minDelayMs: 200, maxDelayMs: 5000 };

/** `false` turns retries off; otherwise the defaults are overridden field by field. */
export function resolveRetry(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, retries: 0 };
  const policy = { ...DEFAULT_RETRY, ...options };
  if (!Number.isInteger(policy.retries) || policy.retries < 0) throw new RangeError('retry.retries must be a whole number ≥ 0');
  if (!(policy.minDelayMs >= 0) || !(policy.maxDelayMs >= policy.minDelayMs))
    throw new RangeError('retry delays must satisfy 0 ≤ minDelayMs ≤ maxDelayMs');
  return policy;
}

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and
 * Jitter", 2015): half the capped exponential delay, plus a random share of the other half, so
 * clients that failed together do not retry together.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return capped / 2 + random() * (capped / 2);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Whether an HTTP status is worth another attempt: 429 and 5xx, never other 4xx. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
