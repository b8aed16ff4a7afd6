/**
 * CSV as spreadsheets write it: the bytes' encoding and the field separator on the way in, a BOM
 * and formula-safe cells on the way out.
 */

/** Encodings `import --encoding` accepts. UTF-8 (with or without a BOM) is the default. */
export const CSV_ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** Reads an --encoding value: utf-8 / utf8, windows-1252 / cp1252 (any case); null for others. */
export function csvEncodingOf(value: string): CsvEncoding | null {
  const v = value.trim().toLowerCase();
  if (v === 'utf-8' || v === 'utf8') return 'utf-8';
  if (v === 'windows-1252' || v === 'cp1252' || v === 'win-1252') return 'windows-1252';
  return null;
}

/** A file whose bytes are not text in the expected encoding. */
export class CsvEncodingError extends Error {}

/**
 * Decodes a CSV file's bytes. UTF-8, with or without a byte-order mark (the mark is dropped), is
 * read by default; any byte sequence that is not UTF-8 is refused with a CsvEncodingError naming
 * the line and Windows-1252 (what Excel's "CSV (Comma delimited)" writes), rather than read as
 * U+FFFD replacement characters into a hash-chained ledger that can never correct them.
 * With `encoding: 'windows-1252'` the bytes are decoded as Windows-1252 (WHATWG Encoding).
 */
export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding = 'utf-8'): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new CsvEncodingError('the file is UTF-16 ("Unicode Text"); save it as "CSV UTF-8 (Comma delimited)" and import that');
  try {
    // ignoreBOM: false (the default) drops a leading UTF-8 byte-order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let bad = 0;
    for (let end = bytes.length; bad < end; ) {
      // Where the first byte that is not UTF-8 is, for the message.
      const b = bytes[bad];
      const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      if (len === 0 || bad + len > end) break;
      let ok = true;
      for (let k = 1; k < len; k++) if ((bytes[bad + k] & 0xc0) !== 0x80) ok = false;
      if (!ok) break;
      bad += len;
    }
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    const hex = bytes[bad]?.toString(16).toUpperCase().padStart(2, '0') ?? '??';
    throw new CsvEncodingError(
      `line ${line}: byte 0x${hex} is not UTF-8. The file looks like Windows-1252 (Excel's "CSV (Comma delimited)"): ` +
        'save it as "CSV UTF-8 (Comma delimited)", or import it with --encoding windows-1252',
    );
  }
}

/** Windows-1252's 0x80–0x9F (WHATWG Encoding, index-windows-1252); 0x81, 0x8D, 0x8F, 0x90, 0x9D map to themselves. */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Decodes Windows-1252 bytes. Written out because Node 20's TextDecoder('windows-1252') decodes
 * ISO-8859-1, turning Excel's dashes and quotes (0x96, 0x93, …) into C1 control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : b));
    out += String.fromCharCode(...chunk);
  }
  return out;
}

/** Counts a character in a line outside double-quoted fields. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

/**
 * The field separator of a CSV file, from its header line: `;` when the header has more
 * semicolons than commas outside quotes (what spreadsheets write where the decimal separator is
 * a comma, as in much of Europe), `,` otherwise.
 */
export function detectDelimiter(text: string): ',' | ';' {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.search(/\r\n|\n|\r/);
  const header = text.slice(start, end < 0 ? undefined : end);
  return countOutsideQuotes(header, ';') > countOutsideQuotes(header, ',') ? ';' : ',';
}

/** Byte-order mark that makes Excel read a CSV file as UTF-8 (otherwise it guesses the ANSI code page). */
export const UTF8_BOM = '\uFEFF';

/**
 * A cell a spreadsheet will show as text, never run as a formula: a string that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP, "CSV Injection").
 * Numbers pass unchanged: they are written by the program, not by a counterparty.
 */
export function spreadsheetSafe<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
