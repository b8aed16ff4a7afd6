import { ERROR_CODES, type ErrorCode, type Issue } from '@trustledger/schema';
import { GraphQLError } from 'graphql';

/**
 * The one error the server raises for expected failures. Mutations put it in their payload as a
 * typed error; elsewhere it reaches the client as a GraphQL error with `extensions.code` (a
 * GraphQLError, so yoga does not mask it). Anything else is unexpected and masked.
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  readonly path_: (string | number)[];
  readonly issues: Issue[];

  /** `http`: the response's status (and headers) when this error answers the whole request. */
  constructor(code: ErrorCode, message: string, path: (string | number)[] = [], issues?: Issue[], http?: number | { status: number; headers: Record<string, string> }) {
    super(message, { extensions: { code, path: path.map(String), ...(http ? { http: typeof http === 'number' ? { status: http } : http } : {}) } });
    this.name = 'AppError';
    this.code = code;
    this.path_ = path;
    this.issues = issues ?? [{ code, message, path }];
  }

  static validation(issues: Issue[]): AppError {
    const first = issues[0];
    return new AppError(ERROR_CODES.VALIDATION, first?.message ?? 'invalid input', first?.path ?? [], issues);
  }
}

export const validation = (message: string, path: (string | number)[]) => new AppError(ERROR_CODES.VALIDATION, message, path);
export const notFound = (message: string, path: (string | number)[] = []) => new AppError(ERROR_CODES.NOT_FOUND, message, path);
export const forbidden = (message: string, path: (string | number)[] = []) => new AppError(ERROR_CODES.FORBIDDEN, message, path);
export const conflict = (message: string, path: (string | number)[] = []) => new AppError(ERROR_CODES.CONFLICT, message, path);
/**
 * The answer to a request whose `Authorization` header was sent but names no usable key
 * (RFC 6750 §3, §3.1): 401 with `WWW-Authenticate: Bearer realm="trustledger"` for another scheme
 * (no error code: the request holds no bearer credentials), with `error="invalid_token"` for an
 * unknown or revoked key; 400 with `error="invalid_request"` for a Bearer header without one token.
 * `what`: parseAuthorization's result.
 */
export function authorizationError(what: { kind: 'scheme'; scheme: string | null } | { kind: 'malformed' } | { kind: 'unknown' }): AppError {
  const challenge = (error?: string, description?: string) =>
    `Bearer realm="trustledger"${error ? `, error="${error}", error_description="${description}"` : ''}`;
  if (what.kind === 'scheme') {
    const named = what.scheme ? `the "${what.scheme}" scheme` : 'no scheme this API knows (is the key sent without "Bearer "?)';
    return new AppError(ERROR_CODES.UNAUTHENTICATED, `The Authorization header uses ${named}; this API takes an API key as "Authorization: Bearer <key>" (RFC 6750).`, [], undefined, {
      status: 401,
      headers: { 'www-authenticate': challenge() },
    });
  }
  if (what.kind === 'malformed')
    return new AppError(ERROR_CODES.UNAUTHENTICATED, 'The Authorization header says Bearer but does not hold one key after it; send "Authorization: Bearer <key>".', [], undefined, {
      status: 400,
      headers: { 'www-authenticate': challenge('invalid_request', 'Bearer takes one token') },
    });
  return new AppError(ERROR_CODES.UNAUTHENTICATED, 'This API key is unknown or revoked.', [], undefined, {
    status: 401,
    headers: { 'www-authenticate': challenge('invalid_token', 'The API key is unknown or revoked') },
  });
}

export const unauthenticated = () =>
  new AppError(ERROR_CODES.UNAUTHENTICATED, 'Send a valid API key as "Authorization: Bearer <key>".');
