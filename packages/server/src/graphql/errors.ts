import { ERROR_CODES } from '@trustledger/schema';
import type { Issue } from '@trustledger/schema';
import { builder } from './builder.ts';

export const ErrorCodeEnum = builder.enumType('ErrorCode', { values: Object.values(ERROR_CODES) });

/** An expected failure of a mutation: what went wrong, in words, and where in the input. */
export const UserErrorRef = builder.interfaceRef<Issue>('UserError').implement({
  description: 'An expected failure of a mutation. Nothing was written.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
    path: t.stringList({ description: 'Path into the mutation arguments, e.g. ["input", "dueAt"].', resolve: (e) => e.path.map(String) }),
  }),
  resolveType: (e) => TYPE_OF_CODE[e.code] ?? 'ValidationError',
});

const TYPE_OF_CODE: Record<string, string> = {
  VALIDATION: 'ValidationError',
  LIMIT_EXCEEDED: 'ValidationError',
  NOT_FOUND: 'NotFoundError',
  FORBIDDEN: 'ForbiddenError',
  CONFLICT: 'ConflictError',
};

for (const [name, description] of [
  ['ValidationError', 'The input is malformed or breaks a rule; `path` says where.'],
  ['NotFoundError', 'Something the input names does not exist or is not visible to you.'],
  ['ForbiddenError', 'Your key or your side may not do this.'],
  ['ConflictError', 'The current state does not allow this, or an idempotency key was reused with other input.'],
] as const) {
  builder.objectRef<Issue>(name).implement({ description, interfaces: [UserErrorRef], isTypeOf: (e) => TYPE_OF_CODE[(e as Issue).code] === name });
}
