import { readFileSync } from 'node:fs';
import { normaliseTime } from '@trustledger/schema';
import { type Command, InvalidArgumentError } from 'commander';
import { openStore } from '../store/index.ts';
import { reviewCsv, reviewRows } from '../csv/export.ts';
import { ImportFileError, importCsv } from '../csv/import.ts';
import { CSV_ENCODINGS, type CsvEncoding, CsvEncodingError, csvEncodingOf, decodeCsv } from '../csv/text.ts';
import { globalIdOf } from '../graphql/ids.ts';
import { progress } from './progress.ts';
import { type Cli, lookupFirm, lookupRelationship, userPath } from './shared.ts';

const sideArg = (value: string): 'SUPPLIER' | 'CLIENT' => {
  const v = value.toUpperCase();
  if (v !== 'SUPPLIER' && v !== 'CLIENT') throw new InvalidArgumentError('must be supplier or client');
  return v;
};

const encodingArg = (value: string): CsvEncoding => {
  const e = csvEncodingOf(value);
  if (!e) throw new InvalidArgumentError(`must be ${CSV_ENCODINGS.join(' or ')}`);
  return e;
};

/** `import FILE.csv` and `export review`. */
export function registerCsv(program: Command, cli: Cli): void {
  program
    .command('import <file>')
    .description("record a CSV file of events (promises, outcomes, interactions, measurements) in a relationship's ledger")
    .requiredOption('--relationship <id>', "the relationship's id (opaque GraphQL id or raw id)")
    .requiredOption('--as-firm <firm>', 'the recording firm: its id or exact name; it must be party to the relationship')
    .option('--skip-bad', 'write the good rows even when some rows are bad (bad rows are reported)')
    .option('--dry-run', 'check every row, write nothing; exits 1 when any row is bad (unless --skip-bad)')
    .option('--encoding <encoding>', `the file's encoding: ${CSV_ENCODINGS.join(' or ')} (Excel's "CSV (Comma delimited)")`, encodingArg, 'utf-8')
    .addHelpText('after', '\nColumns: see packages/server/src/csv/README.md. Fields are separated by , or ; (read from the header).\nImporting the same file again records nothing new.')
    .action(async (file: string, o: { relationship: string; asFirm: string; skipBad?: boolean; dryRun?: boolean; encoding: CsvEncoding }) => {
      let text: string;
      try {
        text = decodeCsv(readFileSync(userPath(file)), o.encoding);
      } catch (error) {
        if (error instanceof CsvEncodingError) return cli.fail(`${file}: ${error.message}`);
        return cli.fail(`cannot read ${file}: ${(error as Error).message}`);
      }
      const store = await openStore({ path: cli.opts().db });
      let firm: Awaited<ReturnType<typeof lookupFirm>>;
      try {
        firm = await lookupFirm(store, o.asFirm);
      } catch (error) {
        return cli.fail((error as Error).message);
      }
      if (!firm) return cli.fail(`no firm "${o.asFirm}" (give its id or exact name; see 'firm list')`);
      const rel = await lookupRelationship(store, o.relationship);
      if (!rel || (rel.supplierId !== firm.id && rel.clientId !== firm.id))
        return cli.fail(`no relationship "${o.relationship}" that ${firm.name} is party to`);
      // Progress of the check (every row appended to a private copy); the summary says what was written.
      const bar = progress({ verb: 'checked', unit: 'rows' });
      let result: Awaited<ReturnType<typeof importCsv>>;
      try {
        result = await importCsv(store, rel, firm.id, text, { skipBad: o.skipBad, dryRun: o.dryRun, onProgress: bar.update });
      } catch (error) {
        bar.stop();
        if (error instanceof ImportFileError) return cli.fail(`${file}: ${error.message}`);
        throw error;
      } finally {
        await store.close();
      }
      bar.stop();
      const { rows, recorded, duplicates, bad, written } = result;
      const held = !written && recorded > 0;
      const summary = [
        `${file}: ${rows} rows`,
        `${recorded} ${held ? 'would be recorded' : 'recorded'}`,
        `${duplicates} already in the ledger`,
        `${bad.length} bad`,
      ].join(', ');
      const verdict = o.dryRun
        ? 'dry run: nothing written'
        : bad.length && !o.skipBad
          ? 'nothing written: fix the bad rows, or add --skip-bad to write the good ones'
          : null;
      if (cli.opts().json) {
        console.log(
          JSON.stringify(
            { file, relationshipId: globalIdOf('Relationship', rel.id), firmId: globalIdOf('Firm', firm.id), rows, recorded, duplicates, bad, written, seqs: result.seqs },
            null,
            2,
          ),
        );
      } else {
        for (const b of bad) console.error(`line ${b.line}: ${b.message}`);
        console.log(verdict ? `${summary}; ${verdict}` : summary);
      }
      // Bad rows fail the command, a dry run's too (it is a check of the file), unless --skip-bad accepts them.
      if (bad.length && !o.skipBad) process.exit(1);
    });

  const exp = program.command('export').description('export data as CSV');
  exp
    .command('review')
    .description("a firm's review of its counterparties as CSV, one row per counterparty (to stdout)")
    .requiredOption('--firm <firm>', 'the reviewing firm: its id or exact name')
    .requiredOption('--as <side>', 'supplier (review your clients) or client (review your suppliers)', sideArg)
    .option('--as-of <time>', 'the scorecards at this RFC 3339 time (default: now)')
    .option('--no-bom', 'omit the UTF-8 byte-order mark that tells Excel the file is UTF-8')
    .addHelpText('after', "\nText that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written with a leading '.")
    .action(async (o: { firm: string; as: 'SUPPLIER' | 'CLIENT'; asOf?: string; bom: boolean }) => {
      const asOf = o.asOf === undefined ? new Date().toISOString() : normaliseTime(o.asOf);
      if (asOf === null) return cli.fail(`--as-of: "${o.asOf}" is not an RFC 3339 date-time with an offset`);
      const store = await openStore({ path: cli.opts().db });
      try {
        let firm: Awaited<ReturnType<typeof lookupFirm>>;
        try {
          firm = await lookupFirm(store, o.firm);
        } catch (error) {
          return cli.fail((error as Error).message);
        }
        if (!firm) return cli.fail(`no firm "${o.firm}" (give its id or exact name; see 'firm list')`);
        const rows = await reviewRows(store, firm.id, o.as, asOf);
        if (cli.opts().json) console.log(JSON.stringify(rows, null, 2));
        else process.stdout.write(reviewCsv(rows, { bom: o.bom }));
      } finally {
        await store.close();
      }
    });
}
