import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The levels TRUSTLEDGER_LOG_LEVEL takes, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggerOptions {
  /** @default process.env.TRUSTLEDGER_LOG_LEVEL ?? 'info' (one of LOG_LEVELS) */
  level?: string;
  /** Where the JSON lines go. @default standard output, written asynchronously (flushed on exit) */
  destination?: DestinationStream;
}

/**
 * The server's logger: pino, one JSON object per line (`level` as a name, `time` in RFC 3339).
 * Standard output is written asynchronously, so a request never waits on the terminal or a pipe.
 * Throws on an unknown level, naming the ones it takes.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = (options.level ?? process.env.TRUSTLEDGER_LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new Error(`TRUSTLEDGER_LOG_LEVEL: unknown level "${level}"; use one of ${LOG_LEVELS.join(', ')}.`);
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** What one request's log line says, filled in as the request is served. */
export interface RequestRecord {
  requestId: string;
  method: string;
  /** The URL's path, without its query string (a GET query's text and variables stay out of the log). */
  path: string;
  start: number;
  /** The GraphQL operation's name, when it has one. */
  operation?: string;
  /** The firm whose API key made the request (its id; never the key). */
  firmId?: string;
  /** The distinct `extensions.code`s of the response's top-level errors. */
  errorCodes?: string[];
  /** Unexpected (masked) errors: how many, the first one, and where it occurred. */
  unexpected?: { count: number; error: unknown; at?: string };
}

/** An X-Request-Id a client may choose: 1–128 of letters, digits and `-_.:` (a UUID, a trace id). */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id: the client's `X-Request-Id` when it is a sensible one, else a new UUID. */
export function requestIdOf(header: string | null | undefined): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Starts the record of a request. */
export function beginRequest(method: string, url: string, requestIdHeader: string | null | undefined): RequestRecord {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  // Absolute URLs (the fetch API's Request.url) are reduced to their path.
  if (!path.startsWith('/')) path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
  return { requestId: requestIdOf(requestIdHeader), method, path, start: performance.now() };
}

const QUIET_PATHS = new Set(['/health', '/ready']);

/**
 * Writes a request's one log line: `requestId`, `method`, `path`, `status`, `durationMs` (until
 * the response started), `operation`, `firmId`, `errorCodes`, and for unexpected errors their
 * count, where the first occurred and that error with its stack (the client only ever sees
 * "Unexpected error."). Level: `error` for HTTP 5xx or unexpected errors, `warn` for other 4xx,
 * `info` otherwise; successful health probes at `debug`, so a probe every second does not fill the log.
 */
export function logRequest(logger: Logger, record: RequestRecord, status: number): void {
  const level: Level =
    status >= 500 || record.unexpected ? 'error' : status >= 400 ? 'warn' : QUIET_PATHS.has(record.path) ? 'debug' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = {
    requestId: record.requestId,
    method: record.method,
    path: record.path,
    status,
    durationMs: Math.round((performance.now() - record.start) * 100) / 100,
  };
  if (record.operation !== undefined) line.operation = record.operation;
  if (record.firmId !== undefined) line.firmId = record.firmId;
  if (record.errorCodes?.length) line.errorCodes = record.errorCodes;
  let msg = `${record.method} ${record.path}${record.operation ? ` ${record.operation}` : ''} ${status}`;
  if (record.unexpected) {
    const { count, error, at } = record.unexpected;
    line.unexpectedErrors = count;
    if (at) line.firstErrorAt = at;
    line.err = error instanceof Error ? error : new Error(String(error));
    msg = `request failed with ${count} unexpected error${count === 1 ? '' : 's'}${at ? ` (first at ${at})` : ''}`;
  }
  logger[level](line, msg);
}
