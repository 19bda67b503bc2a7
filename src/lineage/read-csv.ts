import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { Column } from './column.js';
import { DictionaryBuilder, NumberBuilder } from './column-builder.js';
import { type CsvColumnType, type FieldParser, fieldParser } from './csv-column-types.js';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';
import { parsePlainDecimal } from './parse-number.js';

export type { CsvColumnType } from './csv-column-types.js';

/** How to read a CSV file. */
export interface ReadCsvOptions {
  /** Logical table name (default: the file name without `.csv`). */
  table?: string;
  /**
   * Declared column types (see {@link CsvColumnType}). A field that does not fit its type is
   * refused: `ingest.badNumber`, `ingest.badInteger`, `ingest.badBoolean`, `ingest.badDate`.
   */
  types?: Record<string, CsvColumnType>;
  /** Columns that must be present (else `ingest.missingColumn`). */
  required?: readonly string[];
  /**
   * Columns whose header name varies between files: column name → the header names to look for,
   * in order. The first one the header has is read as that column (named, typed and sourced by
   * the column name; errors name the file's header); a file column that has the column's own
   * name but is not chosen is not read. None present is `ingest.missingColumn` listing them all.
   * Two columns must not list the same header name.
   */
  headers?: Readonly<Record<string, readonly string[]>>;
  /** What to do with columns not in `types`: infer their type (default) or drop them. */
  extraColumns?: 'infer' | 'drop';
  /** Business-key column: its raw text per row is kept as `keys` (e.g. `SK_ID_BUREAU`). */
  keyColumn?: string;
  /** Reject duplicate values of `keyColumn` with `ingest.duplicateKey` (default true). */
  uniqueKey?: boolean;
  /** Field texts meaning "missing" besides the empty string (e.g. `['NA']`), in columns of every type. */
  naValues?: readonly string[];
  /**
   * Whether the empty field is a missing value (default true). When false, an empty field is the
   * text `''` in a category column and an error in a numeric one.
   */
  emptyIsMissing?: boolean;
  /** Field separator, one character (default `,`; e.g. `;`, a tab, a space). */
  delimiter?: string;
  /** Quote character (default `"`). */
  quote?: string;
  /**
   * Whether the first record names the columns (default true). Without a header, `columnNames`
   * names them and the first record is data row 0.
   */
  header?: boolean;
  /** The names of the columns in file order, when `header` is false (every record must have as many fields). */
  columnNames?: readonly string[];
  /**
   * `utf-8` (default): bytes that are not UTF-8 are refused (`ingest.badEncoding`) and a leading
   * byte-order mark is skipped; `latin1`: every byte is read as one Latin-1 character.
   */
  encoding?: 'utf-8' | 'latin1';
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
  /** Number of data rows (records after the header, or every record when the file has none). */
  rows: number;
  /** Header, in file order (all columns, including dropped ones); `columnNames` when the file has none. */
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
  | { kind: 'parsed'; b: NumberBuilder; parser: FieldParser }
  | { kind: 'category' | 'infer'; b: DictionaryBuilder }
  | null;

/**
 * Streams a CSV file (quoted fields, UTF-8 BOM, CRLF; syntax as in {@link CsvTokenizer}, with
 * the options' delimiter, quote and encoding) into typed columns, hashing its bytes on the way.
 * The first record is the header unless `header` is false. Empty lines are skipped; empty fields
 * (unless `emptyIsMissing` is false) and `naValues` are missing values. Row numbers in errors are
 * 0-based data rows (the first record after the header is row 0).
 *
 * Errors: `ingest.badDialect` (a `UsageError`: an unusable delimiter, quote, boolean spellings,
 * or `header`/`columnNames` that do not go together), and as `InputError`s `ingest.missingFile`,
 * `ingest.emptyFile`, `ingest.missingColumn`, `ingest.badCsv` (malformed quoting, ragged rows,
 * duplicate column names), `ingest.badEncoding` (bytes that are not UTF-8, anywhere in a UTF-8
 * file: file, row, column, line and byte offset are named), `ingest.badNumber`,
 * `ingest.badInteger`, `ingest.badBoolean`, `ingest.badDate` (file, data row, column and value
 * named), `ingest.duplicateKey`.
 */
export async function readCsv(file: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  const abs = path.resolve(file);
  const name = path.basename(abs);
  const table = options.table ?? name.replace(/\.csv$/i, '');
  const hasHeader = options.header ?? true;
  if (!hasHeader && options.columnNames === undefined)
    throw new UsageError('ingest.badDialect', `${name}: a file without a header needs columnNames`);
  if (hasHeader && options.columnNames !== undefined)
    throw new UsageError(
      'ingest.badDialect',
      `${name}: columnNames are only for a file without a header (header: false); this file's header names its columns`,
    );
  const types = options.types ?? {};
  const parsers = new Map<string, FieldParser>();
  for (const [column, type] of Object.entries(types)) {
    if (type !== 'number' && type !== 'category')
      parsers.set(column, fieldParser(type, `${name}, column "${column}"`));
  }
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
  try {
    await fs.promises.access(abs, fs.constants.R_OK);
  } catch (err) {
    throw new InputError(
      'ingest.missingFile',
      `${abs}: expected a readable CSV file, got one that cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
  const extra = options.extraColumns ?? 'infer';
  const na = new Set(options.naValues ?? []);
  const emptyIsMissing = options.emptyIsMissing ?? true;
  const uniqueKey = options.uniqueKey ?? true;
  const hash = createHash('sha256');

  let header: string[] | undefined;
  /** The column each file column is read as (`null`: a column of that name is read from another). */
  let readAs: (string | null)[] = [];
  let sinks: Sink[] = [];
  let keyIndex = -1;
  const keys: string[] = [];
  const seenKeys = new Map<string, number>();
  let row = 0;

  /** Sets up the columns from the header row or the declared column names. */
  const onHeader = (names: readonly string[]): void => {
    header = names.map((h) => h.trim());
    const where = hasHeader ? 'header row' : 'columnNames';
    const seen = new Set<string>();
    for (let c = 0; c < header.length; c++) {
      const h = header[c];
      if (seen.has(h)) {
        throw new InputError(
          'ingest.badCsv',
          `${name}: ${where}, column ${c} ("${h}"): expected unique column names, got "${h}" twice`,
        );
      }
      seen.add(h);
    }
    readAs = columnNamesOf(header, options.headers, `${name}: ${where}`);
    const present = new Set(readAs);
    const required = [...(options.required ?? [])];
    if (options.keyColumn && !required.includes(options.keyColumn)) required.push(options.keyColumn);
    const missing = required.filter((r) => !present.has(r));
    if (missing.length > 0) {
      throw new InputError(
        'ingest.missingColumn',
        `${name}: ${where}: expected column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, got columns ${header.join(', ')}`,
      );
    }
    sinks = readAs.map((h): Sink => {
      if (h === null) return null;
      const t = types[h];
      if (t === 'number') return { kind: 'number', b: new NumberBuilder() };
      if (t === 'category') return { kind: 'category', b: new DictionaryBuilder() };
      const parser = parsers.get(h);
      if (parser !== undefined) return { kind: 'parsed', b: new NumberBuilder(), parser };
      if (extra === 'drop') return null;
      return { kind: 'infer', b: new DictionaryBuilder() };
    });
    keyIndex = options.keyColumn ? readAs.indexOf(options.keyColumn) : -1;
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
      const missing = text === '' ? emptyIsMissing : na.size > 0 && na.has(text);
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
      } else if (s.kind === 'parsed') {
        if (missing) {
          s.b.push(Number.NaN);
        } else {
          const v = s.parser.parse(text);
          if (Number.isNaN(v)) throw s.parser.refuse(`${name}: data row ${row}, column "${h[c]}"`, text);
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

  /** Columns the caller drops are not decoded (the key column is kept for `keys`). */
  const skipDropped = (): void => tokenizer.skipColumns(sinks.map((s, c) => s === null && c !== keyIndex));
  const tokenizer = newTokenizer(
    name,
    (record) => {
      if (header === undefined) {
        onHeader(record);
        skipDropped();
      } else {
        onRecord(record);
      }
    },
    options,
  );
  if (!hasHeader) {
    onHeader(options.columnNames!);
    skipDropped();
  }
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
    throw wrapError(err, name, header, hasHeader);
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
      hasHeader
        ? `${name}: data row 0: expected at least one data row after the header, got none`
        : `${name}: data row 0: expected at least one data row, got an empty file`,
    );
  }
  const columns = new Map<string, Column>();
  for (let c = 0; c < header.length; c++) {
    const s = sinks[c];
    const column = readAs[c];
    if (s === null || column === null) continue;
    const sources = [`${table}.${column}`];
    columns.set(
      column,
      s.kind === 'number' || s.kind === 'parsed'
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

/**
 * The column each file column is read as: its header name, or for `headers` the column whose
 * first present header name it is (a file column that has such a column's own name but was not
 * chosen gets `null`). None of a column's header names present is `ingest.missingColumn`.
 */
function columnNamesOf(
  header: readonly string[],
  headers: ReadCsvOptions['headers'],
  where: string,
): (string | null)[] {
  const out: (string | null)[] = [...header];
  if (headers === undefined) return out;
  const chosen = new Map<number, string>();
  for (const [column, candidates] of Object.entries(headers)) {
    const at = candidates.map((h) => header.indexOf(h)).find((i) => i >= 0);
    if (at === undefined)
      throw new InputError(
        'ingest.missingColumn',
        `${where}: expected column ${column} under one of the header names ${candidates.join(', ')}, got columns ${header.join(', ')}`,
      );
    chosen.set(at, column);
  }
  for (let c = 0; c < out.length; c++) {
    const column = chosen.get(c);
    if (column !== undefined) out[c] = column;
    else if (Object.hasOwn(headers, header[c])) out[c] = null;
  }
  return out;
}

/** The tokenizer of the options' dialect; an unusable dialect is `ingest.badDialect`. */
function newTokenizer(
  name: string,
  onRecord: (record: string[]) => void,
  options: ReadCsvOptions,
): CsvTokenizer {
  try {
    return new CsvTokenizer(onRecord, {
      delimiter: options.delimiter,
      quote: options.quote,
      encoding: options.encoding,
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new UsageError('ingest.badDialect', `${name}: ${err.message}`, { cause: err });
  }
}

/** Turns a tokenizer or I/O error into an `ingest.badCsv` InputError naming the place. */
function wrapError(err: unknown, name: string, header: string[] | undefined, hasHeader: boolean): unknown {
  if (err instanceof InputError) return err;
  if (err instanceof CsvSyntaxError) {
    const dataRow = err.record - (hasHeader ? 1 : 0);
    const at = dataRow < 0 ? 'header row' : `data row ${dataRow}`;
    const colName = header !== undefined && err.column < header.length ? ` ("${header[err.column]}")` : '';
    if (err.kind === 'invalidUtf8') {
      return new InputError(
        'ingest.badEncoding',
        `${name}: ${at}, column ${err.column}${colName} (line ${err.line}, byte offset ${err.byteOffset}): expected UTF-8 text, got ${err.detail}; save the file as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`) or read it as Latin-1 (encoding latin1)`,
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
