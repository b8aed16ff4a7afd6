import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertPubSub, watchOverdue, watchStages } from './alerts/service.ts';
import { type Db, openDb } from './db/client.ts';
import { handleHealth } from './health.ts';
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
  const app = createApp({ db, now: options.now, pubsub, rateLimitPerMinute: options.rateLimitPerMinute });
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
    if (handleHealth(req, res, db) || handlePortal(req, res)) return;
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
