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

export interface OpenStoreOptions extends OpenDbOptions {}

/**
 * Opens the store: the embedded SQLite file (`path`, else TRUSTLEDGER_DB, else
 * ./data/trustledger.db), created and migrated as needed.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  return new SqliteStore(openDb(options));
}
