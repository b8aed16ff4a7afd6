#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { KEY_ROLES, type KeyRole } from '@trustledger/schema';
import { defaultDbPath, openStore, type Store } from '../store/index.ts';
import { isEmpty } from '../demo/index.ts';
import { globalIdOf } from '../graphql/ids.ts';
import { createApiKey, createFirm, revokeApiKey } from '../keys/service.ts';
import { createLogger, type Logger } from '../request-log.ts';
import { startServer } from '../server.ts';
import { registerCsv } from './csv.ts';
import { baseUrlOf, demoReport, demoWanted, registerSeed, seedWithProgress } from './demo.ts';
import { cliOf, lookupFirm } from './shared.ts';

/**
 * The `trustledger` command line: serve (seeding the demo on a first run), migrate, firms, keys,
 * seed, CSV import and export. `--json` prints machine-readable output.
 */
const program = new Command()
  .name('trustledger')
  .description('trustledger: shared trust scorecards for supplier–client relationships')
  .option('--db <path>', 'SQLite database file (TRUSTLEDGER_DB)', defaultDbPath())
  .option('--json', 'print JSON instead of text')
  .showHelpAfterError();

const cli = cliOf(program);
const { opts, print, fail } = cli;

program
  .command('serve')
  .description('run the GraphQL API (GraphiQL at /graphql in a browser); seeds the demo on an empty database')
  .option('-p, --port <port>', 'port (PORT); 0 picks a free one', process.env.PORT ?? '4000')
  .option('--host <host>', 'interface to listen on (HOST)', process.env.HOST ?? '127.0.0.1')
  .option('--no-demo', 'do not seed the demo when the database has no firms (TRUSTLEDGER_DEMO=0)')
  .action(async (o: { port: string; host: string; demo: boolean }) => {
    let logger: Logger;
    try {
      logger = createLogger(); // one JSON line per request on standard output, TRUSTLEDGER_LOG_LEVEL
    } catch (error) {
      return fail((error as Error).message);
    }
    const store = await openStore({ path: opts().db });
    const demo = demoWanted(o.demo) && (await isEmpty(store)) ? await seedWithProgress(store) : null;
    const server = await startServer({ store, port: Number(o.port), host: o.host, logger }).catch((error: Error) => {
      // The demo is committed: its keys must not be lost with the listener.
      if (demo) console.log(demoReport(demo, baseUrlOf(o.host, o.port)).text);
      return fail(`cannot listen on ${o.host}:${o.port}: ${error.message}`);
    });
    const report = demo ? demoReport(demo, server.url) : null;
    print(
      { url: server.graphqlUrl, portalUrl: `${server.url}/portal`, db: opts().db, demo: report?.json ?? null },
      [`trustledger API on ${server.graphqlUrl} (database ${process.env.TRUSTLEDGER_DATABASE_URL ? 'PostgreSQL, TRUSTLEDGER_DATABASE_URL' : opts().db})`, ...(report ? ['', report.text] : [])].join('\n'),
    );
    const stop = () =>
      server
        .close()
        .then(() => store.close())
        .then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('create or upgrade the database schema')
  .action(async () => {
    await (await openStore({ path: opts().db })).close();
    const onPg = Boolean(process.env.TRUSTLEDGER_DATABASE_URL);
    print({ db: onPg ? 'PostgreSQL (TRUSTLEDGER_DATABASE_URL)' : opts().db, migrated: true }, `database ${onPg ? 'PostgreSQL (TRUSTLEDGER_DATABASE_URL)' : opts().db} is up to date`);
  });

const firm = program.command('firm').description('manage firms');
firm
  .command('create <name>')
  .description('create a firm')
  .action(async (name: string) => {
    const store = await openStore({ path: opts().db });
    try {
      const f = await createFirm(store, name);
      print({ id: globalIdOf('Firm', f.id), rawId: f.id, name: f.name }, `firm ${f.name}: ${globalIdOf('Firm', f.id)}`);
    } catch (e) {
      fail((e as Error).message);
    } finally {
      await store.close();
    }
  });
firm
  .command('list')
  .description('list firms')
  .action(async () => {
    const store = await openStore({ path: opts().db });
    const rows = await store.firms();
    await store.close();
    print(
      rows.map((f) => ({ id: globalIdOf('Firm', f.id), rawId: f.id, name: f.name })),
      rows.map((f) => `${globalIdOf('Firm', f.id)}  ${f.name}`).join('\n') || '(no firms)',
    );
  });

const role = (value: string): KeyRole => {
  const r = value.toUpperCase() as KeyRole;
  if (!KEY_ROLES.includes(r)) throw new InvalidArgumentError('role must be admin, writer or reader');
  return r;
};

/** Accepts a firm's opaque id, raw id or exact name. */
async function findFirm(store: Store, ref: string) {
  try {
    return (await lookupFirm(store, ref)) ?? fail(`no firm "${ref}" (give its id or exact name; see 'firm list')`);
  } catch (error) {
    return fail((error as Error).message);
  }
}

const key = program.command('key').description('manage API keys');
key
  .command('create <firm>')
  .description('create an API key for a firm (id or name); the secret is shown once')
  .requiredOption('--role <role>', 'admin | writer | reader', role)
  .option('--label <label>', 'a note to recognise the key by')
  .action(async (ref: string, o: { role: KeyRole; label?: string }) => {
    const store = await openStore({ path: opts().db });
    const f = await findFirm(store, ref);
    const { key: k, secret } = await createApiKey(store, f.id, o.role, o.label ?? null);
    await store.close();
    print(
      { id: k.id, firmId: globalIdOf('Firm', f.id), role: k.role, secret },
      `key ${k.id} (${k.role.toLowerCase()}) for ${f.name}\nsecret (shown once): ${secret}`,
    );
  });
key
  .command('revoke <keyId>')
  .description('revoke an API key')
  .action(async (keyId: string) => {
    const store = await openStore({ path: opts().db });
    const row = await revokeApiKey(store, keyId);
    await store.close();
    if (!row) fail(`no key ${keyId}`);
    print({ id: keyId, revokedAt: row?.revokedAt }, `key ${keyId} revoked`);
  });

registerSeed(program, cli);
registerCsv(program, cli);

// `trustledger export review | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await program.parseAsync(process.argv);
