import { AuthenticationError, createClient, ForbiddenError } from '@trustledger/sdk';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { sdk } from './helpers.ts';

it('creates, lists and revokes keys; a revoked key is refused with AuthenticationError', async () => {
  await using ts = await startTestServer();
  const admin = sdk(ts, ts.supplier, 'admin');
  const { apiKey, secret } = await admin.keys.create({ role: 'WRITER', label: 'ERP sync' });
  expect(apiKey).toMatchObject({ role: 'WRITER', label: 'ERP sync', revokedAt: null });
  expect(secret.length).toBeGreaterThan(20);

  const erp = createClient({ url: ts.url, apiKey: secret, retry: false });
  expect((await erp.viewer()).role).toBe('WRITER');
  expect((await admin.keys.list()).map((k) => k.label)).toContain('ERP sync');
  expect(await erp.keys.list()).toEqual([]);
  await expect(erp.keys.create({ role: 'ADMIN' })).rejects.toBeInstanceOf(ForbiddenError);

  const { apiKey: revoked } = await admin.keys.revoke({ keyId: apiKey.id });
  expect(revoked.revokedAt).not.toBeNull();
  const error = await erp.viewer().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).status).toBe(401);
});
