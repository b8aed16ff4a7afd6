import type { ErrorCode } from '@trustledger/schema';
import type { RateLimitStatus } from './transport/rate-limit.ts';

/**
 * Codes the SDK adds to the contract's ERROR_CODES for failures that never reach a resolver:
 * NETWORK, SERVER (5xx or a masked error), VERIFICATION, INVALID_REQUEST (the server rejected
 * the document: GraphQL validation, depth or cost limits) and UNKNOWN.
 */
export type ClientErrorCode = 'NETWORK' | 'SERVER' | 'VERIFICATION' | 'INVALID_REQUEST' | 'UNKNOWN';

export interface TrustledgerErrorOptions {
  /** Path into the input (payload errors) or the query (top-level errors). */
  path?: readonly (string | number)[];
  /** HTTP status, when the failure came with one. */
  status?: number;
  cause?: unknown;
}

/** Base class of every error the SDK throws: branch on the subclass or on `code`. */
export class TrustledgerError extends Error {
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  readonly path: readonly (string | number)[];
  readonly status: number | undefined;

  constructor(code: TrustledgerError['code'], message: string, options: TrustledgerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path ?? [];
    this.status = options.status;
  }
}

/** One problem with an input, as the server words it. */
export interface ErrorIssue {
  code: string;
  message: string;
  path: readonly (string | number)[];
}

/** The input is malformed or breaks a rule; `path` says where, `issues` lists every problem. */
export class ValidationError extends TrustledgerError {
  readonly issues: readonly ErrorIssue[];
  constructor(message: string, options: TrustledgerErrorOptions & { issues?: readonly ErrorIssue[] } = {}) {
    super('VALIDATION', message, options);
    this.issues = options.issues ?? [{ code: 'VALIDATION', message, path: this.path }];
  }
}

/** What the input names does not exist or is not visible to this key's firm. */
export class NotFoundError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** The key's role or the firm's side may not do this. */
export class ForbiddenError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('FORBIDDEN', message, options);
  }
}

/** The current state does not allow it, or an idempotency key was reused with other input. */
export class ConflictError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('CONFLICT', message, options);
  }
}

/** The API key is missing, unknown or revoked (HTTP 401). */
export class AuthenticationError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('UNAUTHENTICATED', message, options);
  }
}

/**
 * Too many requests (HTTP 429) after the configured retries; `retryAfterMs` when the server said
 * (Retry-After), and `rateLimit` the quota it stated (the IETF RateLimit headers).
 */
export class RateLimitError extends TrustledgerError {
  readonly retryAfterMs: number | undefined;
  readonly rateLimit: RateLimitStatus | undefined;
  constructor(message: string, options: TrustledgerErrorOptions & { retryAfterMs?: number; rateLimit?: RateLimitStatus } = {}) {
    super('RATE_LIMITED', message, options);
    this.retryAfterMs = options.retryAfterMs;
    this.rateLimit = options.rateLimit;
  }
}

/** The request asked for more than the API allows (a page above 100, too deep, too costly). */
export class LimitExceededError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('LIMIT_EXCEEDED', message, options);
  }
}

/**
 * The server could not take the request now (HTTP 503 with Retry-After, code UNAVAILABLE: its
 * database was busy with another write) and still could not after the configured retries.
 * Nothing was recorded by the failed attempts; retrying later with the same idempotency key is safe.
 */
export class UnavailableError extends TrustledgerError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: TrustledgerErrorOptions & { retryAfterMs?: number } = {}) {
    super('UNAVAILABLE', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The server could not be reached, or the connection dropped, after the configured retries. */
export class NetworkError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('NETWORK', message, options);
  }
}

/** The server failed: HTTP 5xx after the retries, or an unexpected error it masked. */
export class ServerError extends TrustledgerError {
  constructor(message: string, options?: TrustledgerErrorOptions) {
    super('SERVER', message, options);
  }
}

/** What the server served does not match what the SDK recomputed from the ledger. */
export class VerificationError extends TrustledgerError {
  /** Seq of the first bad entry, when the failure is in the ledger itself. */
  readonly seq: number | undefined;
  constructor(message: string, options: TrustledgerErrorOptions & { seq?: number } = {}) {
    super('VERIFICATION', message, options);
    this.seq = options.seq;
  }
}

/**
 * Maps a contract error code (ERROR_CODES in @trustledger/schema) to its class: the one place
 * an integrator's `instanceof` branches are decided. Unknown codes keep their code on the base class.
 */
export function errorFromCode(code: string, message: string, options: TrustledgerErrorOptions & { issues?: readonly ErrorIssue[] } = {}): TrustledgerError {
  const known = code as ErrorCode;
  switch (known) {
    case 'VALIDATION':
      return new ValidationError(message, options);
    case 'NOT_FOUND':
      return new NotFoundError(message, options);
    case 'FORBIDDEN':
      return new ForbiddenError(message, options);
    case 'CONFLICT':
      return new ConflictError(message, options);
    case 'UNAUTHENTICATED':
      return new AuthenticationError(message, options);
    case 'RATE_LIMITED':
      return new RateLimitError(message, options);
    case 'LIMIT_EXCEEDED':
      return new LimitExceededError(message, options);
    case 'UNAVAILABLE':
      return new UnavailableError(message, options);
    default: {
      const unknownCode: string = known satisfies never;
      return new TrustledgerError(unknownCode ?? 'UNKNOWN', message, options);
    }
  }
}
