import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/** A parsed CSV: column names and string cells (trimmed). */
export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/** Options of {@link readCsvTable}. */
export interface ReadCsvOptions {
  /** Column names when the file has no header row. */
  columns?: string[];
  /** Lines to skip before the data (or header). Default 0. */
  skipLines?: number;
}

/**
 * Reads a CSV file into strings. With `columns` the file has no header; otherwise the first
 * (non-skipped) row is the header. Blank lines are skipped, cells trimmed.
 *
 * @throws InputError `datasets.badCsv` for unreadable or ragged files.
 */
export function readCsvTable(file: string, options: ReadCsvOptions = {}): CsvTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError('datasets.unreadable', `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let records: string[][];
  try {
    records = parse(text, {
      trim: true,
      skip_empty_lines: true,
      from_line: (options.skipLines ?? 0) + 1,
      relax_quotes: true,
    }) as string[][];
  } catch (err) {
    throw new InputError('datasets.badCsv', `${file}: ${(err as Error).message}`, { cause: err });
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
