import { print } from '@0no-co/graphql.web';
import type { ResultOf, TadaDocumentNode, VariablesOf } from '../graphql.ts';
import {
  AuthenticationError,
  errorFromCode,
  ForbiddenError,
  NetworkError,
  RateLimitError,
  ServerError,
  TrustledgerError,
  UnavailableError,
} from '../errors.ts';
import { parseRateLimit, type RateLimitStatus } from './rate-limit.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryOptions, resolveRetry, sleep } from './retry.ts';

/** The fetch the client calls: the global one by default, or yours (a proxy, a test double). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The GraphQL endpoint, e.g. https://trustledger.example/graphql. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Retries on network errors, HTTP 5xx and 429; `false` for none. @default { retries: 3, minDelayMs: 200, maxDelayMs: 5000 } */
  retry?: RetryOptions | false;
  /** Extra headers on every request (tracing, a proxy's token). */
  headers?: Record<string, string>;
  /**
   * Called with the API key's quota after every response that states it (the IETF RateLimit
   * headers), e.g. to slow a bulk import down before it is refused. `client.rateLimit()` returns the last one.
   */
  onRateLimit?: (status: RateLimitStatus) => void;
}

export interface RequestOptions {
  /** Aborts the request and any pending retry. */
  signal?: AbortSignal;
}

export interface Transport {
  request<D extends TadaDocumentNode<any, any>>(document: D, variables: VariablesOf<D> | undefined, options?: RequestOptions): Promise<ResultOf<D>>;
}

interface GraphQLResponseBody {
  data?: unknown;
  errors?: { message?: string; path?: (string | number)[]; extensions?: { code?: string; path?: string[] } }[];
}

/** One attempt's failure, and whether another attempt may succeed. */
type Attempt = { ok: true; data: unknown } | { ok: false; error: TrustledgerError; retryable: boolean; retryAfterMs?: number };

/**
 * Posts GraphQL documents with the API key, retrying what failed in transit. Every attempt sends
 * the same body, so a mutation's idempotency key is reused and a retried write records once.
 */
export function createTransport(options: TransportOptions): Transport {
  const policy = resolveRetry(options.retry);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers: Record<string, string> = {
    ...options.headers,
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    authorization: `Bearer ${options.apiKey}`,
  };

  async function attempt(body: string, signal: AbortSignal | undefined): Promise<Attempt> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(options.url, { method: 'POST', headers, body, signal });
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      const message = `Could not reach ${options.url}: ${cause instanceof Error ? cause.message : String(cause)}`;
      return { ok: false, error: new NetworkError(message, { cause }), retryable: true };
    }
    const status = response.status;
    const rateLimit = parseRateLimit(response.headers.get('ratelimit'), response.headers.get('ratelimit-policy'));
    if (rateLimit) options.onRateLimit?.(rateLimit);
    let json: GraphQLResponseBody | undefined;
    try {
      json = text ? (JSON.parse(text) as GraphQLResponseBody) : undefined;
    } catch {
      json = undefined;
    }
    const first = json?.errors?.[0];
    const code = first?.extensions?.code;
    if (status === 429 || code === 'RATE_LIMITED') {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const error = new RateLimitError(first?.message ?? 'Too many requests.', { status, retryAfterMs, rateLimit });
      return { ok: false, error, retryable: true, retryAfterMs };
    }
    if (isRetryableStatus(status) || code === 'UNAVAILABLE') {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after')); // e.g. 503 while the database is busy
      const message = first?.message ?? `The server answered HTTP ${status}.`;
      // Retried with the same body, so the same idempotency key: a write is recorded at most once.
      const error = code === 'UNAVAILABLE' ? new UnavailableError(message, { status, retryAfterMs }) : new ServerError(message, { status });
      return { ok: false, error, retryable: true, retryAfterMs };
    }
    if (!json) {
      const message = `${options.url} answered HTTP ${status} without a GraphQL response (is it the /graphql endpoint?).`;
      return { ok: false, error: status === 401 ? new AuthenticationError(message, { status }) : new TrustledgerError('UNKNOWN', message, { status }), retryable: false };
    }
    if (first) {
      const message = first.message ?? 'The request failed.';
      const path = first.extensions?.path ?? first.path ?? [];
      // graphql-yoga marks the unexpected errors it masks with INTERNAL_SERVER_ERROR.
      if (code === 'INTERNAL_SERVER_ERROR') return { ok: false, error: new ServerError(message, { status, path: first.path ?? [] }), retryable: false };
      if (code) return { ok: false, error: errorFromCode(code, message, { status, path }), retryable: false };
      if (status === 401) return { ok: false, error: new AuthenticationError(message, { status, path }), retryable: false };
      if (status === 403) return { ok: false, error: new ForbiddenError(message, { status, path }), retryable: false };
      // Without a code: an error at a field path is an unexpected one the server masked; one
      // without a path rejected the document itself (GraphQL validation, depth or cost limits).
      if (first.path) return { ok: false, error: new ServerError(message, { status, path }), retryable: false };
      return { ok: false, error: new TrustledgerError('INVALID_REQUEST', message, { status }), retryable: false };
    }
    if (status === 401) return { ok: false, error: new AuthenticationError('The API key was refused.', { status }), retryable: false };
    if (status >= 400 || json.data == null)
      return { ok: false, error: new TrustledgerError('UNKNOWN', `The server answered HTTP ${status} without data.`, { status }), retryable: false };
    return { ok: true, data: json.data };
  }

  return {
    async request(document, variables, requestOptions = {}) {
      const body = JSON.stringify({ query: print(document), variables: variables ?? {} });
      for (let n = 0; ; n++) {
        const result = await attempt(body, requestOptions.signal);
        if (result.ok) return result.data as ResultOf<typeof document>;
        if (!result.retryable || n >= policy.retries) throw result.error;
        if (result.retryAfterMs !== undefined && result.retryAfterMs > policy.maxDelayMs) throw result.error;
        await sleep(result.retryAfterMs ?? backoffDelay(n, policy), requestOptions.signal);
      }
    },
  };
}
