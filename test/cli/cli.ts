import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeEnv, type TestDatabase, testDatabase } from '../support/store.ts';

/** The repository root: the CLI runs from there, as `pnpm trustledger` does. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MAIN = join(ROOT, 'packages/server/src/cli/main.ts');
export const SAMPLE = join(ROOT, 'packages/server/src/csv/sample-import.csv');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A fresh temporary directory and a fresh database of the store under test (test/support/store.ts):
 * `db` is a SQLite path in `dir`, or a postgres:// URL; removed on dispose.
 */
export function tempDb(): TestDatabase {
  return testDatabase();
}

/**
 * The CLI on database `db` (a SQLite path: --db; a postgres:// URL: TRUSTLEDGER_DATABASE_URL,
 * as an operator selects PostgreSQL).
 */
function spawnCli(db: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const base = { ...process.env };
  for (const name of ['TRUSTLEDGER_DB', 'TRUSTLEDGER_DATABASE_URL', 'TRUSTLEDGER_DEMO', 'PORT', 'HOST']) delete base[name];
  const onPg = Object.keys(storeEnv(db)).length > 0;
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...(onPg ? [] : ['--db', db]), ...args], {
    cwd: ROOT,
    env: { ...base, ...storeEnv(db), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the real CLI as a child process (stdout is a pipe, not a terminal) and waits for it to exit. */
export function cli(db: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawnCli(db, args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** Runs the CLI with --json and parses its stdout; fails with its stderr when it exits non-zero. */
export async function cliJson<T = any>(db: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const r = await cli(db, [...args, '--json'], env);
  if (r.code !== 0) throw new Error(`trustledger ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface LongRunning extends AsyncDisposable {
  /** Resolves with everything printed so far once stdout matches. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** Starts a long-running command (serve) and lets the test read its stdout, then stops it with SIGTERM. */
export function start(db: string, args: string[], env: Record<string, string> = {}): LongRunning {
  const child = spawnCli(db, args, env);
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (d) => {
    stdout += d;
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolveWait, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            clearTimeout(timer);
            resolveWait(stdout);
          }
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
        waiters.push(check);
        exited.then((code) => {
          if (!pattern.test(stdout)) {
            clearTimeout(timer);
            reject(new Error(`exited ${code} before ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
          }
        });
        check();
      }),
    stderr: () => stderr,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

/** POSTs a GraphQL request with a key; returns data, failing on errors. */
export async function gql<T = any>(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: T; errors?: unknown[] };
  if (json.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`);
  return json.data as T;
}
