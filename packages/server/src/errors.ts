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

  constructor(code: ErrorCode, message: string, path: (string | number)[] = [], issues?: Issue[], httpStatus?: number) {
    super(message, { extensions: { code, path: path.map(String), ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
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
export const unauthenticated = () =>
  new AppError(ERROR_CODES.UNAUTHENTICATED, 'Send a valid API key as "Authorization: Bearer <key>".');
