import { UsageError } from '../errors.js';
import type { TableState } from './run-context.js';

/** The group of each sample (in sample order) for one declared protected attribute. */
export interface ProtectedGroups {
  /** The attribute's declared name (`sample.protected[].name`). */
  name: string;
  /** The sample-table column it is read from. */
  column: string;
  /** Per sample: its group, or null (missing; blanked when an erasure dropped the sample). */
  values: (string | null)[];
}

/**
 * The group of every sample for each protected attribute the pipeline declares
 * (`sample.protected`), read from the sample table beside the features: a number or category
 * column gives its value as text, a one-hot encoded column the category whose indicator is set;
 * `null` where the value is missing (or, one-hot, in no fitted category). Empty when none is
 * declared.
 *
 * @throws UsageError `pipeline.unknownColumn` when a declared column is not in the sample table.
 */
export function protectedGroupsOf(
  declared: readonly { name: string; column: string }[] | undefined,
  state: TableState,
): ProtectedGroups[] {
  return (declared ?? []).map(({ name, column }) => ({ name, column, values: groupValues(state, column) }));
}

function groupValues(state: TableState, column: string): (string | null)[] {
  const frame = state.frame;
  const out: (string | null)[] = new Array(frame.rows).fill(null);
  if (frame.has(column)) {
    const c = frame.column(column);
    if (c.kind === 'number') {
      const values = c.values;
      for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]) ? null : String(values[i]);
    } else {
      const { codes, dictionary } = c;
      for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? null : dictionary[codes[i]];
    }
    return out;
  }
  const indicators = state.groups.get(column);
  if (!indicators)
    throw new UsageError(
      'pipeline.unknownColumn',
      `protected attribute column "${column}" is not in the sample table (columns: ${frame.names.join(', ')})`,
    );
  const prefix = `${column}=`;
  for (const name of indicators) {
    const values = frame.num(name);
    const group = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    for (let i = 0; i < values.length; i++) if (values[i] === 1) out[i] = group;
  }
  return out;
}
