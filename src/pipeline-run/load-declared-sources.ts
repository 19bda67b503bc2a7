import { InputError } from '../errors.js';
import type { Column } from '../lineage/column.js';
import type { Frame } from '../lineage/frame.js';
import type { CsvTable } from '../lineage/read-csv.js';
import type { SourceSpec } from '../pipeline-spec/source-schema.js';
import type { DeclaredRunOptions } from './declared-run-types.js';
import type { RunContext, TableState } from './run-context.js';
import { leaveOutRows, onlyGivenRows } from './source-row-filters.js';

/**
 * Starts a frame per declared source from its parsed table (a `load` op each, in file order),
 * keeping exactly the declared columns in declared order, then applies the run's `excludeRows`
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
    out.set(source.name, { frame, groups: new Map() });
    tick(`load ${source.name}`);
  }
  return out;
}

/** The table with only the declared columns, in declared order, each of the declared kind. */
function declaredView(source: SourceSpec, table: CsvTable): CsvTable {
  const columns = new Map<string, Column>();
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
