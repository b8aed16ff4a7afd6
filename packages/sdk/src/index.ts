/**
 * @trustledger/sdk: the typed client of the trustledger API. The pure scorecard engine is
 * `@trustledger/sdk/scorecard`.
 */
export { createClient, type ClientOptions, type TrustledgerClient } from './client/client.ts';
export type { Success } from './client/core.ts';
export {
  AuthenticationError,
  ConflictError,
  type ClientErrorCode,
  type ErrorIssue,
  errorFromCode,
  ForbiddenError,
  LimitExceededError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  UnavailableError,
  ServerError,
  TrustledgerError,
  type TrustledgerErrorOptions,
  ValidationError,
  VerificationError,
} from './client/errors.ts';
export {
  ApiKeyFields,
  EntryFields,
  FirmFields,
  GoalFields,
  InteractionFields,
  MeasurementFields,
  MetricFields,
  PolicyFields,
  PromiseFields,
  RelationshipFields,
  UserErrorFields,
} from './client/fragments.ts';
export { type FragmentOf, graphql, type ResultOf, type TadaDocumentNode, type VariablesOf } from './client/graphql.ts';
export { newIdempotencyKey } from './client/idempotency.ts';
export type { ApiKey } from './client/operations/keys.ts';
export type { Goal, ListGoalsOptions, Measurement, Metric } from './client/operations/goals.ts';
export type { Interaction, ListInteractionsOptions } from './client/operations/interactions.ts';
export type { PolicyProposal } from './client/operations/policies.ts';
export type { ListPromisesOptions, PromiseNode } from './client/operations/promises.ts';
export {
  type Dispute,
  type LedgerEntry,
  type LedgerOptions,
  type LedgerRecord,
  type ListRelationshipsOptions,
  type Relationship,
  type RelationshipDetail,
  toLedgerRecord,
} from './client/operations/relationships.ts';
export { type ReviewItem, ReviewItemFields, type ReviewOptions } from './client/operations/review.ts';
export { type Scorecard, ScorecardFields, type ScorecardOptions } from './client/operations/scorecard.ts';
export type { Firm, Viewer } from './client/operations/viewer.ts';
export { MAX_PAGE_SIZE, type Paginated } from './client/pagination.ts';
export type { FetchLike, RequestOptions, TransportOptions } from './client/transport/http.ts';
export type { RetryOptions } from './client/transport/retry.ts';
export { parseRateLimit, type RateLimitStatus } from './client/transport/rate-limit.ts';
export {
  type LedgerHead,
  type LedgerVerification,
  toChainEntry,
  type VerifiableEntry,
  type VerifyLedgerOptions,
  verifyLedger,
} from './client/verify.ts';
export { firstScorecardDifference, verifyScorecard } from './client/verify-scorecard.ts';
/** The shared input checks (RFC 3339, ISO 4217, well-formed Unicode, plausible business times), as the server applies them. */
export {
  checkCurrency,
  checkDueAfter,
  checkOccurredAt,
  CURRENCY_CODES,
  EARLIEST_BUSINESS_TIME,
  MAX_DUE_AHEAD_DAYS,
  mutationInputIssues,
  parseDateTime,
  unicodeIssues,
} from '@trustledger/schema';
