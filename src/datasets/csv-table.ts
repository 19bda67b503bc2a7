import fs from 'node:fs';
import { InputError } from '../errors.js';
import { CsvSyntaxError, CsvTokenizer } from '../lineage/csv-tokenizer.js';

/** A parsed CSV: column names and string cells (trimmed). */
export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/** Options of {@link readCsvTable}. */
export interface ReadCsvOptions {
  /** Column names when the file has no header row. */
  columns?: string[];
  /** Lines to skip before the data (or header), e.g. Adult's `|1x3 Cross validator`. Default 0. */
  skipLines?: number;
}

/**
 * Reads a CSV file into strings with the project's tokenizer (syntax as in
 * {@link CsvTokenizer}: RFC 4180 quoting, UTF-8, optional BOM, LF/CRLF). With `columns` the
 * file has no header; otherwise the first (non-skipped) record is the header. Cells are trimmed;
 * lines that are empty or hold only spaces are skipped.
 *
 * @throws InputError `datasets.unreadable` when the file cannot be read; `datasets.badCsv` for
 *   malformed quoting, bytes that are not UTF-8, a missing header or ragged rows.
 */
export function readCsvTable(file: string, options: ReadCsvOptions = {}): CsvTable {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new InputError('datasets.unreadable', `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer((fields) => {
    if (fields.length === 1 && fields[0].trim() === '') return;
    records.push(fields.map((f) => f.trim()));
  });
  try {
    tokenizer.write(bytes.subarray(afterLines(bytes, options.skipLines ?? 0)));
    tokenizer.end();
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    const hint = err.kind === 'invalidUtf8' ? '; save the file as UTF-8' : '';
    throw new InputError('datasets.badCsv', `${file}: expected well-formed CSV, got: ${err.message}${hint}`, {
      cause: err,
    });
  }
  const columns = options.columns ?? records.shift() ?? [];
  if (columns.length === 0) throw new InputError('datasets.badCsv', `${file} has no header row`);
  for (let r = 0; r < records.length; r++) {
    if (records[r].length !== columns.length) {
      throw new InputError(
        'datasets.badCsv',
        `${file}: data row ${r + 1} has ${records[r].length} fields, expected ${columns.length}`,
      );
    }
  }
  return { columns, rows: records };
}

/** Offset of the byte after the first `lines` line feeds (the end of the input if fewer). */
function afterLines(bytes: Buffer, lines: number): number {
  let at = 0;
  for (let k = 0; k < lines && at < bytes.length; k++) {
    const lf = bytes.indexOf(0x0a, at);
    at = lf < 0 ? bytes.length : lf + 1;
  }
  return at;
}
