import type { RowProvenance } from '../lineage/lineage-run.js';
import type { CsrMatrix } from './csr-matrix.js';

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

/**
 * Column-level lineage mapped onto a run's files (CSR over features): feature `j` credits
 * `weights[at]` of its mass to file `files[at]` for `at` in `offsets[j] .. offsets[j+1]`
 * (weights of a feature sum to 1, or the feature has no entry: no lineage to a run file).
 */
export interface FeatureFiles {
  offsets: Uint32Array;
  files: Uint16Array;
  weights: Float64Array;
}

/**
 * Maps each feature to the run files of the tables its source columns (`table.column`) come
 * from: a feature with columns of several tables is split equally among the tables, a table with
 * several files equally among its files. Features with no source column in a run file (and the
 * intercept, which is not a feature) get no entry and are reported as unattributed.
 *
 * @example
 * featureFiles(matrix.featureColumns, matrix.sourceFiles) // [['application.AMT_CREDIT'], ...]
 */
export function featureFiles(
  featureColumns: readonly (readonly string[])[],
  files: readonly ShareFile[],
): FeatureFiles {
  const filesOf = new Map<string, number[]>();
  files.forEach((f, i) => {
    const list = filesOf.get(f.table) ?? [];
    list.push(i);
    filesOf.set(f.table, list);
  });
  const offsets = new Uint32Array(featureColumns.length + 1);
  const outFiles: number[] = [];
  const weights: number[] = [];
  featureColumns.forEach((columns, j) => {
    const tables = [...new Set(columns.map(tableOf))].filter((t) => filesOf.has(t));
    const mass = new Map<number, number>();
    for (const t of tables) {
      const fs = filesOf.get(t) as number[];
      for (const f of fs) mass.set(f, (mass.get(f) ?? 0) + 1 / tables.length / fs.length);
    }
    for (const [f, w] of [...mass].sort((x, y) => x[0] - y[0])) {
      outFiles.push(f);
      weights.push(w);
    }
    offsets[j + 1] = outFiles.length;
  });
  return { offsets, files: Uint16Array.from(outFiles), weights: Float64Array.from(weights) };
}

/** The table of a source column `table.column` (the part before the first dot). */
function tableOf(column: string): string {
  const dot = column.indexOf('.');
  return dot < 0 ? column : column.slice(0, dot);
}

/**
 * Splits the score of every training sample over the features of the logistic kernel form
 * τᵢ = cᵢ·Σⱼ aⱼx̃ᵢⱼ (x̃ with the intercept 1 last; `a` = M⁻¹x̃_z for `ns`/`if`, x̃_z for
 * `graddot`, length d+1): the part of feature j is |τᵢ|·|aⱼx̃ᵢⱼ| / Σₖ|aₖx̃ᵢₖ|, so the parts of a
 * sample sum to its |τᵢ|. Sums the parts over all training samples into `out` (length d+1, the
 * intercept last) and returns it. O(nnz) per call: the n×(d+1) parts are never materialised.
 */
export function featureMass(
  scores: ArrayLike<number>,
  a: ArrayLike<number>,
  train: CsrMatrix,
  out = new Float64Array(train.cols + 1),
): Float64Array {
  const d = train.cols;
  out.fill(0);
  const bias = Math.abs(a[d]);
  let biasMass = 0;
  for (let i = 0; i < train.rows; i++) {
    const s = Math.abs(scores[i]);
    if (!(s > 0)) continue;
    const start = train.rowPtr[i];
    const end = train.rowPtr[i + 1];
    let total = bias;
    for (let q = start; q < end; q++) total += Math.abs(a[train.colIdx[q]] * train.values[q]);
    if (!(total > 0)) continue;
    const scale = s / total;
    for (let q = start; q < end; q++) {
      const j = train.colIdx[q];
      out[j] += scale * Math.abs(a[j] * train.values[q]);
    }
    biasMass += scale * bias;
  }
  out[d] = biasMass;
  return out;
}

/**
 * Turns per-feature masses ({@link featureMass}, intercept last) into shares per file through
 * the column lineage: `out` gets the files' shares (normalised over the attributed mass, sum 1
 * unless nothing was attributed), and the returned `unattributed` is the fraction of the total
 * mass that went through the intercept or features without lineage to a run file.
 */
export function featureSourceShares(
  mass: ArrayLike<number>,
  map: FeatureFiles,
  fileCount: number,
  out = new Float64Array(fileCount),
): { shares: Float64Array; unattributed: number } {
  out.fill(0);
  let total = 0;
  let attributed = 0;
  for (let j = 0; j < mass.length; j++) {
    const m = mass[j];
    total += m;
    if (j >= map.offsets.length - 1) continue;
    for (let at = map.offsets[j]; at < map.offsets[j + 1]; at++) {
      out[map.files[at]] += m * map.weights[at];
      attributed += m * map.weights[at];
    }
  }
  if (attributed > 0) for (let f = 0; f < fileCount; f++) out[f] /= attributed;
  return { shares: out, unattributed: total > 0 ? 1 - attributed / total : 0 };
}
