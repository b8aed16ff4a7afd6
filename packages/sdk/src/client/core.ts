import { mutationInputIssues } from '@trustledger/schema';
import { errorFromCode, ServerError, ValidationError } from './errors.ts';
import type { ResultOf, TadaDocumentNode, VariablesOf } from './graphql.ts';
import { newIdempotencyKey } from './idempotency.ts';
import type { RequestOptions, Transport } from './transport/http.ts';

/** A payload's fields on success: everything but `errors`, none of it null. */
export type Success<P> = { [K in Exclude<keyof NonNullable<P>, 'errors'>]-?: NonNullable<NonNullable<P>[K]> };

type MutationDocument = TadaDocumentNode<any, { input: any }>;
type InputOf<D extends MutationDocument> = VariablesOf<D>['input'];

/** What the operation modules build on: typed queries, and mutations that throw payload errors. */
export interface Core {
  query<D extends TadaDocumentNode<any, any>>(document: D, variables?: VariablesOf<D>, options?: RequestOptions): Promise<ResultOf<D>>;
  /** Sends a mutation, giving `input` an idempotency key when it has none (so retries record once). */
  mutate<D extends TadaDocumentNode<any, any>>(document: D, variables: VariablesOf<D>, options?: RequestOptions): Promise<ResultOf<D>>;
  /** Runs a one-input mutation and returns its payload's non-error fields, or throws its first typed error. */
  run<D extends MutationDocument, F extends keyof ResultOf<D> & string>(
    document: D,
    field: F,
    input: InputOf<D>,
    options?: RequestOptions,
  ): Promise<Success<ResultOf<D>[F]>>;
}

interface PayloadError {
  code: string;
  message: string;
  path: readonly string[];
}

const withIdempotencyKey = <V>(variables: V): V => {
  const input = (variables as { input?: unknown } | undefined)?.input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return variables;
  if ((input as { idempotencyKey?: unknown }).idempotencyKey != null) return variables;
  return { ...variables, input: { ...input, idempotencyKey: newIdempotencyKey() } };
};

export function createCore(transport: Transport): Core {
  const core: Core = {
    query: (document, variables, options) => transport.request(document, variables, options),
    mutate: (document, variables, options) => transport.request(document, withIdempotencyKey(variables), options),
    async run(document, field, input, options) {
      // Refuse locally, in the server's words, what the shared input checks refuse (DESIGN §2a).
      const local = mutationInputIssues(field, input, new Date().toISOString());
      if (local.length) throw new ValidationError(local[0].message, { path: local[0].path, issues: local });
      const data = (await core.mutate(document, { input } as VariablesOf<typeof document>, options)) as Record<string, unknown>;
      const payload = data[field] as ({ errors?: PayloadError[] } & Record<string, unknown>) | null | undefined;
      if (!payload) throw new ServerError(`The server returned no ${field} payload.`);
      const [first, ...rest] = payload.errors ?? [];
      if (first) {
        const issues = [first, ...rest].map((e) => ({ code: e.code, message: e.message, path: e.path }));
        throw errorFromCode(first.code, first.message, { path: first.path, issues });
      }
      const { errors: _errors, ...result } = payload;
      for (const [name, value] of Object.entries(result))
        if (value == null) throw new ServerError(`The server reported success for ${field} but returned no ${name}.`);
      return result as Success<ResultOf<typeof document>[typeof field]>;
    },
  };
  return core;
}
