import { InputError } from '../errors.js';
import type { Column } from '../lineage/column.js';
import { encodeKeys } from '../lineage/key-index.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import type { CsvTable } from '../lineage/read-csv.js';
import type { SubjectSourceSpec } from '../pipeline-spec/subject-schema.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';

/** Subject id per data row of each source the subject declaration lists (null: no subject). */
export type SubjectIds = Map<string, (string | null)[]>;

/**
 * The data subject of every row of the sources a pipeline's `subject` lists, as text (a number
 * as its shortest decimal form, `100001`; a string as it is): the row's own `column`, or with
 * `via`, the `column` of the one row of the via source that its `on` columns match. A row whose
 * value is missing, or whose via key matches no row, has no subject (null); so do the rows in
 * `leftOut` (rows erased earlier, left out of the run: their subject must not be written again).
 * Reads the whole via table, rows left out included (a card still belongs to its client when
 * the disp row was erased on its own). Empty map when the pipeline declares no subject.
 *
 * @throws InputError `pipeline.subjectVia` when a via is not many-to-one on the data (a row's
 *   key matches several rows of the via source), naming the key and the rows.
 */
export function subjectIds(
  pipeline: ValidatedPipeline,
  tables: ReadonlyMap<string, CsvTable>,
  leftOut: Readonly<Record<string, readonly number[]>> = {},
): SubjectIds {
  const out: SubjectIds = new Map();
  const subject = pipeline.spec.subject;
  if (!subject) return out;
  for (const [name, how] of Object.entries(subject.sources)) {
    const table = tableOf(tables, name);
    const ids = how.via === undefined ? columnTexts(table, how.column) : viaTexts(name, table, how, tables);
    for (const row of leftOut[name] ?? []) if (row >= 0 && row < ids.length) ids[row] = null;
    out.set(name, ids);
  }
  return out;
}

/**
 * Gives the files of a run's lineage their subject (`subjectName`, and `subjects` per data row)
 * from {@link subjectIds}; files of sources without a subject are left as they are.
 */
export function attachSubjects(lineage: LineageRun, name: string | undefined, ids: SubjectIds): void {
  if (name === undefined) return;
  for (const file of lineage.files) {
    const subjects = ids.get(file.table);
    if (!subjects) continue;
    file.subjectName = name;
    file.subjects = subjects;
  }
}

/** The subject ids of rows that reach the subject through another source. */
function viaTexts(
  name: string,
  table: CsvTable,
  how: SubjectSourceSpec,
  tables: ReadonlyMap<string, CsvTable>,
): (string | null)[] {
  const via = tableOf(tables, how.via as string);
  const pairs = Object.entries(how.on ?? {});
  const keys = encodeKeys([
    pairs.map(([own]) => columnOf(table, own)),
    pairs.map(([, other]) => columnOf(via, other)),
  ]);
  const [own, other] = keys.ids;
  const first = new Int32Array(keys.count).fill(-1);
  const second = new Int32Array(keys.count).fill(-1);
  for (let row = 0; row < other.length; row++) {
    const k = other[row];
    if (k < 0) continue;
    if (first[k] < 0) first[k] = row;
    else if (second[k] < 0) second[k] = row;
  }
  const values = columnTexts(via, how.column);
  const ids: (string | null)[] = new Array(own.length);
  for (let row = 0; row < own.length; row++) {
    const k = own[row];
    if (k >= 0 && second[k] >= 0) {
      const key = pairs.map(([, c]) => `${c} ${textAt(columnOf(via, c), first[k])}`).join(', ');
      throw new InputError(
        'pipeline.subjectVia',
        `subject.sources.${name}.via: ${via.name} has several rows with ${key} (data rows ${first[k]} and ${second[k]}), which ${name} row ${row} (${table.name}) matches: a via must be many-to-one (each ${name} row reaching at most one ${how.via} row)`,
      );
    }
    ids[row] = k < 0 || first[k] < 0 ? null : values[first[k]];
  }
  return ids;
}

/** A column's values as text, null where missing. */
function columnTexts(table: CsvTable, column: string): (string | null)[] {
  const c = columnOf(table, column);
  const out: (string | null)[] = new Array(table.rows);
  for (let row = 0; row < table.rows; row++) out[row] = textAt(c, row);
  return out;
}

function textAt(c: Column, row: number): string | null {
  if (c.kind === 'number') {
    const v = c.values[row];
    return Number.isNaN(v) ? null : String(v);
  }
  const code = c.codes[row];
  return code < 0 ? null : c.dictionary[code];
}

function tableOf(tables: ReadonlyMap<string, CsvTable>, name: string): CsvTable {
  const t = tables.get(name);
  if (!t)
    throw new InputError(
      'pipeline.sourceMismatch',
      `subject source "${name}": no parsed table was given (tables: ${[...tables.keys()].join(', ') || 'none'})`,
    );
  return t;
}

function columnOf(table: CsvTable, name: string): Column {
  const c = table.columns.get(name);
  if (!c)
    throw new InputError(
      'pipeline.sourceMismatch',
      `subject: source table ${table.name} has no column "${name}" (columns: ${[...table.columns.keys()].join(', ')})`,
    );
  return c;
}
