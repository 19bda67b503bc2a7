import type { ValueType } from '../expressions/value-type.js';
import type { SourceColumnSpec, SourceSpec } from './source-schema.js';
import type { ResolvedColumn, TableSchema } from './table-schema.js';

/** The expression type of a declared source column type. */
function valueTypeOf(column: SourceColumnSpec): ValueType {
  const t = typeof column === 'string' ? column : column.type;
  if (t === 'integer' || t === 'number') return 'number';
  if (t === 'category' || t === 'string') return 'string';
  return t;
}

/**
 * The columns of a source, each its own lineage (`source.column`): first the `row_key` column
 * when the source has one (each row's 0-based data row, a number; lineage `source.<row_key>`),
 * then the declared columns.
 */
export function sourceTable(source: SourceSpec): TableSchema {
  const out = new Map<string, ResolvedColumn>();
  if (source.row_key !== undefined)
    out.set(source.row_key, { type: 'number', sources: [`${source.name}.${source.row_key}`] });
  for (const [name, spec] of Object.entries(source.columns))
    out.set(name, { type: valueTypeOf(spec), sources: [`${source.name}.${name}`] });
  return out;
}
