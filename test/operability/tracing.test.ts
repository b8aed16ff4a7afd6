/**
 * The OpenTelemetry hook (envelop's plugin): with TRUSTLEDGER_OTEL on, each GraphQL operation is a
 * span in the tracer provider the operator registered (here an in-memory exporter); off (the
 * default), no span is made and nothing of OpenTelemetry is even loaded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from '../cli/cli.ts';
import { storeEnv, testDatabase } from '../support/store.ts';

const CHILD = join(ROOT, 'test/operability/otel-child.ts');

/** Runs otel-child.ts with TRUSTLEDGER_OTEL set to `otel` (or unset): the answers and the spans it saw. */
async function traced(otel: string | undefined): Promise<{ answers: { data?: any; errors?: unknown[] }[]; spans: { name: string; kind: number; attributes: Record<string, unknown> }[] }> {
  using database = testDatabase('otel');
  const env: NodeJS.ProcessEnv = { ...process.env, TRUSTLEDGER_LOG_LEVEL: 'silent', ...storeEnv(database.db) };
  delete env.TRUSTLEDGER_OTEL;
  if (otel !== undefined) env.TRUSTLEDGER_OTEL = otel;
  return await new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolveRun(JSON.parse(out.trim().split('\n').pop() as string)) : reject(new Error(`otel-child exited ${code}: ${err}`))));
  });
}

const SERVER_KIND = 1; // SpanKind.SERVER in @opentelemetry/api

test('TRUSTLEDGER_OTEL=1: each operation is a SERVER span named after it, with its document and never its variables', async () => {
  const { answers, spans } = await traced('1');
  expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
  expect(spans.map((s) => s.name)).toEqual(['query.WhoAmI', 'mutation.NewKey']);
  const [query, mutation] = spans;
  expect(query.kind).toBe(SERVER_KIND);
  expect(query.attributes['graphql.execute.operationName']).toBe('WhoAmI');
  expect(query.attributes['graphql.execute.operationType']).toBe('query');
  expect(String(query.attributes['graphql.execute.document'])).toContain('viewer');
  expect(query.attributes['graphql.execute.variables']).toBeUndefined();
  expect(query.attributes['graphql.execute.result']).toBeUndefined();
  // What the mutation was given (and made: a key's secret) is not in the trace.
  expect(JSON.stringify(mutation)).not.toMatch(/secret-label|tl_/);
});

test('off by default (and with TRUSTLEDGER_OTEL=0): no span, though a tracer provider is registered', async () => {
  for (const otel of [undefined, '0']) {
    const { answers, spans } = await traced(otel);
    expect(answers[0].data.viewer.role).toBe('ADMIN');
    expect(spans).toEqual([]);
  }
});

/** The module URLs a `serve` process resolved while starting and answering one request. */
async function modulesLoaded(env: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'trustledger-loads-'));
  using database = testDatabase('loads');
  try {
    const list = join(dir, 'loaded.txt');
    writeFileSync(list, '');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(list)}, r.url + '\\n');\n  return r;\n}\n`,
    );
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--import', pathToFileURL(join(dir, 'register.mjs')).href, join(ROOT, 'packages/server/src/cli/main.ts'), '--db', join(dir, 'x.db'), 'serve', '--port', '0', '--no-demo'],
      { cwd: ROOT, env: { ...process.env, TRUSTLEDGER_OTEL: '', ...storeEnv(database.db), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /trustledger API on (\S+\/graphql)/.exec(out);
        if (m) resolveUrl(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query Ping { __typename }' }) });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    return readFileSync(list, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('off, the server loads nothing of OpenTelemetry; on, it loads envelop\'s plugin', async () => {
  const off = await modulesLoaded({});
  expect(off.some((u) => u.includes('/packages/server/src/yoga.ts'))).toBe(true); // the recording works
  // Modules of OpenTelemetry's packages (a package folder, not the peer-dependency tag in a pnpm path).
  const otel = (u: string) => /\/node_modules\/(@opentelemetry\/|@envelop\/opentelemetry\/)/.test(u);
  expect(off.filter(otel)).toEqual([]);
  const on = await modulesLoaded({ TRUSTLEDGER_OTEL: '1' });
  expect(on.some((u) => u.includes('/node_modules/@envelop/opentelemetry/'))).toBe(true);
  expect(on.some((u) => u.includes('/node_modules/@opentelemetry/api/'))).toBe(true);
});
