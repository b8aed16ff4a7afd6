import type { Command } from 'commander';
import { openStore, type Store } from '../store/index.ts';
import { type DemoResult, isEmpty, seedDemo } from '../demo/index.ts';
import { progress } from './progress.ts';
import type { Cli } from './shared.ts';

/** Whether `serve` seeds the demo on an empty database: not with --no-demo or TRUSTLEDGER_DEMO=0. */
export const demoWanted = (flag: boolean): boolean => flag && !['0', 'false', 'no', 'off'].includes((process.env.TRUSTLEDGER_DEMO ?? '').toLowerCase());

/** Seeds the demo with a progress bar (or plain lines when stdout is not a terminal). */
export async function seedWithProgress(store: Store): Promise<DemoResult> {
  const bar = progress({ verb: 'seeded', unit: 'entries' });
  try {
    return await seedDemo(store, { onProgress: bar.update });
  } finally {
    bar.stop();
  }
}

/** The base URL a server on host:port is reached at. */
export const baseUrlOf = (host: string, port: number | string): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** The demo's firms, keys and URLs, as JSON and as text. */
export function demoReport(demo: DemoResult, baseUrl: string): { json: object; text: string } {
  const graphqlUrl = `${baseUrl}/graphql`;
  const portalUrl = `${baseUrl}/portal`;
  const width = Math.max(...demo.firms.map((f) => f.name.length));
  const text = [
    `Demo data: ${demo.firms.length} firms, ${demo.relationships.length} relationships, ${demo.entries} ledger entries (a year of history up to now).`,
    '',
    `GraphQL API  ${graphqlUrl}`,
    `Portal       ${portalUrl}`,
    '',
    ...demo.firms.flatMap((f) => [f.name, `  id      ${f.id}`, `  admin   ${f.keys.admin}`, `  writer  ${f.keys.writer}`]),
    '',
    'Relationships (supplier → client):',
    ...demo.relationships.map((r) => `  ${`${r.supplier} → ${r.client}`.padEnd(width * 2 + 3)}  ${String(r.entries).padStart(4)} entries  ${r.id}`),
    '',
    "The keys are shown once: copy them now, or create new ones with 'trustledger key create'.",
  ].join('\n');
  const json = {
    graphqlUrl,
    portalUrl,
    firms: demo.firms.map((f) => ({ name: f.name, id: f.id, rawId: f.rawId, keys: f.keys })),
    relationships: demo.relationships.map((r) => ({ id: r.id, rawId: r.rawId, supplier: r.supplier, client: r.client, story: r.story, entries: r.entries })),
    entries: demo.entries,
  };
  return { json, text };
}

/** `seed --demo`: the demo on a fresh database, or on any with --force. */
export function registerSeed(program: Command, cli: Cli): void {
  program
    .command('seed')
    .description('fill the database with sample data: --demo seeds firms, keys and a year of history')
    .option('--demo', 'the demo: suppliers and clients whose ledgers tell the stories of DESIGN §1')
    .option('--force', 'seed even though the database already has firms (adds another set of demo firms)')
    .option('-p, --port <port>', 'port the API will listen on, for the printed URLs (PORT)', process.env.PORT ?? '4000')
    .option('--host <host>', 'host the API will listen on, for the printed URLs (HOST)', process.env.HOST ?? '127.0.0.1')
    .action(async (o: { demo?: boolean; force?: boolean; port: string; host: string }) => {
      if (!o.demo) cli.fail("nothing to seed: pass --demo (see 'trustledger seed --help')");
      const store = await openStore({ path: cli.opts().db });
      try {
        if (!(await isEmpty(store)) && !o.force)
          cli.fail(`the database ${cli.opts().db} already has firms; the demo is for a fresh database (add --force to seed it anyway)`);
        const report = demoReport(await seedWithProgress(store), baseUrlOf(o.host, o.port));
        cli.print(report.json, report.text);
      } finally {
        await store.close();
      }
    });
}
