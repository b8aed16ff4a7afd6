/**
 * Procurement review: the viewer's suppliers ranked by trust score, as a table on stdout and,
 * with --csv FILE, as a spreadsheet. `--as supplier` reviews the viewer's clients instead.
 *
 *   pnpm --filter @trustledger/example-procurement-review start -- --url http://127.0.0.1:4000/graphql --key $KEY [--order desc] [--csv suppliers.csv]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type ReviewItem, type ReviewOptions, TrustledgerError } from '@trustledger/sdk';
import { stringify } from 'csv-stringify/sync';

const USAGE = `Usage: procurement-review [options]
  --url URL        GraphQL endpoint (env TRUSTLEDGER_URL; default http://127.0.0.1:4000/graphql)
  --key KEY        API key of your firm (env TRUSTLEDGER_KEY)
  --as SIDE        client: review your suppliers (default); supplier: review your clients
  --order ORDER    asc: lowest trust score first (default, who needs attention); desc: highest first.
                   Unrated counterparties come last either way.
  --band BAND      only this band (TRUSTED, SOLID, WATCH, AT_RISK, CRITICAL, PROVISIONAL, UNRATED); repeatable
  --stage STAGE    only this churn stage (STABLE, THAWING, ANTI, SWITCHING, LOST); repeatable
  --as-of TIME     the scorecards at this RFC 3339 time (default now)
  --csv FILE       also write the review as CSV to FILE`;

/** The CSV's columns: those of `trustledger export review`, plus the 90-day change. */
const COLUMNS = [
  'counterparty',
  'counterparty_id',
  'relationship_id',
  'status',
  'band',
  'trust_score',
  'change_90d',
  'confidence',
  'reliability',
  'transparency',
  'responsiveness',
  'goal_attainment',
  'churn_stage',
  'open_promises',
  'overdue_promises',
] as const;

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

/**
 * A cell a spreadsheet shows as text and never runs: text that begins with =, +, -, @, a tab or
 * a carriage return gets a leading ' (OWASP, "CSV Injection"). A counterparty names itself, so
 * its name is not to be trusted; numbers are ours and pass unchanged.
 */
const spreadsheetSafe = <T>(value: T): T | string => (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** One review item as a CSV record: scores 0–100 to one decimal, empty where there is no evidence. */
function toRecord(item: ReviewItem): Record<(typeof COLUMNS)[number], string | number | null> {
  const s = item.score;
  return {
    counterparty: item.counterparty.name,
    counterparty_id: item.counterparty.id,
    relationship_id: item.relationship.id,
    status: item.relationship.status,
    band: item.band,
    trust_score: round(item.trustScore, 1),
    change_90d: round(item.change, 1),
    confidence: round(s.confidence, 2),
    reliability: round(s.reliability.score, 1),
    transparency: round(s.transparency.score, 1),
    responsiveness: round(s.responsiveness.score, 1),
    goal_attainment: round(s.goalAttainment.score, 1),
    churn_stage: item.stage,
    open_promises: item.openPromises,
    overdue_promises: item.overduePromises,
  };
}

/** A plain-text table: a header, a rule, one line per row; the columns flagged in `right` right-aligned. */
function table(header: string[], right: boolean[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((v, c) => (right[c] ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const show = (v: number | null) => (v === null ? '–' : v.toFixed(1));

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv, // `pnpm start -- --key …` passes the `--` on
    options: {
      url: { type: 'string', default: process.env.TRUSTLEDGER_URL ?? 'http://127.0.0.1:4000/graphql' },
      key: { type: 'string', default: process.env.TRUSTLEDGER_KEY },
      as: { type: 'string', default: 'client' },
      order: { type: 'string', default: 'asc' },
      band: { type: 'string', multiple: true },
      stage: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
      csv: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const as = values.as.toUpperCase();
  const order = values.order.toLowerCase();
  if (!values.key || (as !== 'CLIENT' && as !== 'SUPPLIER') || (order !== 'asc' && order !== 'desc')) {
    console.error(`${values.key ? '' : 'An API key is needed: --key KEY or TRUSTLEDGER_KEY.\n\n'}${USAGE}`);
    return 2;
  }

  const client = createClient({ url: values.url, apiKey: values.key });
  const viewer = await client.viewer();
  const options: ReviewOptions = {
    as,
    orderBy: order === 'asc' ? 'TRUST_SCORE_ASC' : 'TRUST_SCORE_DESC',
    bands: values.band?.map((b) => b.toUpperCase()) as ReviewOptions['bands'],
    stages: values.stage?.map((s) => s.toUpperCase()) as ReviewOptions['stages'],
    asOf: values['as-of'],
    pageSize: 100,
  };
  // The review is fetched page by page as it is iterated; a review fits in memory, so read it all.
  const items = await client.review(options).toArray();

  const counterparty = as === 'CLIENT' ? 'supplier' : 'client';
  const plural = items.length === 1 ? '' : 's';
  console.log(`${viewer.firm.name}: ${items.length} ${counterparty}${plural}, ${order === 'asc' ? 'lowest' : 'highest'} trust score first\n`);
  const header = ['#', counterparty, 'band', 'trust score', 'churn stage', 'reliability', 'open promises', 'overdue'];
  const rows = items.map((item, i) => [
    String(i + 1),
    item.counterparty.name,
    item.band,
    show(item.trustScore),
    item.stage,
    show(item.score.reliability.score),
    String(item.openPromises),
    String(item.overduePromises),
  ]);
  console.log(table(header, [true, false, false, true, false, true, true, true], rows));

  if (values.csv) {
    // A BOM so Excel reads the file as UTF-8 (accents intact), and names written as text, never formulas.
    const records = items.map((item) => Object.fromEntries(Object.entries(toRecord(item)).map(([k, v]) => [k, spreadsheetSafe(v)])));
    writeFileSync(values.csv, `\uFEFF${stringify(records, { header: true, columns: [...COLUMNS] })}`);
    console.log(`\nWrote ${items.length} row${plural} to ${values.csv}`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (bad key, unknown option, server unreachable) print a line, not a stack.
    console.error(error instanceof TrustledgerError || error instanceof TypeError ? `error: ${error.message}` : error);
    process.exitCode = 1;
  },
);
