/**
 * `firm create`, `firm list`, `key create --json`, `key revoke`: the real CLI on a fresh database,
 * then the keys used against the API.
 */
import { startServer } from '@trustledger/server';
import { expect, test } from 'vitest';
import { cli, cliJson, gql, tempDb } from './cli.ts';

test('firms and keys: create, list, a key that works, then revoked', async () => {
  using tmp = tempDb();
  const firm = await cliJson(tmp.db, ['firm', 'create', 'Oak & Sons Furniture']);
  expect(firm).toMatchObject({ name: 'Oak & Sons Furniture', rawId: expect.stringMatching(/^frm_/) });
  expect(Buffer.from(firm.id, 'base64').toString()).toBe(`Firm:${firm.rawId}`);

  const text = await cli(tmp.db, ['firm', 'create', 'Harbor Hotels']);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^firm Harbor Hotels: \S+/);

  const list = await cliJson<{ name: string }[]>(tmp.db, ['firm', 'list']);
  expect(list.map((f) => f.name)).toEqual(['Oak & Sons Furniture', 'Harbor Hotels']);

  // By name and by id; the secret is printed once.
  const admin = await cliJson(tmp.db, ['key', 'create', 'Oak & Sons Furniture', '--role', 'admin', '--label', 'ops']);
  expect(admin).toMatchObject({ id: expect.stringMatching(/^key_/), firmId: firm.id, role: 'ADMIN', secret: expect.stringMatching(/^tl_/) });
  const writer = await cliJson(tmp.db, ['key', 'create', firm.id, '--role', 'writer']);
  expect(writer.role).toBe('WRITER');

  const badRole = await cli(tmp.db, ['key', 'create', firm.id, '--role', 'owner']);
  expect(badRole.code).not.toBe(0);
  expect(badRole.stderr).toMatch(/role must be admin, writer or reader/);
  const noFirm = await cli(tmp.db, ['key', 'create', 'Nobody Ltd', '--role', 'writer']);
  expect(noFirm.code).toBe(1);
  expect(noFirm.stderr).toMatch(/no firm "Nobody Ltd"/);

  const revoked = await cliJson(tmp.db, ['key', 'revoke', writer.id]);
  expect(revoked).toMatchObject({ id: writer.id, revokedAt: expect.any(String) });
  const unknown = await cli(tmp.db, ['key', 'revoke', 'key_nope']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/no key key_nope/);

  // The admin key reads as the firm; the revoked writer key no longer does.
  const server = await startServer({ ...tmp.options, port: 0, rateLimitPerMinute: 0 });
  try {
    const viewer = await gql(server.graphqlUrl, admin.secret, '{ viewer { role firm { name } } }');
    expect(viewer.viewer).toEqual({ role: 'ADMIN', firm: { name: 'Oak & Sons Furniture' } });
    await expect(gql(server.graphqlUrl, writer.secret, '{ viewer { role } }')).rejects.toThrow(/UNAUTHENTICATED|valid API key/);
  } finally {
    await server.close();
  }
}, 180_000); // ten CLI processes, each starting tsx: slow on a loaded machine

test('migrate brings the database up to date and says which database it was (the file, or PostgreSQL)', async () => {
  using tmp = tempDb();
  const where = tmp.options.dbPath ?? 'PostgreSQL (TRUSTLEDGER_DATABASE_URL)';
  expect(await cliJson(tmp.db, ['migrate'])).toEqual({ db: where, migrated: true });
  const text = await cli(tmp.db, ['migrate']);
  expect(text.code).toBe(0);
  expect(text.stdout.trim()).toBe(`database ${where} is up to date`);
  expect(await cliJson(tmp.db, ['firm', 'list'])).toEqual([]);
}, 120_000);
