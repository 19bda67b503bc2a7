import { InputError } from '../errors.js';

/**
 * Row provenance of the training samples in CSR form: sample i came from the global source
 * rows rowIds[offsets[i]..offsets[i+1]), and source row r lives in file rowFile[r].
 */
export interface SampleProvenance {
  /** n+1 offsets into rowIds. */
  offsets: Uint32Array;
  /** Global source-row ids. */
  rowIds: Uint32Array;
  /** File index of every global source row. */
  rowFile: Uint32Array;
  /** Names of the files, indexed by rowFile values. */
  files: string[];
}

/** Per-file totals of a score vector and their shares. */
export interface SourceAttribution {
  files: string[];
  /** Σ of the score parts that reached each file. */
  totals: Float64Array;
  /** totals / Σ|totals| (signed; absolute values sum to 1, all 0 when every total is 0). */
  shares: Float64Array;
}

/**
 * Source-stratified aggregation: each sample's score is split equally among its source rows
 * (a joined sample built from 3 rows gives each a third), and the parts are summed per file,
 * then normalised to shares. Samples without provenance are ignored.
 *
 * @throws InputError `attribution.badProvenance` when the CSR arrays are inconsistent.
 */
export function aggregateBySource(scores: ArrayLike<number>, prov: SampleProvenance): SourceAttribution {
  const n = scores.length;
  const { offsets, rowIds, rowFile, files } = prov;
  if (offsets.length !== n + 1) {
    throw new InputError(
      'attribution.badProvenance',
      `offsets must have n+1 = ${n + 1} entries, got ${offsets.length}`,
    );
  }
  if (offsets[0] !== 0 || offsets[n] !== rowIds.length) {
    throw new InputError(
      'attribution.badProvenance',
      `offsets must run from 0 to rowIds.length = ${rowIds.length}`,
    );
  }
  const totals = new Float64Array(files.length);
  for (let i = 0; i < n; i++) {
    const s = offsets[i];
    const e = offsets[i + 1];
    if (e < s) throw new InputError('attribution.badProvenance', `offsets decrease at sample ${i}`);
    if (e === s) continue;
    const part = scores[i] / (e - s);
    for (let q = s; q < e; q++) {
      const r = rowIds[q];
      if (r >= rowFile.length) {
        throw new InputError(
          'attribution.badProvenance',
          `source row ${r} of sample ${i} has no file (rowFile has ${rowFile.length})`,
        );
      }
      const f = rowFile[r];
      if (f >= files.length)
        throw new InputError('attribution.badProvenance', `file index ${f} out of ${files.length} files`);
      totals[f] += part;
    }
  }
  let abs = 0;
  for (const t of totals) abs += Math.abs(t);
  const shares = new Float64Array(files.length);
  if (abs > 0) for (let f = 0; f < files.length; f++) shares[f] = totals[f] / abs;
  return { files, totals, shares };
}
