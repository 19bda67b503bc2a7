import type { LabelledRows } from '../attribution/attribution-problem.js';
import { modelRowsOf, type ReplacedRows } from './replaced-rows.js';
import type { RunMatrix } from './run-matrix.js';

interface Gathered {
  idx: Uint32Array;
  replaced: ReplacedRows | undefined;
  rows: LabelledRows;
}

/** Rows gathered per loaded matrix (the last few), by the rows asked for. */
const gathered = new WeakMap<RunMatrix, Gathered[]>();

/**
 * {@link modelRowsOf}, shared: the model lines of one request read the same rows of the same
 * loaded matrix (the same samples trained on, the same test rows), so the copy is made once and
 * handed to each (the result is never changed by its readers). A hit needs the same matrix
 * object, the same row numbers and the same `replaced` object.
 */
export function sharedModelRows(matrix: RunMatrix, idx: Uint32Array, replaced?: ReplacedRows): LabelledRows {
  const seen = gathered.get(matrix) ?? [];
  const hit = seen.find((g) => g.replaced === replaced && sameRows(g.idx, idx));
  if (hit) return hit.rows;
  const rows = modelRowsOf(matrix, idx, replaced);
  gathered.set(matrix, [...seen.slice(-3), { idx: Uint32Array.from(idx), replaced, rows }]);
  return rows;
}

function sameRows(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
