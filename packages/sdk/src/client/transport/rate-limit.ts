import { type BareItem, type Item, type Parameters, parseList } from 'structured-headers';

/**
 * Where the API key stands against the server's request quota, read from the IETF RateLimit
 * header fields (draft-ietf-httpapi-ratelimit-headers-10: `RateLimit: "per-key";r=1187;t=42` and
 * `RateLimit-Policy: "per-key";q=1200;w=60`).
 */
export interface RateLimitStatus {
  /** The policy's name, e.g. `per-key`. */
  policy: string;
  /** Requests left in the current window. */
  remaining: number;
  /** Milliseconds until the window resets and `remaining` is back to `quota`. */
  resetMs: number;
  /** Requests allowed per window, when the server sent RateLimit-Policy. */
  quota?: number;
  /** The window's length in milliseconds, when the server sent RateLimit-Policy. */
  windowMs?: number;
}

const nameOf = (item: BareItem): string => String(item);
const num = (params: Parameters, key: string): number | undefined => {
  const v = params.get(key);
  return typeof v === 'number' && v >= 0 ? v : undefined;
};
const items = (header: string): Item[] => {
  try {
    return parseList(header).filter((member): member is Item => !Array.isArray(member[0]));
  } catch {
    return []; // not a Structured Field list: ignored, as the draft asks of a malformed field
  }
};

/**
 * The most constraining policy of a response's `RateLimit` field (fewest requests left), with its
 * quota and window from `RateLimit-Policy` when present; undefined when the response has none
 * or it cannot be parsed. Units: the header's seconds become milliseconds.
 */
export function parseRateLimit(rateLimit: string | null, rateLimitPolicy: string | null = null): RateLimitStatus | undefined {
  if (!rateLimit) return undefined;
  let best: RateLimitStatus | undefined;
  for (const [name, params] of items(rateLimit)) {
    const remaining = num(params, 'r');
    if (remaining === undefined) continue;
    const status: RateLimitStatus = { policy: nameOf(name), remaining, resetMs: (num(params, 't') ?? 0) * 1000 };
    if (!best || status.remaining < best.remaining) best = status;
  }
  if (!best || !rateLimitPolicy) return best;
  for (const [name, params] of items(rateLimitPolicy)) {
    if (nameOf(name) !== best.policy) continue;
    const quota = num(params, 'q');
    const window = num(params, 'w');
    if (quota !== undefined) best.quota = quota;
    if (window !== undefined) best.windowMs = window * 1000;
  }
  return best;
}
