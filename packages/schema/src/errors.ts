/**
 * Error codes of the contract, one table for the server (which raises them) and the SDK
 * (which maps each to a class). Expected failures only: anything else is masked.
 */
export const ERROR_CODES = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RATE_LIMITED: 'RATE_LIMITED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** The database is busy with another write (HTTP 503 with Retry-After): retry with the same idempotency key. */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** One problem with an input: where it is (path into the input) and what is wrong. */
export interface Issue {
  code: ErrorCode;
  message: string;
  path: (string | number)[];
}
