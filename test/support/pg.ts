/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, started
 * on a free port on 127.0.0.1 (and a socket in the folder), stopped and deleted by `stop`. The
 * server refuses to run as root, so under root the cluster runs as the `postgres` user (Debian's
 * postgresql package creates it). Binaries: TRUSTLEDGER_PG_BIN, else /usr/lib/postgresql/<newest>/bin.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  /** postgres://tl@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Creates a database (each test file its own) and returns its URL. */
  database: (name: string) => Promise<string>;
  /** Stops the cluster and deletes its folder. */
  stop: () => void;
}

/** The folder holding initdb and pg_ctl; throws with what to install when there is none. */
export function pgBin(): string {
  if (process.env.TRUSTLEDGER_PG_BIN) return process.env.TRUSTLEDGER_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set TRUSTLEDGER_PG_BIN)');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * Starts a cluster (about two seconds); the database user is `tl`, trusted on loopback.
 * `maxConnections`: PostgreSQL's max_connections (the suite's PostgreSQL pass, where every test
 * worker's servers hold pools of their own, asks for more). @default 200
 */
export async function startPgCluster(options: { maxConnections?: number } = {}): Promise<PgCluster> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
    else execFileSync(full, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'tl', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 200} -c fsync=on`, 'start']);
  let stopped = false;
  return {
    url: `postgres://tl@127.0.0.1:${port}/postgres`,
    port,
    database: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
      const admin = new pg.Client({ connectionString: `postgres://tl@127.0.0.1:${port}/postgres` });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://tl@127.0.0.1:${port}/${name}`;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
