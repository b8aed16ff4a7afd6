import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isLimitMessage, limitMessage } from './limits.ts';

/** Rewrites query-limit rejections into errors with code LIMIT_EXCEEDED and a plain message. */
export function useLimitErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result) || !result.errors) return;
      const errors = result.errors as readonly GraphQLError[];
      if (!errors.some((e) => isLimitMessage(e.message))) return;
      setResult({
        ...result,
        errors: errors.map((e) =>
          isLimitMessage(e.message)
            ? new GraphQLError(`${limitMessage(e.message)} Simplify the query or split it into several requests.`, {
                extensions: { code: 'LIMIT_EXCEEDED' },
              })
            : e,
        ),
      });
    },
  };
}
