import { canonicalJson, type Issue, type KeyRole, parseDateTime, sha256Hex, unicodeIssues } from '@trustledger/schema';
import type { InputFieldBuilder, InputFieldMap, InputShapeFromFields, ObjectFieldBuilder, SchemaTypes } from '@pothos/core';
import { afterCommit } from '../alerts/service.ts';
import type { WriteTx } from '../store/index.ts';
import { AppError, conflict, forbidden, unauthenticated } from '../errors.ts';
import { builder } from './builder.ts';
import type { Context, Viewer } from './context.ts';
import { UserErrorRef } from './errors.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : SchemaTypes;

/** What a mutation's payload carries: its result (references that resolve to nodes) or its errors. */
export interface PayloadShape<R> {
  result: R | null;
  errors: Issue[];
}

const RANK: Record<KeyRole, number> = { READER: 0, WRITER: 1, ADMIN: 2 };

/**
 * The input as an idempotency record compares it: what it means, not how it was spelled. A field
 * sent as null is the same as one left out (GraphQL gives both the same meaning here), and a time
 * (a field named …At) is compared as the instant it denotes, so a retry that re-serialised
 * `2027-03-01T00:00:00Z` as `2027-03-01T00:00:00.000Z` is the same request, not a conflict.
 */
export function requestFingerprint(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => requestFingerprint(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const f = requestFingerprint(v, k);
      if (f !== undefined) out[k] = f;
    }
    return out;
  }
  if (typeof value === 'string' && key.endsWith('At')) {
    const t = parseDateTime(value);
    if (t.ok) return t.time;
  }
  return value;
}

export interface MutationSpec<Fields extends InputFieldMap, R> {
  name: string;
  description: string;
  /** Least role that may call it. @default 'WRITER' */
  role?: KeyRole;
  input: (t: InputFieldBuilder<Types, 'InputObject'>) => Fields;
  // biome-ignore lint: the payload's result shape is the one `run` returns
  payload: (t: ObjectFieldBuilder<Types, PayloadShape<any>>) => Record<string, unknown>;
  /** Does the work inside one write transaction (synchronously, through `tx`); throws AppError for expected failures. Returns JSON-serialisable references. */
  run: (tx: WriteTx, input: InputShapeFromFields<Fields>, viewer: Viewer, now: string, ctx: Context) => R;
  /** What of the result an idempotency record may keep (secrets are never stored). @default the whole result */
  remember?: (result: R) => R;
}

/**
 * Defines a mutation with one `input` argument (plus `idempotencyKey`) and a payload with typed
 * errors (DESIGN §4). The work runs in one transaction: it writes everything or nothing. With an
 * idempotency key, a repeat with the same input returns the first result and writes nothing; a
 * repeat with other input is a conflict.
 */
export function defineMutation<Fields extends InputFieldMap, R>(spec: MutationSpec<Fields, R>): void {
  const cap = spec.name[0].toUpperCase() + spec.name.slice(1);
  const Input = builder.inputType(`${cap}Input`, {
    fields: (t) => ({
      ...spec.input(t),
      idempotencyKey: t.string({
        required: false,
        description: 'Retry-safe key: the same key and input return the first result and record nothing new.',
      }),
    }),
  });
  const Payload = builder.objectRef<PayloadShape<R>>(`${cap}Payload`).implement({
    fields: (t) => ({
      ...(spec.payload(t) as object),
      errors: t.field({ type: [UserErrorRef], description: 'Empty on success.', resolve: (p) => p.errors }),
    }),
  });
  builder.mutationField(spec.name, (t) =>
    t.field({
      type: Payload,
      description: spec.description,
      args: { input: t.arg({ type: Input, required: true }) },
      resolve: async (_root, args, ctx) => {
        const viewer = ctx.viewer;
        if (!viewer) throw unauthenticated();
        const { idempotencyKey, ...input } = (args as unknown as { input: Record<string, unknown> }).input as Record<string, unknown> & { idempotencyKey?: string | null };
        try {
          if (RANK[viewer.role] < RANK[spec.role ?? 'WRITER'])
            throw forbidden(`A ${viewer.role.toLowerCase()} key cannot ${spec.name}; use a ${(spec.role ?? 'WRITER').toLowerCase()} key.`);
          // Every string of every input is well-formed Unicode (DESIGN §2a), whatever it feeds.
          const illFormed = unicodeIssues({ ...input, ...(idempotencyKey == null ? {} : { idempotencyKey }) }, ['input']);
          if (illFormed.length) throw AppError.validation(illFormed);
          if (idempotencyKey != null && (idempotencyKey.length < 1 || idempotencyKey.length > 200))
            throw new AppError('VALIDATION', 'idempotencyKey must be 1–200 characters.', ['input', 'idempotencyKey']);
          let scope: object | null = null;
          const now = ctx.now();
          const result = await ctx.store.write((tx) => {
            scope = tx.scope;
            const requestHash = idempotencyKey ? sha256Hex(canonicalJson({ mutation: spec.name, input: requestFingerprint(input) })) : '';
            if (idempotencyKey) {
              const seen = tx.idempotency(viewer.firmId, idempotencyKey);
              if (seen) {
                // Records kept before inputs were compared by meaning hashed the input as sent.
                const same = seen.requestHash === requestHash || seen.requestHash === sha256Hex(canonicalJson({ mutation: spec.name, input }));
                if (!same || seen.mutation !== spec.name)
                  throw conflict('This idempotency key was already used with different input; use a new key for a new request.', [
                    'input',
                    'idempotencyKey',
                  ]);
                return JSON.parse(seen.result) as R;
              }
            }
            const out = spec.run(tx, input as InputShapeFromFields<Fields>, viewer, now, ctx);
            if (idempotencyKey)
              tx.insertIdempotency({ firmId: viewer.firmId, key: idempotencyKey, mutation: spec.name, requestHash, result: JSON.stringify((spec.remember ? spec.remember(out) : out) ?? null) });
            return out;
          });
          if (scope) await afterCommit(scope, ctx.store, ctx.pubsub, now);
          return { result, errors: [] };
        } catch (error) {
          if (error instanceof AppError) return { result: null, errors: error.issues.map(({ code, message, path }) => ({ code, message, path })) };
          throw error;
        }
      },
    }),
  );
}
