import { InputError } from '../errors.js';
import type { CsrMatrix } from './csr-matrix.js';
import type { FeatureFiles } from './source-shares.js';

/**
 * The features of a run cut into groups that credit the same files with the same weights
 * ({@link FeatureFiles}), as runs of consecutive columns: run `r` covers the columns below
 * `runEnd[r]` (and from the previous run's end) and belongs to group `runGroup[r]`. Group `g`
 * credits `weights[at]` to file `files[at]` for `at` in `offsets[g] .. offsets[g+1]`; a group
 * with no entry is the features without lineage to a run file (unattributed).
 */
export interface FeatureGroups {
  runEnd: Uint32Array;
  runGroup: Uint32Array;
  groups: number;
  offsets: Uint32Array;
  files: Uint16Array;
  weights: Float64Array;
}

/**
 * Groups the `d` features by the files (and weights) their column lineage credits.
 *
 * @example
 * featureGroups(featureFiles(matrix.featureColumns, files), matrix.features.cols)
 */
export function featureGroups(map: FeatureFiles, d: number): FeatureGroups {
  const keyOf = (j: number) => {
    if (j >= map.offsets.length - 1) return '';
    const parts: string[] = [];
    for (let at = map.offsets[j]; at < map.offsets[j + 1]; at++)
      parts.push(`${map.files[at]}:${map.weights[at]}`);
    return parts.join(',');
  };
  const ids = new Map<string, number>();
  const firstFeature: number[] = [];
  const runEnd: number[] = [];
  const runGroup: number[] = [];
  for (let j = 0; j < d; j++) {
    const key = keyOf(j);
    let g = ids.get(key);
    if (g === undefined) {
      g = ids.size;
      ids.set(key, g);
      firstFeature.push(j);
    }
    if (runGroup.length > 0 && runGroup[runGroup.length - 1] === g) runEnd[runEnd.length - 1] = j + 1;
    else {
      runEnd.push(j + 1);
      runGroup.push(g);
    }
  }
  const offsets = new Uint32Array(ids.size + 1);
  const files: number[] = [];
  const weights: number[] = [];
  firstFeature.forEach((j, g) => {
    if (j < map.offsets.length - 1) {
      for (let at = map.offsets[j]; at < map.offsets[j + 1]; at++) {
        files.push(map.files[at]);
        weights.push(map.weights[at]);
      }
    }
    offsets[g + 1] = files.length;
  });
  return {
    runEnd: Uint32Array.from(runEnd),
    runGroup: Uint32Array.from(runGroup),
    groups: ids.size,
    offsets,
    files: Uint16Array.from(files),
    weights: Float64Array.from(weights),
  };
}

/**
 * What {@link fusedScan} accumulates per test point over the training rows it has seen: the
 * `k` best scores so far (a worst-first heap, ties: the lower row index is better) and the
 * feature-basis masses per file.
 */
export interface FusedState {
  /** Test points T. */
  points: number;
  k: number;
  files: number;
  /** T×k heap of training row indices (worst kept at each point's root). */
  heapIndex: Uint32Array;
  /** T×k heap of the kept scores (Float32 values). */
  heapScore: Float64Array;
  heapSize: Uint32Array;
  /** T×files: Σ over training rows of the |score| parts credited to each file. */
  fileMass: Float64Array;
  /** T: Σ over training rows of |score| (rows whose |score| and feature mass are > 0). */
  totalMass: Float64Array;
}

/**
 * A fresh {@link FusedState} for T test points.
 *
 * @throws InputError `attribution.badK` when `k` is not a whole number ≥ 0.
 */
export function fusedState(points: number, k: number, files: number): FusedState {
  if (!Number.isInteger(k) || k < 0)
    throw new InputError('attribution.badK', `k must be a whole number ≥ 0, got ${k}`);
  return {
    points,
    k,
    files,
    heapIndex: new Uint32Array(points * k),
    heapScore: new Float64Array(points * k),
    heapSize: new Uint32Array(points),
    fileMass: new Float64Array(points * files),
    totalMass: new Float64Array(points),
  };
}

/** Test points per register block of {@link fusedScan}. */
const block = 4;
/** Training rows per cache block: a block's non-zeros stay in L2 while every test point visits it. */
const rowsPerBlock = 2048;

