import { UsageError } from '../errors.js';
import type { Column } from '../lineage/column.js';
import type { TableState } from './run-context.js';

/**
 * Key texts already made, by column object. Columns are immutable and a step that does not touch
 * the key column carries the same object on, so the split, the fitting steps and the samples
 * share one conversion.
 */
const textsOfColumn = new WeakMap<Column, readonly (string | undefined)[]>();

/** Key columns whose present values were found unique (by {@link markUniqueKeys}). */
const uniqueKeyColumns = new WeakSet<Column>();

/**
 * The sample key of each row of a table as text (a categorical value as is, a number as
 * `String(n)`), `undefined` where it is missing. Throws `pipeline.unknownColumn` when the table
 * has no such column (`why` says who needs it).
 */
export function keyTexts(state: TableState, key: string, why: string): readonly (string | undefined)[] {
  const c = keyColumn(state, key, why);
  const cached = textsOfColumn.get(c);
  if (cached) return cached;
  const out = new Array<string | undefined>(state.frame.rows);
  const n = out.length;
  if (c.kind === 'number') {
    const values = c.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = Number.isNaN(v) ? undefined : String(v);
    }
  } else {
    const { codes, dictionary } = c;
    for (let i = 0; i < n; i++) out[i] = codes[i] < 0 ? undefined : dictionary[codes[i]];
  }
  textsOfColumn.set(c, out);
  return out;
}

/** Records that the present values of the table's key column are unique (checked by the caller). */
export function markUniqueKeys(state: TableState, key: string): void {
  uniqueKeyColumns.add(state.frame.column(key));
}

/** True when the table's key column is one already found unique. */
export function keysKnownUnique(state: TableState, key: string): boolean {
  return state.frame.has(key) && uniqueKeyColumns.has(state.frame.column(key));
}

function keyColumn(state: TableState, key: string, why: string): Column {
  const { frame } = state;
  if (!frame.has(key) || state.groups.has(key))
    throw new UsageError(
      'pipeline.unknownColumn',
      `${why}: expected the sample key column "${key}", but the table has no such column (columns: ${frame.names.slice(0, 30).join(', ')})`,
    );
  return frame.column(key);
}
