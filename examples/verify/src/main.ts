/**
 * Verify: fetches a relationship's ledger, checks its hash chain (and, with --pin FILE, that it
 * extends the head you kept from the last run), recomputes the scorecard with the SDK's engine
 * and prints it beside the one the server serves. Exit code 1 on any mismatch. With --at-seq N
 * (and the --as-of of a figure you kept), it reproduces a pinned scorecard: the figures as known
 * at ledger head N, whatever was recorded since (DESIGN §2a).
 *
 *   pnpm --filter @trustledger/example-verify start -- --key $KEY --relationship $REL [--pin head.json] [--as-of T --at-seq N]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type LedgerHead, TrustledgerError, toLedgerRecord, verifyLedger } from '@trustledger/sdk';
import { computeScorecard } from '@trustledger/sdk/scorecard';
import { cell, compareFigures } from './figures.ts';

const USAGE = `Usage: verify [options]
  --url URL           GraphQL endpoint (env TRUSTLEDGER_URL; default http://127.0.0.1:4000/graphql)
  --key KEY           an API key of a firm party to the relationship (env TRUSTLEDGER_KEY)
  --relationship ID   the relationship's id (env TRUSTLEDGER_RELATIONSHIP)
  --pin FILE          a head kept from an earlier run: the ledger must extend it; updated when it does
  --as-of TIME        the scorecard at this RFC 3339 time (default now)
  --at-seq N          the scorecard as known at ledger head N, to reproduce a figure pinned earlier (default the current head)`;

/** The pin file: the relationship and the last head seen, `{ "relationshipId", "seq", "hash" }`. */
interface Pin extends LedgerHead {
  relationshipId: string;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv, // `pnpm start -- --key …` passes the `--` on
    options: {
      url: { type: 'string', default: process.env.TRUSTLEDGER_URL ?? 'http://127.0.0.1:4000/graphql' },
      key: { type: 'string', default: process.env.TRUSTLEDGER_KEY },
      relationship: { type: 'string', default: process.env.TRUSTLEDGER_RELATIONSHIP },
      pin: { type: 'string' },
      'as-of': { type: 'string' },
      'at-seq': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.key || !values.relationship) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const id = values.relationship;
  const atSeq = values['at-seq'] === undefined ? undefined : Number(values['at-seq']);
  if (atSeq !== undefined && !Number.isInteger(atSeq)) throw new Error(`--at-seq must be an entry number, not "${values['at-seq']}"`);
  const client = createClient({ url: values.url, apiKey: values.key });
  const pin: Pin | null = values.pin && existsSync(values.pin) ? JSON.parse(readFileSync(values.pin, 'utf8')) : null;
  if (pin && pin.relationshipId !== id) throw new Error(`${values.pin} pins relationship ${pin.relationshipId}, not ${id}`);

  // The served scorecard first, then the ledger: the ledger then holds the head it was computed from.
  const relationship = await client.relationships.get(id);
  const served = await client.relationships.scorecard(id, { asOf: values['as-of'], atSeq });
  const entries = (await client.relationships.ledger(id).toArray()).map(toLedgerRecord);
  console.log(`${relationship.supplier.name} (supplier) – ${relationship.client.name} (client): ${entries.length} ledger entries`);

  // 1. The hash chain, from the first entry, and the pinned head if any.
  const chain = verifyLedger(entries, { pinnedHead: pin });
  if (!chain.ok) {
    const bad = entries.find((e) => e.seq === chain.seq);
    const what = bad ? ` (${bad.type}, occurred ${bad.occurredAt}, recorded ${bad.recordedAt})` : '';
    console.log(`✗ ledger entry ${chain.seq}${what}: ${chain.message} [${chain.reason}]`);
    return 1;
  }
  const head = chain.head ?? { seq: 0, hash: '' };
  console.log(`✓ hash chain verifies: entries 1–${head.seq}, head ${head.hash.slice(0, 12)}…`);
  if (pin) console.log(`✓ it extends the pinned head, entry ${pin.seq} (${pin.hash.slice(0, 12)}…)`);
  if (values.pin) {
    writeFileSync(values.pin, `${JSON.stringify({ relationshipId: id, ...head } satisfies Pin, null, 2)}\n`);
    console.log(`  pinned head ${pin ? 'updated to' : 'written:'} entry ${head.seq} in ${values.pin}`);
  }

  // 2. The scorecard, recomputed from the entries up to the served head at the served asOf.
  const computed = computeScorecard(
    entries.filter((e) => e.seq <= served.head.seq),
    { asOf: served.asOf },
  );
  const rows = compareFigures(served, computed);
  const table = [['figure', 'served', 'computed', ''], ...rows.map((r) => [r.figure, cell(r.served), cell(r.computed), r.equal ? '✓' : '✗'])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  console.log(`\nScorecard at ${served.asOf}, from entry ${served.head.seq}${served.head.seq < head.seq ? ` (as known then; the ledger is now at entry ${head.seq})` : ''}:\n`);
  for (const [i, r] of table.entries()) {
    console.log(r.map((v, c) => (c === 1 || c === 2 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  const differ = rows.filter((r) => !r.equal);
  if (differ.length > 0) {
    console.log(`\n✗ ${differ.length} of ${rows.length} figures differ: ${differ.map((r) => r.figure).join(', ')}`);
    return 1;
  }
  console.log(`\n✓ all ${rows.length} figures agree`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof TrustledgerError || error instanceof Error ? `error: ${error.message}` : error);
    process.exitCode = 1;
  },
);
