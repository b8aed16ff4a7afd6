/**
 * API keys: createApiKey and revokeApiKey (admin only); a new key works at once, a revoked key is
 * refused from the next request on.
 */
import { expect, test } from 'vitest';
import { fails, must } from '../support/api.ts';
import { ok, startTestServer } from '../support/server.ts';

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test('an admin creates a key; it works at once; revoking it refuses it (401 UNAUTHENTICATED)', async () => {
  await using ts = await startTestServer();
  const created = await must(ts.supplier, 'createApiKey', { role: 'WRITER', label: 'ERP sync' }, 'apiKey { id role label createdAt revokedAt } secret', 'admin');
  expect(created.apiKey).toMatchObject({ role: 'WRITER', label: 'ERP sync', revokedAt: null });
  expect(created.secret).toEqual(expect.any(String));
  expect(created.secret.length).toBeGreaterThan(20);

  const me = await ts.post({ query: '{ viewer { role firm { name } } }' }, bearer(created.secret));
  expect(ok(me).viewer).toEqual({ role: 'WRITER', firm: { name: 'Oak & Sons Furniture' } });

  const listed = ok(await ts.supplier.gql('{ viewer { apiKeys { id role label revokedAt } } }', undefined, 'admin')).viewer.apiKeys;
  expect(listed).toContainEqual({ id: created.apiKey.id, role: 'WRITER', label: 'ERP sync', revokedAt: null });
  expect(listed).toHaveLength(4);
  // Non-admin keys see no keys.
  expect(ok(await ts.supplier.gql('{ viewer { apiKeys { id } } }', undefined, 'writer')).viewer.apiKeys).toEqual([]);

  const revoked = await must(ts.supplier, 'revokeApiKey', { keyId: created.apiKey.id }, 'apiKey { id revokedAt }', 'admin');
  expect(revoked.apiKey.id).toBe(created.apiKey.id);
  expect(revoked.apiKey.revokedAt).toEqual(expect.any(String));

  const query = await ts.post({ query: '{ viewer { role } }' }, bearer(created.secret));
  expect(query.status).toBe(401);
  expect(query.data ?? null).toBeNull();
  expect(query.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(query.errors?.[0].message).toMatch(/unknown or revoked/);

  const mutation = await ts.post(
    {
      query: 'mutation($i: ProposeRelationshipInput!) { proposeRelationship(input: $i) { relationship { id } errors { code } } }',
      variables: { i: { counterpartyId: ts.client.id, viewerSide: 'SUPPLIER' } },
    },
    bearer(created.secret),
  );
  expect(mutation.status).toBe(401);
  expect(mutation.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(ok(await ts.supplier.gql('{ viewer { relationships { edges { node { id } } } } }')).viewer.relationships.edges).toEqual([]);

  // An unknown key is refused the same way.
  const unknown = await ts.post({ query: '{ __typename }' }, bearer('tl_not-a-key'));
  expect(unknown.status).toBe(401);
  expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('only admin keys manage keys; a firm cannot revoke another firm\'s key', async () => {
  await using ts = await startTestServer();
  const writer = await fails(ts.supplier, 'createApiKey', { role: 'ADMIN' }, 'secret', 'writer');
  expect(writer).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
  expect(writer.message).toMatch(/admin key/);
  const reader = await fails(ts.supplier, 'createApiKey', { role: 'READER' }, 'secret', 'reader');
  expect(reader).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
  expect(ok(await ts.supplier.gql('{ viewer { apiKeys { id } } }', undefined, 'admin')).viewer.apiKeys).toHaveLength(3);

  const clientKey = (await must(ts.client, 'createApiKey', { role: 'READER' }, 'apiKey { id } secret', 'admin'));
  const foreign = await fails(ts.supplier, 'revokeApiKey', { keyId: clientKey.apiKey.id }, '', 'admin');
  expect(foreign).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', path: ['input', 'keyId'] });
  // The client's key still works.
  expect(ok(await ts.post({ query: '{ viewer { role } }' }, bearer(clientKey.secret))).viewer.role).toBe('READER');
});
