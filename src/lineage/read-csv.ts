import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { Column } from './column.js';
import { DictionaryBuilder, NumberBuilder } from './column-builder.js';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';
import { parsePlainDecimal } from './parse-number.js';

/** Declared type of a CSV column. */
export type CsvColumnType = 'number' | 'category';

/** How to read a CSV file. */
export interface ReadCsvOptions {
  /** Logical table name (default: the file name without `.csv`). */
  table?: string;
  /** Declared column types; a declared `number` column rejects text with `ingest.badNumber`. */
  types?: Record<string, CsvColumnType>;
  /** Columns that must be present (else `ingest.missingColumn`). */
  required?: readonly string[];
  /** What to do with columns not in `types`: infer their type (default) or drop them. */
  extraColumns?: 'infer' | 'drop';
  /** Business-key column: its raw text per row is kept as `keys` (e.g. `SK_ID_BUREAU`). */
  keyColumn?: string;
  /** Reject duplicate values of `keyColumn` with `ingest.duplicateKey` (default true). */
  uniqueKey?: boolean;
  /** Field texts meaning "missing" besides the empty string (e.g. `['NA']`). */
  naValues?: readonly string[];
  /** Called as bytes are read (for a progress bar). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** A parsed CSV file: typed columns plus what the lineage needs to know about the file. */
export interface CsvTable {
  /** Absolute path. */
  path: string;
  /** File name, e.g. `bureau.csv`. */
  name: string;
  /** Logical table, e.g. `bureau`. */
  table: string;
  /** Content sha256 (hex), computed while streaming. */
  sha256: string;
  /** File size in bytes. */
  bytes: number;
  /** Number of data rows (records after the header). */
  rows: number;
  /** Header, in file order (all columns, including dropped ones). */
  header: string[];
  /** Columns kept, in file order; sources are `table.column`. */
  columns: Map<string, Column>;
  /** The business-key column, when one was named. */
  keyColumn?: string;
  /** Raw key text per data row, when `keyColumn` was named. */
  keys?: string[];
}

/** Read size: large chunks keep the per-chunk stream overhead small (progress is per chunk). */
const CHUNK_BYTES = 1 << 20;

type Sink =
  | { kind: 'number'; b: NumberBuilder }
  | { kind: 'category' | 'infer'; b: DictionaryBuilder }
  | null;

/**
 * Streams a CSV file (header row, quoted fields, UTF-8 BOM, CRLF; syntax as in
 * {@link CsvTokenizer}) into typed columns, hashing its bytes on the way. Empty lines are
 * skipped, empty fields are missing values. Row numbers in errors are 0-based
 * data rows (the first record after the header is row 0).
 *
 * Errors (all `InputError`): `ingest.missingFile`, `ingest.emptyFile`, `ingest.missingColumn`,
 * `ingest.badCsv` (malformed quoting, ragged rows, duplicate header names), `ingest.badEncoding`
 * (bytes that are not UTF-8, anywhere in the file: file, row, column, line and byte offset are
 * named), `ingest.badNumber`, `ingest.duplicateKey`.
 */
export async function readCsv(file: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  const abs = path.resolve(file);
  const name = path.basename(abs);
  const table = options.table ?? name.replace(/\.csv$/i, '');
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(abs);
  } catch (err) {
    throw new InputError('ingest.missingFile', `${abs}: file not found (expected a readable CSV file)`, {
      cause: err,
    });
  }
  if (!stat.isFile()) {
    throw new InputError(
      'ingest.missingFile',
      `${abs}: expected a CSV file, got a directory or special file`,
    );
  }
  const types = options.types ?? {};
  const extra = options.extraColumns ?? 'infer';
  const na = new Set(options.naValues ?? []);
  const uniqueKey = options.uniqueKey ?? true;
  const hash = createHash('sha256');

  let header: string[] | undefined;
  let sinks: Sink[] = [];
  let keyIndex = -1;
  const keys: string[] = [];
  const seenKeys = new Map<string, number>();
  let row = 0;

  const onHeader = (record: string[]): void => {
    header = record.map((h) => h.trim());
    const seen = new Set<string>();
    for (let c = 0; c < header.length; c++) {
      const h = header[c];
      if (seen.has(h)) {
        throw new InputError(
          'ingest.badCsv',
          `${name}: header row, column ${c} ("${h}"): expected unique column names, got "${h}" twice`,
        );
      }
      seen.add(h);
    }
    const required = [...(options.required ?? [])];
    if (options.keyColumn && !required.includes(options.keyColumn)) required.push(options.keyColumn);
    const missing = required.filter((r) => !seen.has(r));
    if (missing.length > 0) {
      throw new InputError(
        'ingest.missingColumn',
        `${name}: header row: expected column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, got columns ${header.join(', ')}`,
      );
    }
    sinks = header.map((h) => {
      const t = types[h];
      if (t === 'number') return { kind: 'number', b: new NumberBuilder() };
      if (t === 'category') return { kind: 'category', b: new DictionaryBuilder() };
      if (extra === 'drop') return null;
      return { kind: 'infer', b: new DictionaryBuilder() };
    });
    keyIndex = options.keyColumn ? header.indexOf(options.keyColumn) : -1;
  };

