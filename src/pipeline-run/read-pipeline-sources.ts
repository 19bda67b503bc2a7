import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { compileDatePattern } from '../expressions/date-pattern.js';
import { type Column, numberColumn } from '../lineage/column.js';
import type { CsvColumnType } from '../lineage/csv-column-types.js';
import { type CsvTable, type ReadCsvOptions, readCsv } from '../lineage/read-csv.js';
import type { SourceColumnSpec, SourceSpec } from '../pipeline-spec/source-schema.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';

/** Progress of {@link readPipelineSources}: bytes of the source being read. */
export interface ReadSourcesProgress {
  /** `read <source>`. */
  stage: string;
  /** Bytes read so far. */
  done: number;
  /** Bytes of the file. */
  total: number;
}

/** Options of {@link readPipelineSources}. */
export interface ReadSourcesOptions {
  /** Called as each file is read (per 1 MiB chunk). */
  onProgress?: (event: ReadSourcesProgress) => void;
  /**
   * Files to read instead of the declared paths, by source name (relative ones resolve against
   * the working directory, not the data folder): `traceprop ingest FILE --source NAME=PATH`.
   * Each name must be a declared source ({@link checkSourcePaths}).
   */
  paths?: Readonly<Record<string, string>>;
}

/**
 * Refuses source-path overrides for names that are not sources of the pipeline
 * (`ingest.unknownSource`, a usage error listing the source names).
 */
export function checkSourcePaths(
  pipeline: ValidatedPipeline,
  paths: Readonly<Record<string, string>> | undefined,
): void {
  const names = pipeline.spec.sources.map((s) => s.name);
  for (const name of Object.keys(paths ?? {}))
    if (!names.includes(name))
      throw new UsageError(
        'ingest.unknownSource',
        `--source ${name}=…: pipeline "${pipeline.spec.name}" has no source "${name}"; expected one of ${names.join(', ')}`,
      );
}

/** The pattern of a date column declared as plain `date`, without one. */
const isoDatePattern = 'YYYY-MM-DD';

/**
 * Reads every source of a validated pipeline file, one after another in declaration order (never
 * two files streaming at once), each with its declared dialect (delimiter, quote,
 * header, encoding, missing-value texts) and column types. The result is keyed by source name;
 * each table is named after its source (`CsvTable.table`, so column lineage reads
 * `source.column`), keeps exactly the declared columns (others are dropped; a declared column
 * missing from the header is `ingest.missingColumn`; a column with `header` names is read from
 * the first of them the header has, under its declared name), preceded by the `row_key` column when the
 * source has one (a number column: each row's 0-based data row), and has the source's `key` as
 * its key column (duplicate keys are `ingest.duplicateKey`). Column kinds: `number`, `integer`,
 * `boolean` (1/0) and `date` (epoch days; a plain `date` reads `YYYY-MM-DD`) give numeric
 * columns, `string` and `category` categorical ones.
 *
 * Paths are resolved against `dataDir`, unless `options.paths` gives a source another file
 * (`ingest.unknownSource` for a name that is no source). Errors are those of `readCsv`; a file that is missing or
 * cannot be read is `ingest.missingFile` naming the source and the resolved path.
 *
 * @example
 * const tables = await readPipelineSources(loadPipelineSpec('berka-loans.yaml'), 'data/berka');
 * tables.get('loan')?.rows; // 682
 */
export async function readPipelineSources(
  pipeline: ValidatedPipeline,
  dataDir: string,
  options: ReadSourcesOptions = {},
): Promise<Map<string, CsvTable>> {
  checkSourcePaths(pipeline, options.paths);
  const tables = new Map<string, CsvTable>();
  for (const source of pipeline.spec.sources) {
    tables.set(source.name, await readSource(source, dataDir, options));
  }
  return tables;
}

/** Reads one declared source (from its override path when it has one). */
async function readSource(
  source: SourceSpec,
  dataDir: string,
  options: ReadSourcesOptions,
): Promise<CsvTable> {
  const override = options.paths?.[source.name];
  const file = override === undefined ? path.resolve(dataDir, source.path) : path.resolve(override);
  try {
    return withRowKey(source, await readCsv(file, sourceReadOptions(source, options)));
  } catch (err) {
    if (err instanceof InputError && err.code === 'ingest.missingFile') {
      const where =
        override === undefined
          ? `path "${source.path}" resolved against the data folder ${path.resolve(dataDir)}`
          : `given for it instead of "${source.path}"`;
      throw new InputError('ingest.missingFile', `source "${source.name}": ${err.message} (${where})`, {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The table with the source's `row_key` column (each row's 0-based data row) first, as the
 * validated table schema has it; when the key is that column, the keys are the row numbers.
 */
function withRowKey(source: SourceSpec, table: CsvTable): CsvTable {
  const rowKey = source.row_key;
  if (rowKey === undefined) return table;
  const rows = Float64Array.from({ length: table.rows }, (_, i) => i);
  const columns = new Map<string, Column>([[rowKey, numberColumn(rows, [`${source.name}.${rowKey}`])]]);
  for (const [name, column] of table.columns) columns.set(name, column);
  if (source.key !== rowKey) return { ...table, columns };
  return {
    ...table,
    columns,
    keyColumn: rowKey,
    keys: Array.from({ length: table.rows }, (_, i) => String(i)),
  };
}

/** The `readCsv` options of a declared source. */
function sourceReadOptions(source: SourceSpec, options: ReadSourcesOptions): ReadCsvOptions {
  const { csv } = source;
  const names = Object.keys(source.columns);
  const types: Record<string, CsvColumnType> = {};
  const headers: Record<string, readonly string[]> = {};
  for (const [name, spec] of Object.entries(source.columns)) {
    types[name] = csvColumnType(spec);
    if (typeof spec !== 'string' && spec.header !== undefined) headers[name] = spec.header;
  }
  const stage = `read ${source.name}`;
  const onProgress = options.onProgress;
  return {
    table: source.name,
    types,
    required: names,
    headers,
    extraColumns: 'drop',
    // A `row_key` is no column of the file: `withRowKey` adds it (and its keys) after reading.
    keyColumn: source.key === source.row_key ? undefined : source.key,
    delimiter: csv.delimiter,
    quote: csv.quote,
    header: csv.header,
    columnNames: csv.header ? undefined : names,
    encoding: csv.encoding,
    emptyIsMissing: csv.missing.includes(''),
    naValues: csv.missing.filter((m) => m !== ''),
    onProgress: onProgress && ((done, total) => onProgress({ stage, done, total })),
  };
}

/** The `readCsv` type of a declared column type. */
function csvColumnType(spec: SourceColumnSpec): CsvColumnType {
  if (typeof spec === 'string') {
    if (spec === 'string' || spec === 'category') return 'category';
    if (spec === 'date') return dateType(isoDatePattern);
    return spec;
  }
  switch (spec.type) {
    case 'date':
      return dateType(spec.pattern, spec.century);
    case 'boolean':
      return { type: 'boolean', true: spec.true, false: spec.false };
    case 'string':
    case 'category':
      return 'category';
    default:
      return spec.type;
  }
}

function dateType(pattern: string, century?: number): CsvColumnType {
  return { type: 'date', pattern, parse: compileDatePattern(pattern, { century }) };
}