/**
 * One pass over training rows `rowStart .. rowEnd` (ascending; call again with the following
 * rows to continue) for T test points at once, for the scores of the logistic kernel form
 * τ(z_t)ᵢ = cᵢ·a_tᵀx̃ᵢ (`a` T×(d+1) row-major with the sign of the correct class, the intercept
 * last; `rowScale` = c): each score is computed in Float64 in the non-zeros' order (the
 * intercept last) and rounded to Float32 (what the edges store), then
 * - kept among the point's `k` largest (ties: lower row index first; NaN skipped) — exactly
 *   `topK` of the Float32 score row;
 * - split over the features as `featureMass` does (part of feature j: |τᵢ|·|a_j x̃ᵢⱼ| / Σₗ|a_l x̃ᵢₗ|,
 *   the intercept included in the denominator) and summed per file through `groups` — what
 *   `featureSourceShares` of `featureMass` gives, up to the order of the floating-point sums.
 * The T×n scores are never materialised. Blocks of 4 test points share each load of a row's
 * non-zeros, and rows are visited in cache-sized blocks. O(T·nnz).
 */
export function fusedScan(
  x: CsrMatrix,
  rowScale: ArrayLike<number>,
  a: Float64Array,
  groups: FeatureGroups,
  state: FusedState,
  rowStart = 0,
  rowEnd = x.rows,
): FusedState {
  const d = x.cols;
  const D = d + 1;
  const T = state.points;
  const G = groups.groups;
  const blocks = Math.ceil(T / block);
  // Interleaved directions: signed and absolute, block-major, then column, then point in block.
  const signed = new Float64Array(blocks * D * block);
  const absolute = new Float64Array(blocks * D * block);
  for (let t = 0; t < T; t++) {
    const base = Math.floor(t / block) * D * block + (t % block);
    for (let j = 0; j < D; j++) {
      signed[base + j * block] = a[t * D + j];
      absolute[base + j * block] = Math.abs(a[t * D + j]);
    }
  }
  const partial = new Float64Array(G * block);
  const scores = new Float64Array(block);
  for (let r0 = rowStart; r0 < rowEnd; r0 += rowsPerBlock) {
    const r1 = Math.min(rowEnd, r0 + rowsPerBlock);
    for (let b = 0; b < blocks; b++) {
      const points = Math.min(block, T - b * block);
      scanBlock(
        x,
        rowScale,
        signed,
        absolute,
        b * D * block,
        d,
        groups,
        partial,
        scores,
        state,
        b * block,
        points,
        r0,
        r1,
      );
    }
  }
  return state;
}

function scanBlock(
  x: CsrMatrix,
  rowScale: ArrayLike<number>,
  signed: Float64Array,
  absolute: Float64Array,
  base: number,
  d: number,
  groups: FeatureGroups,
  partial: Float64Array,
  scores: Float64Array,
  state: FusedState,
  first: number,
  points: number,
  r0: number,
  r1: number,
): void {
  const { rowPtr, colIdx, values } = x;
  const { runEnd, runGroup } = groups;
  const runs = runEnd.length;
  const G = groups.groups;
  const bias = base + d * block;
  const b0 = signed[bias];
  const b1 = signed[bias + 1];
  const b2 = signed[bias + 2];
  const b3 = signed[bias + 3];
  const m0 = absolute[bias];
  const m1 = absolute[bias + 1];
  const m2 = absolute[bias + 2];
  const m3 = absolute[bias + 3];
  for (let i = r0; i < r1; i++) {
    let q = rowPtr[i];
    const e = rowPtr[i + 1];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    partial.fill(0);
    for (let r = 0; r < runs; r++) {
      const stop = runEnd[r];
      let h0 = 0;
      let h1 = 0;
      let h2 = 0;
      let h3 = 0;
      for (; q < e; q++) {
        const j = colIdx[q];
        if (j >= stop) break;
        const v = values[q];
        const w = v < 0 ? -v : v;
        const o = base + j * block;
        s0 += signed[o] * v;
        s1 += signed[o + 1] * v;
        s2 += signed[o + 2] * v;
        s3 += signed[o + 3] * v;
        h0 += absolute[o] * w;
        h1 += absolute[o + 1] * w;
        h2 += absolute[o + 2] * w;
        h3 += absolute[o + 3] * w;
      }
      const p = runGroup[r] * block;
      partial[p] += h0;
      partial[p + 1] += h1;
      partial[p + 2] += h2;
      partial[p + 3] += h3;
      if (q >= e) break;
    }
    const c = rowScale[i];
    scores[0] = Math.fround(c * (s0 + b0));
    scores[1] = Math.fround(c * (s1 + b1));
    scores[2] = Math.fround(c * (s2 + b2));
    scores[3] = Math.fround(c * (s3 + b3));
    for (let u = 0; u < points; u++) {
      const score = scores[u];
      const t = first + u;
      offer(state, t, i, score);
      const mass = score < 0 ? -score : score;
      if (!(mass > 0)) continue;
      let total = u === 0 ? m0 : u === 1 ? m1 : u === 2 ? m2 : m3;
      for (let g = 0; g < G; g++) total += partial[g * block + u];
      if (!(total > 0)) continue;
      const scale = mass / total;
      state.totalMass[t] += mass;
      const out = t * state.files;
      for (let g = 0; g < G; g++) {
        const h = partial[g * block + u];
        if (h === 0) continue;
        for (let at = groups.offsets[g]; at < groups.offsets[g + 1]; at++)
          state.fileMass[out + groups.files[at]] += scale * h * groups.weights[at];
      }
    }
  }
}

