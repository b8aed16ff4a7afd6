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
};