  const onRecord = (record: string[]): void => {
    const h = header!;
    if (record.length !== h.length) {
      const col =
        record.length < h.length
          ? `column ${record.length} ("${h[record.length]}") and after`
          : `after column ${h.length - 1} ("${h[h.length - 1]}")`;
      throw new InputError(
        'ingest.badCsv',
        `${name}: data row ${row}, ${col} (line ${tokenizer.recordLine}): expected ${h.length} fields, got ${record.length}`,
      );
    }
    for (let c = 0; c < sinks.length; c++) {
      const s = sinks[c];
      if (s === null) continue;
      const text = record[c];
      const missing = text === '' || (na.size > 0 && na.has(text));
      if (s.kind === 'number') {
        if (missing) {
          s.b.push(Number.NaN);
        } else {
          const v = parsePlainDecimal(text);
          if (Number.isNaN(v)) {
            throw new InputError(
              'ingest.badNumber',
              `${name}: data row ${row}, column "${h[c]}": expected a number, got ${JSON.stringify(text)}`,
            );
          }
          s.b.push(v);
        }
      } else {
        s.b.push(missing ? undefined : text);
      }
    }
    if (keyIndex >= 0) {
      const k = record[keyIndex];
      keys.push(k);
      if (uniqueKey && k !== '') {
        const prev = seenKeys.get(k);
        if (prev !== undefined) {
          throw new InputError(
            'ingest.duplicateKey',
            `${name}: data row ${row}, column "${h[keyIndex]}": expected a unique key, got ${JSON.stringify(k)} again (first at data row ${prev})`,
          );
        }
        seenKeys.set(k, row);
      }
    }
    row++;
  };

  const tokenizer = new CsvTokenizer((record) => {
    if (header === undefined) {
      onHeader(record);
      // Dropped columns are not decoded (the key column is kept for `keys`).
      tokenizer.skipColumns(sinks.map((s, c) => s === null && c !== keyIndex));
    } else {
      onRecord(record);
    }
  });
  const input = fs.createReadStream(abs, { highWaterMark: CHUNK_BYTES });
  let bytesRead = 0;
  try {
    for await (const chunk of input) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      bytesRead += bytes.length;
      options.onProgress?.(bytesRead, stat.size);
      tokenizer.write(bytes);
    }
    tokenizer.end();
  } catch (err) {
    // Leaving the loop early has already closed the stream.
    throw wrapError(err, name, header);
  }

  if (header === undefined) {
    throw new InputError(
      'ingest.emptyFile',
      `${name}: expected a header row and data rows, got an empty file`,
    );
  }
  if (row === 0) {
    throw new InputError(
      'ingest.emptyFile',
      `${name}: data row 0: expected at least one data row after the header, got none`,
    );
  }
  const columns = new Map<string, Column>();
  for (let c = 0; c < header.length; c++) {
    const s = sinks[c];
    if (s === null) continue;
    const sources = [`${table}.${header[c]}`];
    columns.set(
      header[c],
      s.kind === 'number'
        ? { kind: 'number', values: s.b.finish(), sources }
        : s.kind === 'category'
          ? s.b.finishCategory(sources)
          : s.b.finishInferred(sources),
    );
  }
  return {
    path: abs,
    name,
    table,
    sha256: hash.digest('hex'),
    bytes: stat.size,
    rows: row,
    header,
    columns,
    keyColumn: options.keyColumn,
    keys: options.keyColumn ? keys : undefined,
  };
}

/** Turns a tokenizer or I/O error into an `ingest.badCsv` InputError naming the place. */
function wrapError(err: unknown, name: string, header: string[] | undefined): unknown {
  if (err instanceof InputError) return err;
  if (err instanceof CsvSyntaxError) {
    const at = err.record === 0 ? 'header row' : `data row ${err.record - 1}`;
    const colName = header !== undefined && err.column < header.length ? ` ("${header[err.column]}")` : '';
    if (err.kind === 'invalidUtf8') {
      return new InputError(
        'ingest.badEncoding',
        `${name}: ${at}, column ${err.column}${colName} (line ${err.line}, byte offset ${err.byteOffset}): expected UTF-8 text, got ${err.detail}; save the file as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`)`,
        { cause: err },
      );
    }
    return new InputError(
      'ingest.badCsv',
      `${name}: ${at}, column ${err.column}${colName} (line ${err.line}): expected well-formed CSV, got: ${err.detail}`,
      { cause: err },
    );
  }
  return new InputError(
    'ingest.badCsv',
    `${name}: could not read the file: ${String((err as Error)?.message ?? err)}`,
    { cause: err },
  );
}
