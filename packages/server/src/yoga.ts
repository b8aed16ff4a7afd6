import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type DocumentNode, getOperationAST } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { type AlertPubSub, createAlertPubSub } from './alerts/service.ts';
import type { Store } from './store/index.ts';
import { AppError, authorizationError } from './errors.ts';
import { useBodyLimit } from './graphql/body-limit.ts';
import { corsOption, corsOrigins, useJsonOnly } from './graphql/browser-safety.ts';
import { createContext, type Viewer } from './graphql/context.ts';
import { newWorkBudget } from './graphql/work-budget.ts';
import { useCostLimit } from './graphql/cost.ts';
import { createErrorLog } from './graphql/error-log.ts';
import { QUERY_LIMITS, type QueryLimits } from './graphql/limits.ts';
import { createRateLimiter, type RateLimitState, rateLimitHeaders } from './graphql/rate-limit.ts';
import { useLimitErrors } from './graphql/use-limit-errors.ts';
import { parseAuthorization, viewerFromHeader } from './keys/service.ts';
import { beginRequest, createLogger, type Logger, logRequest, type RequestRecord } from './request-log.ts';
import { schema } from './schema.ts';

export interface AppOptions {
  /** The data-access module every request reads and writes through (openStore). */
  store: Store;
  /** The server's clock. @default () => new Date().toISOString() */
  now?: () => string;
  /** Where alerts are published. @default a new in-process pub/sub */
  pubsub?: AlertPubSub;
  /** Requests per minute per API key; 0 disables. @default Number(process.env.TRUSTLEDGER_RATE_LIMIT ?? 1200) */
  rateLimitPerMinute?: number;
  /** Browser origins allowed by CORS. @default corsOrigins() (TRUSTLEDGER_CORS_ORIGINS; none when unset) */
  corsOrigins?: readonly string[];
  /** Query limits, for tests that measure operations against them. @default QUERY_LIMITS */
  limits?: Partial<QueryLimits>;
  /**
   * Where each request's one JSON log line goes (request-log.ts: id, operation, firm, status,
   * duration, and a failed request's first unexpected error). @default createLogger() (standard output, TRUSTLEDGER_LOG_LEVEL)
   */
  logger?: Logger;
  /** An OpenTelemetry plugin (loadTracing), when tracing is on. @default none */
  tracing?: Plugin;
}

/**
 * The GraphQL app, apart from any listener: tests call `app.fetch`, `startServer` listens.
 * A request without a key may introspect and ask __typename but reads no data; a request with
 * an unknown or revoked key is refused with 401.
 */
