import { UsageError } from '../errors.js';
import type { TableState } from './run-context.js';

/**
 * The sample key of each row of a table as text (a categorical value as is, a number as
 * `String(n)`), `undefined` where it is missing. Throws `pipeline.unknownColumn` when the table
 * has no such column (`why` says who needs it).
 */
export function keyTexts(state: TableState, key: string, why: string): (string | undefined)[] {
  const { frame } = state;
  if (!frame.has(key) || state.groups.has(key))
    throw new UsageError(
      'pipeline.unknownColumn',
      `${why}: expected the sample key column "${key}", but the table has no such column (columns: ${frame.names.slice(0, 30).join(', ')})`,
    );
  const c = frame.column(key);
  const out = new Array<string | undefined>(frame.rows);
  if (c.kind === 'number') {
    for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(c.values[i]) ? undefined : String(c.values[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? undefined : c.dictionary[c.codes[i]];
  }
  return out;
}
