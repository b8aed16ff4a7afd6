import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertPubSub, watchOverdue, watchStages } from './alerts/service.ts';
import { type Db, openDb } from './db/client.ts';
import { handleHealth } from './health.ts';
import { loadTracing, tracingEnabled } from './tracing.ts';
import { beginRequest, createLogger, type Logger, logRequest } from './request-log.ts';
import { handlePortal } from './portal.ts';
import { refreshReviewFigures, reviewRefreshMs } from './scorecard/review.ts';
import { createApp } from './yoga.ts';

export interface StartOptions {
  /** @default Number(process.env.PORT ?? 4000); 0 picks a free port. */
  port?: number;
  /** @default '127.0.0.1' unless HOST is set */
  host?: string;
  /** Database path (see openDb), or an open database. */
  dbPath?: string;
  db?: Db;
  now?: () => string;
  /** Called with every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /** How often to look for promises that became overdue, for alerts. @default 15000 */
  overdueCheckMs?: number;
  /** How often to look for announced churn stages that changed by time passing (no write), for alerts. @default 60000 */
  stageCheckMs?: number;
  /** Requests per minute per API key (see createApp). */
  rateLimitPerMinute?: number;
  /** How long a write waits for the database's write lock before answering UNAVAILABLE (HTTP 503). @default 5000 */
  busyTimeoutMs?: number;
  /** Where the one JSON line per request goes (see createLogger). @default createLogger(): standard output, TRUSTLEDGER_LOG_LEVEL */
  logger?: Logger;
  /** Traces GraphQL operations with OpenTelemetry (loadTracing). @default tracingEnabled(): TRUSTLEDGER_OTEL, off unless set */
  tracing?: boolean;
}

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  db: Db;
  server: Server;
  close: () => Promise<void>;
}

/** Opens the database (migrating it) and serves the GraphQL API over HTTP. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const db = options.db ?? openDb({ path: options.dbPath, onQuery: options.onQuery, busyTimeoutMs: options.busyTimeoutMs });
  const pubsub = createAlertPubSub();
  const logger = options.logger ?? createLogger();
  const tracing = (options.tracing ?? tracingEnabled()) ? await loadTracing() : undefined;
  const app = createApp({ db, now: options.now, pubsub, rateLimitPerMinute: options.rateLimitPerMinute, logger, tracing });
  const clock = options.now ?? (() => new Date().toISOString());
  const stopWatching = watchOverdue(db, pubsub, clock, options.overdueCheckMs);
  const stopStages = watchStages(db, pubsub, clock, options.stageCheckMs);
  // The review's stored figures move to each refresh instant in the background (scorecard/review.ts).
  const refresh = setInterval(() => {
    try {
      refreshReviewFigures(db, clock());
    } catch (error) {
      console.error('review refresh failed: %s', (error as Error).message);
    }
  }, reviewRefreshMs());
  refresh.unref();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/health' || path === '/ready' || path === '/' || path === '/portal' || path.startsWith('/portal/')) {
      // Health checks and the portal: one log line per request, like the app's (which adds the operation and the firm).
      const record = beginRequest(req.method ?? 'GET', path, req.headers['x-request-id'] as string | undefined);
      res.setHeader('x-request-id', record.requestId);
      const log = () => logRequest(logger, record, res.statusCode);
      res.once('finish', log);
      if (handleHealth(req, res, db) || handlePortal(req, res)) return;
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
    db,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        stopWatching();
        stopStages();
        clearInterval(refresh);
        server.closeAllConnections();
        server.close(() => {
          if (!options.db) db.$client.close();
          resolveClose();
        });
      }),
  };
}
