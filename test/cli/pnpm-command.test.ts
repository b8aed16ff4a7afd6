import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { ROOT, tempDb } from './cli.ts';

const run = promisify(execFile);

test('`pnpm trustledger` runs the CLI with clean --json output, as the README walks through', async () => {
  using tmp = tempDb();
  // A SQLite file (TRUSTLEDGER_DB), or the PostgreSQL database of a PostgreSQL run (TRUSTLEDGER_DATABASE_URL).
  const env = { ...process.env, ...(tmp.options.dbPath ? { TRUSTLEDGER_DB: tmp.db } : { TRUSTLEDGER_DATABASE_URL: tmp.db }) };
  const firm = await run('pnpm', ['trustledger', '--json', 'firm', 'create', 'Harbor Hotels'], { cwd: ROOT, env });
  // stdout is nothing but the JSON: no script banner to strip before parsing.
  const created = JSON.parse(firm.stdout);
  expect(created).toMatchObject({ name: 'Harbor Hotels' });
  const key = JSON.parse((await run('pnpm', ['trustledger', '--json', 'key', 'create', 'Harbor Hotels', '--role', 'reader'], { cwd: ROOT, env })).stdout);
  expect(key.secret).toMatch(/^tl_/);
  expect(key.firmId).toBe(created.id);
  // The bin works from any directory.
  const listed = JSON.parse((await run('pnpm', ['--dir', ROOT, 'exec', 'trustledger', '--json', 'firm', 'list'], { cwd: tmp.dir, env })).stdout);
  expect(listed.map((f: { name: string }) => f.name)).toEqual(['Harbor Hotels']);
}, 60_000);
