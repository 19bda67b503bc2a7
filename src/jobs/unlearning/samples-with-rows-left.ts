import type { RunMatrix } from '../../models/run-matrix.js';
import { type RecomputeErasures, sourceRowOf } from './recompute-common.js';

/**
 * How many of `sorted` (run-matrix rows) still derive from at least one source row that is not
 * erased, by this request (`erasures.pending`) or before (a tombstone of the same file and row),
 * following the run's row provenance. A sample with none left has nothing to be re-derived from:
 * its own row is among them, so a re-run would drop it. Undefined when the run kept no row
 * provenance (then nothing is known without the re-run). Conservative: tombstones that match
 * only by a key hash (another extract's rows) are not counted as erasing a row here.
 */
export function samplesWithRowsLeft(
  matrix: RunMatrix,
  sorted: ArrayLike<number>,
  erasures: Pick<RecomputeErasures, 'tombstones' | 'pending'>,
): number | undefined {
  const prov = matrix.provenance;
  const files = matrix.sourceFiles;
  if (!prov || !files) return undefined;
  const erased = new Set<string>(erasures.pending.rowIds);
  for (const t of erasures.tombstones) erased.add(`${t.fileId}:${t.row}`);
  let left = 0;
  for (let k = 0; k < sorted.length; k++) {
    const s = sorted[k];
    let rows = 0;
    let rowLeft = false;
    for (let q = prov.offsets[s]; q < prov.offsets[s + 1] && !rowLeft; q++) {
      const at = sourceRowOf(files, prov.rowIds[q]);
      rows++;
      // A row of no known file cannot be shown erased: count it as left.
      if (!at || !erased.has(`${at.file.id}:${at.row}`)) rowLeft = true;
    }
    if (rowLeft || rows === 0) left++;
  }
  return left;
}