export function createApp({
  store,
  now = () => new Date().toISOString(),
  pubsub = createAlertPubSub(),
  rateLimitPerMinute = Number(process.env.TRUSTLEDGER_RATE_LIMIT ?? 1200),
  corsOrigins: origins = corsOrigins(),
  logger = createLogger(),
  tracing,
  limits: limitsOverride,
}: AppOptions) {
  const limits: QueryLimits = { ...QUERY_LIMITS, ...limitsOverride };
  const limit = createRateLimiter(rateLimitPerMinute, rateLimitPerMinute > 0 ? store.sharedRateLimiter(rateLimitPerMinute) : undefined);
  /** Where each keyed request's API key stands, for its response's RateLimit headers. */
  const rateStates = new WeakMap<Request, RateLimitState>();
  /** Each request's viewer (null: no key), found once, before the document is parsed. */
  const viewers = new WeakMap<Request, Viewer | null>();
  /** Each request's log line, filled in as it is served and written when its response starts. */
  const records = new WeakMap<Request, RequestRecord>();
  const recordOf = (request: Request): RequestRecord => {
    let record = records.get(request);
    if (!record) {
      record = beginRequest(request.method, request.url, request.headers.get('x-request-id'));
      records.set(request, record);
    }
    return record;
  };
  const errorLog = createErrorLog((request, failure) => void (recordOf(request).unexpected = failure), logger);
  const requestLog: Plugin<{ request: Request }> = {
    onRequest: ({ request }) => void recordOf(request),
    onParams({ request, params }) {
      if (params.operationName) recordOf(request).operation = params.operationName;
    },
    // Named from the parsed document, so requests refused before they run (401, 429) are named too.
    onParse: ({ context }) => ({ result }) => {
      if (result && typeof result === 'object' && 'kind' in result && result.kind === 'Document')
        nameOperation(recordOf(context.request), result as DocumentNode, context.params?.operationName);
    },
    onResultProcess({ request, result }) {
      const codes = new Set<string>();
      for (const r of Array.isArray(result) ? result : [result]) {
        if (!r || typeof r !== 'object' || !('errors' in r)) continue;
        for (const e of (r.errors ?? []) as readonly { extensions?: { code?: unknown } }[]) if (typeof e.extensions?.code === 'string') codes.add(e.extensions.code);
      }
      if (codes.size > 0) recordOf(request).errorCodes = [...codes];
    },
    onResponse({ request, response }) {
      const record = recordOf(request);
      response.headers.set('x-request-id', record.requestId);
      logRequest(logger, record, response.status);
    },
  };
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL with its editor inlined in the page: it works with no internet (yoga's default loads it from a CDN).
    renderGraphiQL,
    graphiql: { title: 'trustledger GraphiQL', defaultQuery: '# Add "Authorization": "Bearer <your key>" under Headers, then ask for your data.\n{ __typename }\n' },
    maskedErrors: { isDev: false, maskError: errorLog.maskError },
    // The same limit, checked from Content-Length where Node's parser holds the body to it (useBodyLimit, last below).
    maxRequestBodySize: false,
    logging: errorLog.logger,
    cors: corsOption(origins),
    plugins: [
      requestLog,
      ...(tracing ? [tracing] : []),
      useJsonOnly(),
      {
        // The key is checked and counted before the document is parsed or validated, so every
        // keyed request, one refused by a query limit too, counts against the key's quota and is
        // told where it stands (RateLimit headers); an unknown or revoked key gets 401 whatever it sent.
        async onParams({ request, params, setResult }) {
          const header = request.headers.get('authorization');
          const viewer = await viewerFromHeader(store, header);
          viewers.set(request, viewer);
          if (viewer) recordOf(request).firmId = viewer.firmId;
          try {
            if (!viewer) {
              const sent = parseAuthorization(header);
              if (sent.kind === 'bearer') throw authorizationError({ kind: 'unknown' });
              if (sent.kind !== 'none') throw authorizationError(sent);
            }
            const state = viewer ? await limit(viewer.keyId) : undefined;
            if (state) rateStates.set(request, state);
          } catch (error) {
            // Refused before parsing: the log names the operation from the request as sent.
            const record = recordOf(request);
            record.operation ??= params.operationName ?? OPERATION_NAME.exec(params.query ?? '')?.[1];
            setResult({ errors: [error as AppError] });
          }
        },
      },
      errorLog.plugin,
      EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: limits.maxAliases },
        // Cost is checked by useCostLimit, which also counts lists whose length is a variable.
        costLimit: { enabled: false },
        maxTokens: { n: limits.maxTokens },
        maxDirectives: { n: limits.maxDirectives },
        blockFieldSuggestion: { enabled: false },
      }),
      useLimitErrors(),
      useCostLimit(limits.maxCost),
      {
        // The IETF RateLimit headers on every response to a keyed request (429s carry them from the error).
        onResponse({ request, response }) {
          const state = rateStates.get(request);
          if (state) for (const [name, value] of Object.entries(rateLimitHeaders(state))) response.headers.set(name, value);
        },
      },
      useBodyLimit(),
    ],
    context: async ({ request }) =>
      createContext(store, viewers.has(request) ? (viewers.get(request) ?? null) : await viewerFromHeader(store, request.headers.get('authorization')), now, pubsub, newWorkBudget(limits.maxWork, limits.maxCards)),
  });
}

export type App = ReturnType<typeof createApp>;

/** The first operation's name in a GraphQL document's text (for requests refused before parsing). */
const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** Names the request's operation from its document, when the request did not name it. */
function nameOperation(record: RequestRecord, document: DocumentNode, operationName?: string | null): void {
  if (record.operation === undefined) record.operation = getOperationAST(document, operationName)?.name?.value ?? operationName ?? undefined;
}
