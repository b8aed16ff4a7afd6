import { MAX_CARDS, MAX_WORK } from './work-budget.ts';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  /** Scoring work per request, in ledger entries folded (see work-budget.ts). */
  maxWork: number;
  /** Scorecards recomputed per request (see work-budget.ts). */
  maxCards: number;
}

/**
 * Limits on what one request may ask, set from the largest operation the SDK, the portal and
 * the examples send (test/api/limits-evidence.test.ts measures each), with a margin, and at or
 * under graphql-armor's defaults (depth 6, aliases 15, directives 50, tokens 1000, cost 5000)
 * except depth and cost: see the README.
 */
export const QUERY_LIMITS: QueryLimits = {
  /**
   * Deepest nesting of selections. The SDK's Scorecard, ScorecardSeries and ReviewPage reach 7
   * (relationship › scorecard › supplier › reliability › drivers › entry › seq); one level of margin.
   */
  maxDepth: 8,
  /** Aliases per operation: none sent by the SDK or the portal; graphql-armor's default. */
  maxAliases: 15,
  /**
   * Estimated cost per operation (graphql-armor's model, lists multiplied by their length, literal
   * or variable: see cost.ts). The largest sent is the SDK's ReviewPage at its largest page
   * (first: 100), 56,721; about 1.4× margin. Above armor's 5,000, which counts literal `first` only.
   */
  maxCost: 80_000,
  /** Tokens per document: the largest sent is 179 (ReviewPage). */
  maxTokens: 1_000,
  /** Directives per document: none sent; room for @include/@skip. */
  maxDirectives: 10,
  maxWork: MAX_WORK,
  maxCards: MAX_CARDS,
};

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
