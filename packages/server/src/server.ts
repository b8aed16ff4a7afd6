import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertPubSub, noteAlert, watchOverdue, watchStages } from './alerts/service.ts';
import { handleHealth } from './health.ts';
import { loadTracing, tracingEnabled } from './tracing.ts';
import { beginRequest, createLogger, type Logger, logRequest } from './request-log.ts';
import { type Db, openStore, SqliteStore, type Store } from './store/index.ts';
import { handlePortal } from './portal.ts';
import { refreshReviewFigures, reviewRefreshMs } from './scorecard/review.ts';
import { createApp } from './yoga.ts';

export interface StartOptions {
  /** @default Number(process.env.PORT ?? 4000); 0 picks a free port. */
  port?: number;
  /** @default '127.0.0.1' unless HOST is set */
  host?: string;
  /** SQLite database path (see openDb). */
  dbPath?: string;
  /** A postgres:// URL selects PostgreSQL (see openStore). @default process.env.TRUSTLEDGER_DATABASE_URL */
  databaseUrl?: string;
  /** An open SQLite database (not closed with the server). */
  db?: Db;
  /** An open store (not closed with the server); wins over db and dbPath. */
  store?: Store;
  now?: () => string;
  /** Called with every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /** How often to look for promises that became overdue, for alerts. @default 15000 */
  overdueCheckMs?: number;
  /** How often to look for announced churn stages that changed by time passing (no write), for alerts. @default 60000 */
  stageCheckMs?: number;
  /** Requests per minute per API key (see createApp). */
  rateLimitPerMinute?: number;
  /**
   * How long a write waits for the database's write lock (SQLite) or a relationship's row lock
   * (PostgreSQL's lock_timeout) before answering UNAVAILABLE (HTTP 503). @default 5000
   */
  busyTimeoutMs?: number;
  /** Where the one JSON line per request goes (see createLogger). @default createLogger(): standard output, TRUSTLEDGER_LOG_LEVEL */
  logger?: Logger;
  /** Traces GraphQL operations with OpenTelemetry (loadTracing). @default tracingEnabled(): TRUSTLEDGER_OTEL, off unless set */
  tracing?: boolean;
}

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  /** The store the server reads and writes through. */
  store: Store;
  /** The SQLite database under the store (tests and tools that inspect the file; SQLite stores only). */
  db: Db;
  server: Server;
  close: () => Promise<void>;
}

/** Opens the store (migrating it) and serves the GraphQL API over HTTP. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const owned = !options.store && !options.db;
  const store =
    options.store ??
    (options.db ? new SqliteStore(options.db, false) : await openStore({ path: options.dbPath, databaseUrl: options.databaseUrl, onQuery: options.onQuery, busyTimeoutMs: options.busyTimeoutMs }));
  const shared = await store.sharedEvents();
  const pubsub = createAlertPubSub(shared);
  // Stage changes told by any instance count as told here too (the stage watcher does not repeat them).
  if (shared && 'observe' in shared) (shared as { observe: (fn: (type: string, detail: unknown) => void) => void }).observe((_type, detail) => noteAlert(pubsub, detail));
  const logger = options.logger ?? createLogger();
  const tracing = (options.tracing ?? tracingEnabled()) ? await loadTracing() : undefined;
  const app = createApp({ store, now: options.now, pubsub, rateLimitPerMinute: options.rateLimitPerMinute, logger, tracing });
  const clock = options.now ?? (() => new Date().toISOString());
  const stopWatching = watchOverdue(store, pubsub, clock, options.overdueCheckMs);
  const stopStages = watchStages(store, pubsub, clock, options.stageCheckMs);
  // The review's stored figures move to each refresh instant in the background (scorecard/review.ts),
  // just after it passes (by the server's clock), so the first review after it rarely scores them itself.
  let refreshing = false;
  let refresh: NodeJS.Timeout;
  const every = reviewRefreshMs();
  const schedule = () => {
    const ms = Date.parse(clock());
    refresh = setTimeout(tick, Number.isFinite(ms) ? every - (ms % every) + 200 : every);
    refresh.unref();
  };
  const tick = () => {
    schedule();
    if (refreshing) return;
    refreshing = true;
    refreshReviewFigures(store, clock())
      .catch((error: Error) => console.error('review refresh failed: %s', error.message))
      .finally(() => {
        refreshing = false;
      });
  };
  schedule();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/health' || path === '/ready' || path === '/' || path === '/portal' || path.startsWith('/portal/')) {
      // Health checks and the portal: one log line per request, like the app's (which adds the operation and the firm).
      const record = beginRequest(req.method ?? 'GET', path, req.headers['x-request-id'] as string | undefined);
      res.setHeader('x-request-id', record.requestId);
      const log = () => logRequest(logger, record, res.statusCode);
      res.once('finish', log);
      if (handleHealth(req, res, store) || handlePortal(req, res)) return;
      res.off('finish', log); // not theirs after all (a POST /health): the app answers and logs it
      res.removeHeader('x-request-id');
    }
    return app(req, res);
  });
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? Number(process.env.PORT ?? 4000), host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    store,
    db: (store as SqliteStore).db,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        stopWatching();
        stopStages();
        clearTimeout(refresh);
        server.closeAllConnections();
        server.close(() => {
          if (owned) void store.close().then(resolveClose, resolveClose);
          else resolveClose();
        });
      }),
  };
}
