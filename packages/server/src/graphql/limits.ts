/** Limits on what one request may ask, and the words a client sees when it asks too much. */
export const QUERY_LIMITS = {
  /** Deepest nesting of selections. */
  maxDepth: 12,
  /** Aliases per operation. */
  maxAliases: 30,
  /** Estimated cost per operation (graphql-armor's cost model). */
  maxCost: 20_000,
  /** Tokens per document. */
  maxTokens: 5_000,
} as const;

export const LIMIT_EXCEEDED_MESSAGE = {
  page: (first: number, max: number) => `first must be between 0 and ${max} (got ${first}); page through larger lists with after.`,
  ids: (n: number, max: number) => `nodes(ids:) takes at most ${max} ids (got ${n}); ask in several calls of ${max}.`,
};

const ARMOR_PREFIX = 'Syntax Error: ';

/**
 * graphql-armor words its rejections as syntax errors without a code; clients get them as
 * LIMIT_EXCEEDED errors that say which limit was hit.
 */
export function isLimitMessage(message: string): boolean {
  return (message.startsWith(ARMOR_PREFIX) && /limit|exceeded|too many/i.test(message)) || message === GRAPHQL_ABORT;
}

/** graphql-js gives up validating documents with too many overlapping fields, with this message. */
const GRAPHQL_ABORT = 'Validation aborted.';

export const limitMessage = (message: string): string =>
  message === GRAPHQL_ABORT ? 'The query is too large to check: it repeats too many fields.' : message.slice(ARMOR_PREFIX.length);
