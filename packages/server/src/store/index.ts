/**
 * The data-access module (DESIGN §4 "Storage"): every SQL statement of the server lives under
 * this folder. Callers get a `Store` from `openStore` and
 * - write through `store.write((tx) => …)`: one transaction, a synchronous callback over the
 *   `WriteTx` look-ups and writes (the ledger core: ledger/append.ts, rules.ts, projections.ts,
 *   scoring/state.ts), committed when it returns;
 * - read through the Store's asynchronous, batched methods (loaders, review, keys, alerts).
 * Row types (RelationshipRow, EntryRow, …) are the same on every store.
 */
import { type OpenDbOptions, openDb } from './sqlite/connection.ts';
import { SqliteStore } from './sqlite/store.ts';
import type { Store } from './types.ts';

export type * from './types.ts';
export { SqliteStore } from './sqlite/store.ts';
export { rowToEntry } from './sqlite/write-tx.ts';
export { type Db, defaultDbPath, openDb, userPath } from './sqlite/connection.ts';

export { PgStore, type PgStoreOptions } from './pg/store.ts';

export interface OpenStoreOptions extends OpenDbOptions {
  /**
   * A postgres:// URL selects PostgreSQL. @default process.env.TRUSTLEDGER_DATABASE_URL; unset:
   * the embedded SQLite file (`path`).
   */
  databaseUrl?: string;
  /** PostgreSQL connections per instance. @default Number(process.env.TRUSTLEDGER_DB_POOL_SIZE ?? 10) */
  poolSize?: number;
  /** PostgreSQL statement timeout in ms (0: none). @default Number(process.env.TRUSTLEDGER_DB_STATEMENT_TIMEOUT_MS ?? 30000) */
  statementTimeoutMs?: number;
}

/**
 * Opens the store, migrated: PostgreSQL when `databaseUrl` (or TRUSTLEDGER_DATABASE_URL) is a
 * postgres:// URL, for several API instances on one database; else the embedded SQLite file
 * (`path`, else TRUSTLEDGER_DB, else ./data/trustledger.db), created as needed.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl ?? process.env.TRUSTLEDGER_DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('TRUSTLEDGER_DATABASE_URL must be a postgres:// URL (or unset, for the embedded SQLite file).');
    const { PgStore } = await import('./pg/store.ts');
    const env = (name: string) => (process.env[name] === undefined || process.env[name] === '' ? undefined : Number(process.env[name]));
    return PgStore.open({
      url,
      poolSize: options.poolSize ?? env('TRUSTLEDGER_DB_POOL_SIZE'),
      statementTimeoutMs: options.statementTimeoutMs ?? env('TRUSTLEDGER_DB_STATEMENT_TIMEOUT_MS'),
      lockTimeoutMs: options.busyTimeoutMs,
      onQuery: options.onQuery,
    });
  }
  return new SqliteStore(openDb(options));
}
