import { InputError } from '../errors.js';
import { type Column, numberColumn } from '../lineage/column.js';
import type { Frame } from '../lineage/frame.js';
import type { CsvTable } from '../lineage/read-csv.js';
import type { SourceSpec } from '../pipeline-spec/source-schema.js';
import type { DeclaredRunOptions } from './declared-run-types.js';
import type { RunContext, TableState } from './run-context.js';
import { keptDataRows, leaveOutRows, onlyGivenRows } from './source-row-filters.js';

/**
 * Starts a frame per declared source from its parsed table (a `load` op each, in file order),
 * keeping exactly the declared columns in declared order (after the `row_key` column), then applies the run's `excludeRows`
 * and `onlyRows` for that source. Throws `pipeline.sourceMismatch` when a source has no table, or
 * its table lacks a declared column or holds it as the other kind (numbers, integers, booleans
 * and dates are numeric columns; strings and categories categorical ones).
 */
export function loadDeclaredSources(
  ctx: RunContext,
  tables: ReadonlyMap<string, CsvTable>,
  options: DeclaredRunOptions,
  tick: (stage: string) => void,
): Map<string, TableState> {
  const out = new Map<string, TableState>();
  for (const source of ctx.pipeline.spec.sources) {
    const table = tables.get(source.name);
    if (!table)
      throw new InputError(
        'pipeline.sourceMismatch',
        `source "${source.name}": no parsed table was given (tables: ${[...tables.keys()].join(', ') || 'none'})`,
      );
    let frame: Frame = ctx.tracker.source(declaredView(source, table));
    frame = leaveOutRows(
      frame,
      source.name,
      options.excludeRows?.[source.name],
      options.excludedBy?.[source.name],
    );
    frame = onlyGivenRows(
      frame,
      source.name,
      options.excludeRows?.[source.name],
      options.onlyRows?.[source.name],
    );
    let dataRows: Uint32Array | undefined;
    const rowsOf = (): Uint32Array => {
      dataRows ??= keptDataRows(
        table.rows,
        options.excludeRows?.[source.name],
        options.onlyRows?.[source.name],
      );
      return dataRows;
    };
    out.set(source.name, { frame, groups: new Map(), dataRows: rowsOf });
    tick(`load ${source.name}`);
  }
  return out;
}

/**
 * The table with only the declared columns, in declared order, each of the declared kind; first
 * the `row_key` column when the source has one (taken from the table when the reader made it,
 * else made here: each row's 0-based data row).
 */
function declaredView(source: SourceSpec, table: CsvTable): CsvTable {
  const columns = new Map<string, Column>();
  if (source.row_key !== undefined) {
    const given = table.columns.get(source.row_key);
    if (given && given.kind !== 'number')
      throw new InputError(
        'pipeline.sourceMismatch',
        `source "${source.name}" (${table.name}): row_key column "${source.row_key}" is categorical, expected row numbers`,
      );
    const rows = Float64Array.from({ length: table.rows }, (_, i) => i);
    columns.set(source.row_key, given ?? numberColumn(rows, [`${table.table}.${source.row_key}`]));
  }
  for (const [name, spec] of Object.entries(source.columns)) {
    const c = table.columns.get(name);
    const type = typeof spec === 'string' ? spec : spec.type;
    const kind = type === 'string' || type === 'category' ? 'category' : 'number';
    if (!c || c.kind !== kind)
      throw new InputError(
        'pipeline.sourceMismatch',
        `source "${source.name}" (${table.name}): column "${name}" is declared ${type}, expected it as a ${kind === 'number' ? 'numeric' : 'categorical'} column, got ${c ? `a ${c.kind === 'number' ? 'numeric' : 'categorical'} one` : 'no such column'}`,
      );
    columns.set(name, c);
  }
  return { ...table, columns };
}
