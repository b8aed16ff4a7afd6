#!/usr/bin/env node
// What an integrator does with the published packages, checked end to end (CI runs it, and so does
// test/packaging/tarball.test.ts): `pnpm pack` @trustledger/schema and @trustledger/sdk, install the
// tarballs with npm into a fresh project outside the workspace (test/packaging/consumer), run a
// plain-Node script against a live server started with the CLI, and type-check a TypeScript file
// with `tsc --strict` under moduleResolution node16 and bundler. Prints one JSON line (the consumer
// script's figures) last; exits non-zero with the reason on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'trustledger-packages-'));
const keep = process.argv.includes('--keep');
const started = Date.now();
const log = (message) => console.error(`check-packages: ${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);

// npm and pnpm read npm_config_* variables; a pnpm script's would leak into npm's install.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k) || /^npm_config_(registry|cache|userconfig)$/i.test(k)));
delete env.TRUSTLEDGER_DB;
delete env.PORT;

function run(command, args, cwd, extraEnv = {}) {
  try {
    return execFileSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`);
  }
}

let server = null;
try {
  // 1. Pack (prepack builds dist with tsup) and check what each tarball holds.
  const tarballs = {};
  for (const name of ['schema', 'sdk']) {
    run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', name));
    const file = readdirSync(work).find((f) => f.startsWith(`trustledger-${name}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack wrote no tarball for @trustledger/${name}`);
    tarballs[name] = join(work, file);
    const listed = run('tar', ['-tzf', tarballs[name]], work).trim().split('\n');
    const stray = listed.filter((p) => !/^package\/(package\.json|README\.md|schema\.graphql|dist\/.+)$/.test(p));
    if (stray.length) throw new Error(`@trustledger/${name}'s tarball holds more than dist and README: ${stray.join(', ')}`);
    for (const needed of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/README.md'])
      if (!listed.includes(needed)) throw new Error(`@trustledger/${name}'s tarball lacks ${needed}`);
    log(`packed ${file} (${listed.length} files)`);
  }

  // 2. A fresh project outside the workspace, installing the tarballs with npm.
  const consumer = join(work, 'consumer');
  cpSync(join(root, 'test/packaging/consumer'), consumer, { recursive: true });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballs.schema, tarballs.sdk], consumer);
  log('installed both tarballs with npm');

  // 3. A live server over a fresh database, set up with the CLI (compiled first, as pnpm start does).
  run('pnpm', ['--filter', '@trustledger/server', 'build'], root);
  const cli = join(root, 'packages/server/bin/trustledger.mjs');
  const db = join(work, 'check.db');
  const cliJson = (...args) => JSON.parse(run(process.execPath, [cli, '--db', db, '--json', ...args], root));
  cliJson('firm', 'create', 'Oak & Sons Furniture');
  const clientFirm = cliJson('firm', 'create', 'Harbor Hotels');
  const supplierKey = cliJson('key', 'create', 'Oak & Sons Furniture', '--role', 'writer').secret;
  const clientKey = cliJson('key', 'create', 'Harbor Hotels', '--role', 'writer').secret;
  server = spawn(process.execPath, [cli, '--db', db, '--json', 'serve', '--port', '0', '--no-demo'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s: ${out} ${err}`)), 60_000);
    server.stderr.on('data', (d) => (err += d));
    server.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/"url":\s*"([^"]+)"/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited ${code}: ${out} ${err}`)));
  });
  log(`server on ${url}`);

  // 4. Plain Node: import { createClient } from '@trustledger/sdk'.
  const figures = run(process.execPath, ['main.mjs'], consumer, { TRUSTLEDGER_URL: url, SUPPLIER_KEY: supplierKey, CLIENT_KEY: clientKey, CLIENT_ID: clientFirm.id }).trim();
  log('plain-Node script ran');

  // 5. tsc --strict against the installed declarations, both module resolutions.
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const resolution of ['node16', 'bundler']) {
    run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], consumer);
    log(`tsc --strict passes with moduleResolution ${resolution}`);
  }
  console.log(figures.split('\n').at(-1));
} catch (error) {
  console.error(`check-packages: FAILED\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  // The server runs in its own process group: stop all of it.
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
  }
  if (!keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
