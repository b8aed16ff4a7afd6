import { resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { serverRoot } from '../../paths.ts';

/** drizzle-kit's migrations for the pg dialect (drizzle.pg.config.ts): the same tables as SQLite's in drizzle/. */
export const pgMigrationsFolder = resolve(serverRoot, 'drizzle/pg');

/** Any constant: the advisory lock under which one instance at a time migrates. */
const MIGRATION_LOCK = 0x7472_7573;

/**
 * Applies pending migrations, holding an advisory lock so that instances started together
 * migrate once, one after the other.
 */
export async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // However long another instance takes to migrate, wait for it (not the writes' lock_timeout).
    await client.query('set lock_timeout = 0');
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: pgMigrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      await client.query('reset lock_timeout');
    }
  } finally {
    client.release();
  }
}
