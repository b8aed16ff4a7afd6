/**
 * vitest globalSetup: with TRUSTLEDGER_TEST_STORE=postgres, starts one throw-away PostgreSQL
 * cluster for the whole run (test/support/pg.ts), migrates a template database once, and tells
 * the test workers where it is (TRUSTLEDGER_TEST_PG_URL); test/support/store.ts then gives every
 * test server and CLI run a fresh copy of the template. The cluster is stopped after the run.
 * On SQLite (the default) it does nothing.
 */
// The server's sources by path: global setup runs outside the test workers' `source` export condition.
import { openStore } from '../../packages/server/src/store/index.ts';
import { startPgCluster } from './pg.ts';
import { PG_TEMPLATE, TEST_STORE } from './store.ts';

export default async function setup(): Promise<(() => void) | undefined> {
  if (TEST_STORE !== 'postgres') return undefined;
  // Each test server holds a pool (TRUSTLEDGER_DB_POOL_SIZE, 10) and two sessions of its own, in
  // every test worker at once (one per core, less one): room for many cores.
  const cluster = await startPgCluster({ maxConnections: 1000 });
  try {
    const store = await openStore({ databaseUrl: await cluster.database(PG_TEMPLATE) });
    await store.close();
  } catch (error) {
    cluster.stop();
    throw error;
  }
  // Workers are started after global setup and inherit the environment.
  process.env.TRUSTLEDGER_TEST_PG_URL = cluster.url;
  return () => cluster.stop();
}
