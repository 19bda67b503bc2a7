import type { Column } from './column.js';
import type { Frame } from './frame.js';

/**
 * Keeps (and orders) the named columns; `rename` maps old → new names. Rows and provenance
 * are unchanged.
 */
export function select(
  frame: Frame,
  names: readonly string[],
  options: { name?: string; rename?: Record<string, string> } = {},
): Frame {
  const columns = new Map<string, Column>();
  for (const n of names) columns.set(options.rename?.[n] ?? n, frame.column(n));
  const p = frame.pipeline;
  const opId = p.tracksOps
    ? p.record('select', options.name ?? 'select', { columns: [...names], rename: options.rename ?? {} }, [
        frame,
      ])
    : '';
  return frame.withColumns(columns, opId);
}
