import { GraphQLError } from 'graphql';
import { maskError, type Plugin, type YogaLogger } from 'graphql-yoga';
import type { Logger } from '../request-log.ts';

/** Seconds a client is asked to wait when the database was busy. */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * PostgreSQL's codes for a write that could not get the database in time: lock_not_available
 * (55P03, past lock_timeout) and query_canceled (57014, past statement_timeout).
 */
const PG_BUSY = new Set(['55P03', '57014']);

/**
 * Whether an error (or what it wraps) is SQLite's "database is locked" after the busy timeout, or
 * PostgreSQL's lock or statement timeout: the same typed, retryable answer on both stores.
 */
export function isBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || PG_BUSY.has(code))) return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The answer to a request that could not get the database: typed (UNAVAILABLE), retryable
 * (HTTP 503 with Retry-After). The transaction rolled back, so nothing was recorded; the SDK
 * retries with the same idempotency key.
 */
export function busyError(error?: GraphQLError): GraphQLError {
  return new GraphQLError(
    `The database is busy with another write; nothing was recorded. Retry in ${BUSY_RETRY_AFTER_S} s with the same idempotency key.`,
    {
      nodes: error?.nodes,
      path: error?.path,
      extensions: { code: 'UNAVAILABLE', http: { status: 503, headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) } } },
    },
  );
}

/** A request's unexpected errors: how many, the first one (with its stack), and its path. */
export interface UnexpectedErrors {
  count: number;
  error: unknown;
  at?: string;
}

/**
 * One log line per failed request, never one per item: graphql-yoga logs every unexpected error
 * it masks, so a list of 40,000 items failing the same way wrote 40,000 stack traces. Here the
 * masked errors of a request are counted and handed to `report` once, with the first one (the
 * request's log line carries them: request-log.ts). A busy database is not masked: it answers
 * UNAVAILABLE (see busyError). Yoga's own messages go to `logger` (the server's pino logger).
 */
export function createErrorLog(report: (request: Request, failure: UnexpectedErrors) => void, logger: Logger) {
  /** Masked error → the unexpected error behind it. */
  const originals = new WeakMap<object, unknown>();
  const pending = new WeakSet<object>();

  const yogaLogger: YogaLogger = {
    // Yoga's debug and info messages narrate each request; the request's own line says what matters.
    debug: () => {},
    info: () => {},
    warn: (...args) => logger.warn(args.map(String).join(' ')),
    // Errors masked in a request are summarised by the plugin below; anything else is logged as is.
    error: (...args) => {
      if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null && pending.has(args[0])) return;
      if (args[0] instanceof Error) logger.error({ err: args[0] }, args.slice(1).map(String).join(' ') || args[0].message);
      else logger.error(args.map(String).join(' '));
    },
  };

  const mask = (error: unknown, message: string, isDev?: boolean) => {
    if (isBusy(error)) {
      // Expected under load, answered 503: no stack trace in the log.
      if (typeof error === 'object' && error !== null) pending.add(error);
      return busyError(error instanceof GraphQLError ? error : undefined);
    }
    const masked = maskError(error, message, isDev);
    if (masked !== error && typeof error === 'object' && error !== null) {
      pending.add(error);
      originals.set(masked, error);
    }
    return masked;
  };

  const plugin: Plugin = {
    onResultProcess({ request, result }) {
      const results = Array.isArray(result) ? result : [result];
      let count = 0;
      let first: unknown;
      let path: readonly (string | number)[] | undefined;
      for (const r of results) {
        const errors = r && typeof r === 'object' && 'errors' in r ? (r.errors as { path?: readonly (string | number)[] }[] | undefined) : undefined;
        for (const e of errors ?? []) {
          if (!originals.has(e)) continue;
          count++;
          if (first === undefined) {
            first = originals.get(e);
            path = e.path;
          }
        }
      }
      // The error a resolver threw, not the GraphQLError that located it.
      if (first instanceof GraphQLError && first.originalError) first = first.originalError;
      if (count > 0) report(request, { count, error: first, at: path?.join('.') });
    },
  };

  return { logger: yogaLogger, maskError: mask, plugin };
}
