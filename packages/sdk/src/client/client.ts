import { AuthenticationError } from './errors.ts';
import { createCore } from './core.ts';
import type { ResultOf, TadaDocumentNode, VariablesOf } from './graphql.ts';
import { entriesApi } from './operations/entries.ts';
import { goalsApi } from './operations/goals.ts';
import { interactionsApi } from './operations/interactions.ts';
import { keysApi } from './operations/keys.ts';
import { policiesApi } from './operations/policies.ts';
import { promisesApi } from './operations/promises.ts';
import { relationshipsApi } from './operations/relationships.ts';
import { representativesApi } from './operations/representatives.ts';
import { reviewApi } from './operations/review.ts';
import { scorecardApi } from './operations/scorecard.ts';
import { fetchViewer, type Viewer } from './operations/viewer.ts';
import { createTransport, type RequestOptions, type TransportOptions } from './transport/http.ts';
import type { RateLimitStatus } from './transport/rate-limit.ts';

/** Options of createClient: the endpoint, the key, and how to send requests. */
export type ClientOptions = TransportOptions;

/**
 * A typed client of the trustledger GraphQL API. Mutations return what they made and the ledger
 * entry they appended, and throw a TrustledgerError subclass on expected failures; lists are
 * async iterators that fetch pages lazily; every write carries an idempotency key (generated
 * when you give none) that retries reuse, so a retried write records once.
 */
export function createClient(options: ClientOptions) {
  // A key read from an unset environment variable would go out as "Bearer undefined" and come
  // back as "unknown or revoked": say what is wrong where it is wrong.
  const key: unknown = options.apiKey;
  if (typeof key !== 'string' || key.trim() === '')
    throw new AuthenticationError(
      `createClient needs apiKey, the API key the trustledger CLI printed (trustledger key create …); it got ${key === undefined ? 'undefined (is the environment variable you read it from, e.g. TRUSTLEDGER_KEY, set?)' : typeof key === 'string' ? 'an empty string' : `a ${key === null ? 'null' : typeof key}`}.`,
    );
  let rateLimit: RateLimitStatus | undefined;
  const core = createCore(
    createTransport({
      ...options,
      onRateLimit: (status) => {
        rateLimit = status;
        options.onRateLimit?.(status);
      },
    }),
  );
  const relationships = relationshipsApi(core);
  return {
    /** The API key's quota as of the last response that stated it (IETF RateLimit headers), or undefined before any. */
    rateLimit: (): RateLimitStatus | undefined => (rateLimit ? { ...rateLimit } : undefined),
    /** The firm and role behind this client's API key. */
    viewer: (request?: RequestOptions): Promise<Viewer> => fetchViewer(core, request),
    relationships: { ...relationships, ...scorecardApi(core, relationships) },
    goals: goalsApi(core),
    promises: promisesApi(core),
    interactions: interactionsApi(core),
    representatives: representativesApi(core),
    entries: entriesApi(core),
    policies: policiesApi(core),
    keys: keysApi(core),
    /**
     * The viewer's counterparties ranked by scorecard, fetched page by page as you iterate:
     * `as: 'CLIENT'` reviews its suppliers, `as: 'SUPPLIER'` its clients.
     */
    review: reviewApi(core),
    /** Runs any typed query document (from `graphql`); top-level errors throw typed errors. */
    query: <D extends TadaDocumentNode<any, any>>(document: D, variables?: VariablesOf<D>, request?: RequestOptions): Promise<ResultOf<D>> =>
      core.query(document, variables, request),
    /**
     * Runs any typed mutation document; when its variables have an `input` without
     * `idempotencyKey`, one is generated. Payload errors are returned, not thrown.
     */
    mutate: <D extends TadaDocumentNode<any, any>>(document: D, variables: VariablesOf<D>, request?: RequestOptions): Promise<ResultOf<D>> =>
      core.mutate(document, variables, request),
  };
}

/** The client createClient returns. */
export type TrustledgerClient = ReturnType<typeof createClient>;
