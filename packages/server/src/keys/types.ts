import { notFound } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { KeyRoleEnum } from '../graphql/enums.ts';
import { rawIdOf } from '../graphql/ids.ts';
import { defineMutation } from '../graphql/mutation.ts';
import { ViewerRef } from '../relationships/types.ts';
import { type ApiKeyRow, createApiKeyIn, revokeApiKeyIn } from './service.ts';

export const ApiKeyRef = builder.objectRef<ApiKeyRow>('ApiKey');

builder.node(ApiKeyRef, {
  description:
    "One of the firm's API keys (a Node, so clients can refetch and cache it by id). The secret is shown only when the key is created.",
  id: { resolve: (k) => k.id },
  // Visible, like the key list, to admin keys of the key's own firm; any other id gives null.
  loadMany: (ids, ctx) =>
    Promise.all(
      ids.map(async (id) => {
        const v = ctx.viewer;
        if (!v || v.role !== 'ADMIN') return null;
        return (await ctx.store.apiKey(id, v.firmId)) ?? null;
      }),
    ),
  fields: (t) => ({
    rawId: t.exposeString('id', { description: 'The id as the CLI prints it (`trustledger key revoke <rawId>`).' }),
    role: t.field({ type: KeyRoleEnum, resolve: (k) => k.role }),
    label: t.exposeString('label', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.createdAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revokedAt }),
  }),
});

builder.objectFields(ViewerRef, (t) => ({
  apiKeys: t.field({
    type: [ApiKeyRef],
    description: "The firm's keys (admin keys only; others see an empty list).",
    resolve: (v, _a, ctx) => (v.role === 'ADMIN' ? ctx.store.apiKeysOf(v.firmId) : []),
  }),
}));

const keyById = async (ctx: { store: import('../store/index.ts').Store }, id: string) => (await ctx.store.apiKey(id)) ?? null;

defineMutation({
  name: 'createApiKey',
  description: "Creates a key for the viewer's firm. The secret is in this payload only; store it now.",
  role: 'ADMIN',
  input: (t) => ({ role: t.field({ type: KeyRoleEnum, required: true }), label: t.string({ required: false }) }),
  payload: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, nullable: true, resolve: (p, _a, ctx) => (p.result ? keyById(ctx, p.result.keyId) : null) }),
    secret: t.string({
      nullable: true,
      description: 'Send as "Authorization: Bearer <secret>". Shown once: a retry with the same idempotency key returns the key without it.',
      resolve: (p) => p.result?.secret ?? null,
    }),
  }),
  run: (tx, input, viewer, now) => {
    const { key, secret } = createApiKeyIn(tx, viewer.firmId, input.role, input.label ?? null, now);
    return { keyId: key.id, secret: secret as string | null };
  },
  remember: (r) => ({ keyId: r.keyId, secret: null }),
});

defineMutation({
  name: 'revokeApiKey',
  description: "Revokes one of the firm's keys; it is refused from the next request on.",
  role: 'ADMIN',
  input: (t) => ({ keyId: t.id({ required: true, description: 'The ApiKey id (or its rawId).' }) }),
  payload: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, nullable: true, resolve: (p, _a, ctx) => (p.result ? keyById(ctx, p.result.keyId) : null) }),
  }),
  run: (tx, input, viewer, now) => {
    const row = revokeApiKeyIn(tx, rawIdOf(String(input.keyId), 'ApiKey') ?? String(input.keyId), viewer.firmId, now);
    if (!row) throw notFound("No key with this id belongs to your firm.", ['input', 'keyId']);
    return { keyId: row.id };
  },
});
