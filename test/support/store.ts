/**
 * The store the suite runs against: the embedded SQLite file by default, PostgreSQL with
 * TRUSTLEDGER_TEST_STORE=postgres (test/support/global-setup.ts then starts one throw-away
 * cluster for the run and migrates a template database; every test database is a fresh copy
 * of it). Tests get a database from `testDatabase()` and never open SQLite themselves.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pgBin } from './pg.ts';

/** Which store this run tests. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.TRUSTLEDGER_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
/** The migrated template every PostgreSQL test database is created from. */
export const PG_TEMPLATE = 'tl_template';

export interface TestDatabase extends Disposable {
  /** A fresh temporary folder (for files a test writes), removed on dispose. */
  dir: string;
  /**
   * The database as the CLI helpers (test/cli/cli.ts) take it: the SQLite file's path, or the
   * postgres:// URL of a fresh database of its own.
   */
  db: string;
  /** startServer/openStore options selecting it: `{ dbPath }` or `{ databaseUrl }`. */
  options: { dbPath?: string; databaseUrl?: string };
}

let counter = 0;

/** The suite cluster's URL (its `postgres` database); throws outside a PostgreSQL run. */
function clusterUrl(): string {
  const url = process.env.TRUSTLEDGER_TEST_PG_URL;
  if (!url) throw new Error('TRUSTLEDGER_TEST_STORE=postgres needs the cluster test/support/global-setup.ts starts (run through vitest)');
  return url;
}

/** Runs one SQL command on the suite's cluster, synchronously (psql), so a database is ready before the test goes on. */
function psql(command: string): void {
  execFileSync(join(pgBin(), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', clusterUrl(), '-c', command], { stdio: 'pipe' });
}

/**
 * A fresh, empty (migrated on first open) database for one test server or CLI run, and a
 * temporary folder: on SQLite a file `name.db` in that folder; on PostgreSQL a new database on
 * the suite's cluster (CREATE DATABASE … TEMPLATE, a few milliseconds), dropped on dispose.
 */
export function testDatabase(name = 'test'): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-'));
  if (TEST_STORE === 'sqlite') {
    const path = join(dir, `${name}.db`);
    return { dir, db: path, options: { dbPath: path }, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const database = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  psql(`create database ${database} template ${PG_TEMPLATE}`);
  const url = new URL(clusterUrl());
  url.pathname = `/${database}`;
  return {
    dir,
    db: url.toString(),
    options: { databaseUrl: url.toString() },
    [Symbol.dispose]: () => {
      rmSync(dir, { recursive: true, force: true });
      // Any connection still open (a server not closed, a CLI child) is ended with it.
      psql(`drop database if exists ${database} with (force)`);
    },
  };
}

/**
 * Makes a PostgreSQL test database stop answering: no new connection is allowed and the open
 * ones (a server's pool, its LISTEN and leader sessions) are ended, as when the database goes away.
 */
export function refuseConnections(db: string): void {
  const name = new URL(db).pathname.slice(1);
  psql(`alter database ${name} allow_connections false`);
  psql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);
}

/** startServer/openStore options for a database string from `testDatabase().db` (a path or a postgres:// URL). */
export function storeOptions(db: string): { dbPath?: string; databaseUrl?: string } {
  return /^postgres(ql)?:\/\//.test(db) ? { databaseUrl: db } : { dbPath: db };
}

/** The environment selecting a database string for a child process (the CLI): TRUSTLEDGER_DATABASE_URL, or nothing (its --db). */
export function storeEnv(db: string): Record<string, string> {
  return /^postgres(ql)?:\/\//.test(db) ? { TRUSTLEDGER_DATABASE_URL: db } : {};
}

/**
 * Runs one SQL statement on a test database behind the API's back (a test simulating someone
 * with database access, or damage), with `?` placeholders on either store. Returns the rows and
 * the number of rows changed.
 */
export async function rawSql<R = Record<string, unknown>>(db: string, statement: string, ...params: unknown[]): Promise<{ rows: R[]; changes: number }> {
  if (/^postgres(ql)?:\/\//.test(db)) {
    let i = 0;
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const res = await client.query(statement.replace(/\?/g, () => `$${++i}`), params);
      return { rows: res.rows as R[], changes: res.rowCount ?? 0 };
    } finally {
      await client.end();
    }
  }
  const { openDb } = await import('@trustledger/server');
  const sqlite = openDb({ path: db }).$client;
  try {
    const prepared = sqlite.prepare(statement);
    if (prepared.reader) return { rows: prepared.all(...params) as R[], changes: 0 };
    return { rows: [], changes: prepared.run(...params).changes };
  } finally {
    sqlite.close();
  }
}
