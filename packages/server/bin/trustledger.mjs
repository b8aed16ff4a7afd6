#!/usr/bin/env node
// Runs the compiled CLI (dist/cli.js, built by `pnpm build` and by `pnpm start`), which starts in
// about a second. When dist is missing or older than the TypeScript it was built from (the
// server's, the SDK's or the contract's sources), runs those sources through tsx instead, so the
// command never runs stale code.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/cli.js');

/** The newest modification time (ms) of the files under dir. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
}

const sources = [join(root, 'src'), join(root, '../schema/src'), join(root, '../sdk/src')].filter((dir) => existsSync(dir));
const fresh = existsSync(dist) && sources.every((dir) => newest(dir) <= statSync(dist).mtimeMs);

if (fresh) {
  await import(pathToFileURL(dist).href);
} else {
  // tsx's loader resolved from this package, so the command works from any directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--conditions=source', '--import', tsx, join(root, 'src/cli/main.ts'), ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  // Stopping this command stops the CLI it runs (serve keeps running otherwise).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
