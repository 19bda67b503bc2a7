import type { ColumnTypes, ValueType } from '../expressions/value-type.js';

/** A column of a source or step output, as resolved by validation. */
export interface ResolvedColumn {
  /** Value type of the column. */
  readonly type: ValueType;
  /** Source columns (`source.column`) it is computed from, sorted (column-level lineage). */
  readonly sources: readonly string[];
  /**
   * True for a one-hot encoded column: it stands for its 0/1 indicator columns, whose names
   * (`column=value`) are known only once fitted on data.
   */
  readonly onehot?: boolean;
}

/** The columns of a table (a source or a step's output), in order. */
export type TableSchema = ReadonlyMap<string, ResolvedColumn>;

/** The types expressions may read from a table (one-hot groups are not readable). */
export function expressionTypes(table: TableSchema): ColumnTypes {
  const out = new Map<string, ValueType>();
  for (const [name, c] of table) if (!c.onehot) out.set(name, c.type);
  return out;
}

/** Sorted union of the lineage of the named columns of a table. */
export function sourcesOf(table: TableSchema, names: readonly string[]): string[] {
  const set = new Set<string>();
  for (const n of names) for (const s of table.get(n)?.sources ?? []) set.add(s);
  return [...set].sort();
}
