import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { serverRoot } from '../../paths.ts';
import * as schema from '../schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDbOptions {
  /** SQLite file path, or ':memory:'. @default process.env.TRUSTLEDGER_DB ?? './data/trustledger.db' */
  path?: string;
  /** Called with every SQL statement run (tests count them). */
  onQuery?: (sql: string) => void;
  /** How long a write waits for another connection's write lock before SQLITE_BUSY. @default 5000 */
  busyTimeoutMs?: number;
}

export const migrationsFolder = resolve(serverRoot, 'drizzle');

/**
 * A path as the user meant it: relative paths are taken from the directory the command was run
 * in (pnpm's INIT_CWD; pnpm runs package scripts inside the package).
 */
export const userPath = (path: string): string => (path === ':memory:' || isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path));

/** The database path in force: TRUSTLEDGER_DB or ./data/trustledger.db, from where the command was run. */
export const defaultDbPath = (): string => userPath(process.env.TRUSTLEDGER_DB ?? './data/trustledger.db');

/**
 * The better-sqlite3 connection under a database or transaction handle, for the few hot
 * statements of the append path written as plain SQL: drizzle builds a query's SQL anew on every
 * call, which cost more than running it. `prepare` is cached by SQL text and reported to onQuery.
 */
export const sqliteOf = (db: Db): Database.Database => (db as unknown as { session: { client: Database.Database } }).session.client;

/**
 * Opens (creating if needed) the SQLite database in WAL mode with full fsync, so an acknowledged
 * write survives a crash, and applies pending migrations.
 */
export function openDb(options: OpenDbOptions = {}): Db {
  const path = options.path ? userPath(options.path) : defaultDbPath();
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  // drizzle prepares every statement it runs; compiling the same SQL again is most of a small
  // query's cost, so statements are cached by their text (they are run, never iterated, and
  // reset to the default row mode, so sharing one is safe). Every use is reported to onQuery, cached or not.
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  const onQuery = options.onQuery;
  sqlite.prepare = ((source: string) => {
    onQuery?.(source);
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    // drizzle switches statements to raw (array) rows when it maps columns itself; a shared
    // statement starts every use in the default mode.
    if (statement.reader) statement.raw(false);
    return statement;
  }) as typeof sqlite.prepare;
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}
