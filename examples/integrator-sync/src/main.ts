/**
 * Integrator sync: pushes promises and what became of them (deliveries, payments, reschedules)
 * from a CSV export of your ERP into a relationship's ledger, in batches of up to 1000 entries.
 * Safe to re-run: rows already in the ledger are skipped, and each batch's idempotency key is a
 * hash of its content, so a retried or repeated batch is replayed by the server, not recorded twice.
 *
 *   pnpm --filter @trustledger/example-integrator-sync start -- --key $KEY --relationship $REL [file.csv]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, TrustledgerError } from '@trustledger/sdk';
import cliProgress from 'cli-progress';
import { batchKey, plan, readRows, toInput } from './rows.ts';

const USAGE = `Usage: integrator-sync [options] [FILE.csv]
  FILE.csv            the rows to push (default: the example's sample.csv)
  --url URL           GraphQL endpoint (env TRUSTLEDGER_URL; default http://127.0.0.1:4000/graphql)
  --key KEY           a writer key of your firm (env TRUSTLEDGER_KEY)
  --relationship ID   the relationship's id (env TRUSTLEDGER_RELATIONSHIP)
  --batch-size N      entries per request, 1–1000 (default 1000)`;

/** A bar on a terminal; otherwise one plain line per batch, for logs and CI. */
function progress(total: number) {
  if (!process.stdout.isTTY) return { update: (done: number) => console.log(`recorded ${done}/${total} entries`), stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: 'recording {bar} {value}/{total} entries', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv, // `pnpm start -- --key …` passes the `--` on
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.TRUSTLEDGER_URL ?? 'http://127.0.0.1:4000/graphql' },
      key: { type: 'string', default: process.env.TRUSTLEDGER_KEY },
      relationship: { type: 'string', default: process.env.TRUSTLEDGER_RELATIONSHIP },
      'batch-size': { type: 'string', default: '1000' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const batchSize = Number(values['batch-size']);
  if (values.help || !values.key || !values.relationship || positionals.length > 1 || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const file = positionals[0] ?? fileURLToPath(new URL('../sample.csv', import.meta.url));
  const relationshipId = values.relationship;
  const client = createClient({ url: values.url, apiKey: values.key });

  // What the ledger holds now: rows already there are skipped, new ones numbered from its head.
  const ledger = await client.relationships.ledger(relationshipId).toArray();
  const headSeq = ledger.at(-1)?.seq ?? 0;
  const rows = readRows(readFileSync(file, 'utf8'));
  const { fresh, already } = plan(rows, ledger, headSeq);
  console.log(`${file}: ${rows.length} rows, ${already} already in the ledger, ${fresh.length} to record`);
  if (fresh.length === 0) {
    console.log(`Nothing new to record; the ledger stays at entry ${headSeq}.`);
    return 0;
  }

  const bar = progress(fresh.length);
  let done = 0;
  let head = { seq: headSeq, hash: ledger.at(-1)?.hash ?? '' };
  try {
    for (let start = 0; start < fresh.length; start += batchSize) {
      const batch = fresh.slice(start, start + batchSize);
      const result = await client.entries
        .recordBatch({
          relationshipId,
          idempotencyKey: batchKey(relationshipId, batch),
          entries: batch.map(toInput),
        })
        .catch((error: unknown) => {
          // A rejected batch (nothing of it was written) names the entry by its index: give its line.
          const path = error instanceof TrustledgerError ? error.path.map(String) : [];
          const at = path.indexOf('entries');
          const entry = at >= 0 ? batch[Number(path[at + 1])] : undefined;
          if (!entry) throw error;
          const field = path.slice(at + 2).join('.'); // e.g. payload.kind
          const reason = (error as Error).message.replace(/^Entry \d+: /, '');
          throw new Error(`line ${entry.line}: ${field ? `${field} ` : ''}${reason}`, { cause: error });
        });
      // The seqs were planned from the head read above; another writer in between would shift them.
      if (result.entries[0]?.seq !== batch[0].seq)
        throw new Error(`the ledger moved while syncing (entry ${batch[0].seq} was recorded as ${result.entries[0]?.seq}); check it, then run again`);
      head = result.relationship.head;
      done += batch.length;
      bar.update(done);
    }
  } finally {
    bar.stop();
  }
  console.log(`Recorded ${done} entries; the ledger is now at entry ${head.seq} (${head.hash.slice(0, 12)}…).`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Bad rows ("line K: …", all of them), API errors and I/O errors print as lines, not stacks.
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exitCode = 1;
  },
);
