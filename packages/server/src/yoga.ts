import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga } from 'graphql-yoga';
import { type AlertPubSub, createAlertPubSub } from './alerts/service.ts';
import type { Db } from './db/client.ts';
import { AppError } from './errors.ts';
import { createContext } from './graphql/context.ts';
import { QUERY_LIMITS } from './graphql/limits.ts';
import { createRateLimiter } from './graphql/rate-limit.ts';
import { useLimitErrors } from './graphql/use-limit-errors.ts';
import { viewerFromHeader } from './keys/service.ts';
import { schema } from './schema.ts';

export interface AppOptions {
  db: Db;
  /** The server's clock. @default () => new Date().toISOString() */
  now?: () => string;
  /** Where alerts are published. @default a new in-process pub/sub */
  pubsub?: AlertPubSub;
  /** Requests per minute per API key; 0 disables. @default Number(process.env.TRUSTLEDGER_RATE_LIMIT ?? 1200) */
  rateLimitPerMinute?: number;
}

/**
 * The GraphQL app, apart from any listener: tests call `app.fetch`, `startServer` listens.
 * A request without a key may introspect and ask __typename but reads no data; a request with
 * an unknown or revoked key is refused with 401.
 */
export function createApp({
  db,
  now = () => new Date().toISOString(),
  pubsub = createAlertPubSub(),
  rateLimitPerMinute = Number(process.env.TRUSTLEDGER_RATE_LIMIT ?? 1200),
}: AppOptions) {
  const limit = createRateLimiter(rateLimitPerMinute);
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: { isDev: false },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: QUERY_LIMITS.maxAliases },
        costLimit: { maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true, flattenFragments: true },
        maxTokens: { n: QUERY_LIMITS.maxTokens },
        maxDirectives: { n: 20 },
        blockFieldSuggestion: { enabled: false },
      }),
      useLimitErrors(),
    ],
    context: ({ request }) => {
      const header = request.headers.get('authorization');
      const viewer = viewerFromHeader(db, header);
      if (header && !viewer)
        throw new AppError('UNAUTHENTICATED', 'This API key is unknown or revoked.', [], undefined, 401);
      if (viewer) limit(viewer.keyId);
      return createContext(db, viewer, now, pubsub);
    },
  });
}

export type App = ReturnType<typeof createApp>;