/** Offers row i's score to test point t's heap of the k best (rows arrive in ascending order). */
function offer(state: FusedState, t: number, i: number, score: number): void {
  const k = state.k;
  if (k === 0 || Number.isNaN(score)) return;
  const o = t * k;
  const index = state.heapIndex;
  const value = state.heapScore;
  let size = state.heapSize[t];
  if (size < k) {
    // sift up: a later row is worse than an earlier one with the same score
    let at = size++;
    state.heapSize[t] = size;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!(score < value[o + parent] || (score === value[o + parent] && i > index[o + parent]))) break;
      index[o + at] = index[o + parent];
      value[o + at] = value[o + parent];
      at = parent;
    }
    index[o + at] = i;
    value[o + at] = score;
    return;
  }
  // a later row replaces the worst kept only with a strictly larger score
  if (!(score > value[o])) return;
  let at = 0;
  for (;;) {
    const l = 2 * at + 1;
    if (l >= size) break;
    const r = l + 1;
    let w = l;
    if (r < size && worse(value[o + r], index[o + r], value[o + l], index[o + l])) w = r;
    if (!worse(value[o + w], index[o + w], score, i)) break;
    index[o + at] = index[o + w];
    value[o + at] = value[o + w];
    at = w;
  }
  index[o + at] = i;
  value[o + at] = score;
}

function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Test point t's kept rows and Float32 scores, best first (score descending, then row index). */
export function fusedTopK(state: FusedState, t: number): { index: Uint32Array; score: Float32Array } {
  const o = t * state.k;
  const size = state.heapSize[t];
  const order = Array.from({ length: size }, (_, u) => u).sort((u, v) => {
    const su = state.heapScore[o + u];
    const sv = state.heapScore[o + v];
    return sv - su || state.heapIndex[o + u] - state.heapIndex[o + v];
  });
  return {
    index: Uint32Array.from(order, (u) => state.heapIndex[o + u]),
    score: Float32Array.from(order, (u) => state.heapScore[o + u]),
  };
}

/**
 * Test point t's shares per file (normalised over the attributed mass) and the unattributed
 * fraction of its total mass, as `featureSourceShares` reports them. Writes into `out`.
 */
export function fusedShares(
  state: FusedState,
  t: number,
  out = new Float64Array(state.files),
): { shares: Float64Array; unattributed: number } {
  let attributed = 0;
  for (let f = 0; f < state.files; f++) attributed += state.fileMass[t * state.files + f];
  for (let f = 0; f < state.files; f++)
    out[f] = attributed > 0 ? state.fileMass[t * state.files + f] / attributed : 0;
  const total = state.totalMass[t];
  return { shares: out, unattributed: total > 0 ? 1 - attributed / total : 0 };
}
