import { ERROR_CODES } from '@trustledger/schema';
import {
  AuthenticationError,
  ConflictError,
  errorFromCode,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  RateLimitError,
  TrustledgerError,
  UnavailableError,
  ValidationError,
} from '@trustledger/sdk';
import { expect, it } from 'vitest';

it('maps every contract error code to its class, and an unknown code to the base class', () => {
  const classes = {
    VALIDATION: ValidationError,
    NOT_FOUND: NotFoundError,
    FORBIDDEN: ForbiddenError,
    CONFLICT: ConflictError,
    UNAUTHENTICATED: AuthenticationError,
    RATE_LIMITED: RateLimitError,
    LIMIT_EXCEEDED: LimitExceededError,
    UNAVAILABLE: UnavailableError,
  } satisfies Record<keyof typeof ERROR_CODES, unknown>;
  for (const code of Object.values(ERROR_CODES)) {
    const error = errorFromCode(code, 'm', { path: ['input', 'x'] });
    expect(error).toBeInstanceOf(classes[code]);
    expect(error).toMatchObject({ code, message: 'm', path: ['input', 'x'], name: classes[code].name });
  }
  const unknown = errorFromCode('TEAPOT', 'short and stout');
  expect(unknown.constructor).toBe(TrustledgerError);
  expect(unknown.code).toBe('TEAPOT');
});
