import type { RowProvenance } from '../../lineage/lineage-run.js';

/** A run's source file and its global source-row id range. */
export interface ShareFile {
  id: string;
  name: string;
  table: string;
  rows: number;
  globalOffset: number;
}

/** For each training sample, the distinct source files its provenance touches (CSR). */
export interface SampleFiles {
  offsets: Uint32Array;
  files: Uint16Array;
}

/**
 * Maps each sample `rows[k]` of a run to the distinct files its source rows come from.
 *
 * @example
 * sampleFiles(matrix.provenance, matrix.sourceFiles, artifact.trainRows)
 */
export function sampleFiles(
  provenance: RowProvenance,
  files: readonly ShareFile[],
  rows: ArrayLike<number>,
): SampleFiles {
  const order = files
    .map((f, i) => ({ start: f.globalOffset, end: f.globalOffset + f.rows, i }))
    .sort((a, b) => a.start - b.start);
  const fileOf = (g: number) => {
    let lo = 0;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (g < order[mid].start) hi = mid - 1;
      else if (g >= order[mid].end) lo = mid + 1;
      else return order[mid].i;
    }
    return -1;
  };
  const offsets = new Uint32Array(rows.length + 1);
  const out: number[] = [];
  const seen = new Int32Array(files.length).fill(-1);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    for (let at = provenance.offsets[r]; at < provenance.offsets[r + 1]; at++) {
      const f = fileOf(provenance.rowIds[at]);
      if (f >= 0 && seen[f] !== k) {
        seen[f] = k;
        out.push(f);
      }
    }
    offsets[k + 1] = out.length;
  }
  return { offsets, files: Uint16Array.from(out) };
}

/**
 * Source-stratified attribution of one prediction: every training sample's |score| is credited
 * to each file its row provenance touches, and the masses are normalised to shares (sum 1).
 * Writes the shares into `out` (one per file) and returns it.
 */
export function sourceShares(
  scores: ArrayLike<number>,
  map: SampleFiles,
  fileCount: number,
  out = new Float64Array(fileCount),
): Float64Array {
  out.fill(0);
  for (let k = 0; k < scores.length; k++) {
    const s = Math.abs(scores[k]);
    if (!(s > 0)) continue;
    for (let at = map.offsets[k]; at < map.offsets[k + 1]; at++) out[map.files[at]] += s;
  }
  let total = 0;
  for (let f = 0; f < fileCount; f++) total += out[f];
  if (total > 0) for (let f = 0; f < fileCount; f++) out[f] /= total;
  return out;
}
