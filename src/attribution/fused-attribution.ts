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
 * A fresh {@link FusedState} for T test points, on SharedArrayBuffers when `shared` (so score
 * workers fill it in place).
 *
 * @throws InputError `attribution.badK` when `k` is not a whole number ≥ 0.
 */
export function fusedState(points: number, k: number, files: number, shared = false): FusedState {
  if (!Number.isInteger(k) || k < 0)
    throw new InputError('attribution.badK', `k must be a whole number ≥ 0, got ${k}`);
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    points,
    k,
    files,
    heapIndex: new Uint32Array(buffer(4 * points * k)),
    heapScore: new Float64Array(buffer(8 * points * k)),
    heapSize: new Uint32Array(buffer(4 * points)),
    fileMass: new Float64Array(buffer(8 * points * files)),
    totalMass: new Float64Array(buffer(8 * points)),
  };
}

/** Test points per register block of {@link fusedScan}. */
const block = 4;
/** Training rows per cache block: a block's non-zeros stay in L2 while every test point visits it. */
const rowsPerBlock = 2048;
/** Non-zeros per cell from which {@link fusedScan} expands cache blocks into dense rows. */
const denseShare = 0.6;

/** One register block of test points over a cache block of rows (internal to {@link fusedScan}). */
interface Pass {
  x: CsrMatrix;
  rowScale: Float64Array;
  groups: FeatureGroups;
  state: FusedState;
  /** Interleaved directions (block-major, then column, then point in block): signed, absolute. */
  signed: Float64Array;
  absolute: Float64Array;
  /** Per group and point of the block: Σ |a_j x̃ᵢⱼ| over the group's features of the current row. */
  partial: Float64Array;
  scores: Float64Array;
  /** Offset of the block's directions; first test point and how many of the 4 slots are real. */
  base: number;
  first: number;
  points: number;
  r0: number;
  r1: number;
}

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
 * values, and rows are visited in cache-sized blocks; mostly dense rows are expanded once per
 * cache block (values and |values|, zeros filled: a·0 adds +0, so the sums stay bit for bit
 * those over the non-zeros). O(T·nnz).
 */
export function fusedScan(
  x: CsrMatrix,
  rowScale: Float64Array,
  a: Float64Array,
  groups: FeatureGroups,
  state: FusedState,
  rowStart = 0,
  rowEnd = x.rows,
): FusedState {
  scanPoints({ x, rowScale, a, groups, state }, 0, state.points, rowStart, rowEnd);
  return state;
}

/** The inputs of a fused pass, shared by the threads that claim its test points. */
export interface FusedInputs {
  x: CsrMatrix;
  rowScale: Float64Array;
  a: Float64Array;
  groups: FeatureGroups;
  state: FusedState;
}

/** Test points per claim of {@link fusedClaims}: enough register blocks to reuse each cache block. */
export const fusedClaimPoints = 32;

/**
 * Claims test points {@link fusedClaimPoints} at a time from the Atomics counter `next` and
 * runs the fused pass over all training rows for each claim, until none are left; every thread
 * of a product (the caller and the score workers) runs it on the same shared inputs and state.
 * Returns the test points this thread computed.
 */
export function fusedClaims(inputs: FusedInputs, next: Int32Array): number {
  let done = 0;
  for (;;) {
    const t0 = Atomics.add(next, 0, fusedClaimPoints);
    if (t0 >= inputs.state.points) return done;
    const t1 = Math.min(inputs.state.points, t0 + fusedClaimPoints);
    scanPoints(inputs, t0, t1, 0, inputs.x.rows);
    done += t1 - t0;
  }
}

/** The fused pass for test points t0 .. t1 over rows rowStart .. rowEnd. */
function scanPoints(inputs: FusedInputs, t0: number, t1: number, rowStart: number, rowEnd: number): void {
  const { x, rowScale, a, groups, state } = inputs;
  const d = x.cols;
  const D = d + 1;
  const T = t1 - t0;
  const blocks = Math.ceil(T / block);
  const signed = new Float64Array(blocks * D * block);
  const absolute = new Float64Array(blocks * D * block);
  for (let u = 0; u < T; u++) {
    const base = Math.floor(u / block) * D * block + (u % block);
    for (let j = 0; j < D; j++) {
      signed[base + j * block] = a[(t0 + u) * D + j];
      absolute[base + j * block] = Math.abs(a[(t0 + u) * D + j]);
    }
  }
  const pass: Pass = {
    x,
    rowScale,
    groups,
    state,
    signed,
    absolute,
    partial: new Float64Array(groups.groups * block),
    scores: new Float64Array(block),
    base: 0,
    first: 0,
    points: 0,
    r0: 0,
    r1: 0,
  };
  const dense = x.rowPtr[rowEnd] - x.rowPtr[rowStart] >= denseShare * (rowEnd - rowStart) * d;
  const values = dense ? new Float64Array(rowsPerBlock * d) : undefined;
  const magnitudes = dense ? new Float64Array(rowsPerBlock * d) : undefined;
  for (let r0 = rowStart; r0 < rowEnd; r0 += rowsPerBlock) {
    pass.r0 = r0;
    pass.r1 = Math.min(rowEnd, r0 + rowsPerBlock);
    if (values && magnitudes) expand(x, pass.r0, pass.r1, values, magnitudes);
    for (let b = 0; b < blocks; b++) {
      pass.base = b * D * block;
      pass.first = t0 + b * block;
      pass.points = Math.min(block, T - b * block);
      if (values && magnitudes) scanDense(pass, values, magnitudes);
      else scanSparse(pass);
    }
  }
}

/** Rows r0 .. r1 of x as dense row-major values and their absolute values (zeros filled). */
function expand(x: CsrMatrix, r0: number, r1: number, values: Float64Array, magnitudes: Float64Array): void {
  const d = x.cols;
  values.fill(0);
  magnitudes.fill(0);
  for (let i = r0; i < r1; i++) {
    const o = (i - r0) * d;
    for (let q = x.rowPtr[i]; q < x.rowPtr[i + 1]; q++) {
      const v = x.values[q];
      values[o + x.colIdx[q]] = v;
      magnitudes[o + x.colIdx[q]] = v < 0 ? -v : v;
    }
  }
}

function scanSparse(pass: Pass): void {
  const { rowPtr, colIdx, values } = pass.x;
  const { runEnd, runGroup } = pass.groups;
  const { signed, absolute, partial, scores, base, rowScale } = pass;
  const runs = runEnd.length;
  const bias = base + pass.x.cols * block;
  const b0 = signed[bias];
  const b1 = signed[bias + 1];
  const b2 = signed[bias + 2];
  const b3 = signed[bias + 3];
  for (let i = pass.r0; i < pass.r1; i++) {
    let q = rowPtr[i];
    const e = rowPtr[i + 1];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = 0; r < runs && q < e; r++) {
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
    }
    const c = rowScale[i];
    scores[0] = Math.fround(c * (s0 + b0));
    scores[1] = Math.fround(c * (s1 + b1));
    scores[2] = Math.fround(c * (s2 + b2));
    scores[3] = Math.fround(c * (s3 + b3));
    credit(pass, bias, i);
  }
}

function scanDense(pass: Pass, values: Float64Array, magnitudes: Float64Array): void {
  const d = pass.x.cols;
  const { runEnd, runGroup } = pass.groups;
  const { signed, absolute, partial, scores, base, rowScale } = pass;
  const runs = runEnd.length;
  const bias = base + d * block;
  const b0 = signed[bias];
  const b1 = signed[bias + 1];
  const b2 = signed[bias + 2];
  const b3 = signed[bias + 3];
  for (let i = pass.r0; i < pass.r1; i++) {
    const row = (i - pass.r0) * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (let r = 0; r < runs; r++) {
      const stop = runEnd[r];
      let h0 = 0;
      let h1 = 0;
      let h2 = 0;
      let h3 = 0;
      for (; j < stop; j++) {
        const v = values[row + j];
        const w = magnitudes[row + j];
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
    }
    const c = rowScale[i];
    scores[0] = Math.fround(c * (s0 + b0));
    scores[1] = Math.fround(c * (s1 + b1));
    scores[2] = Math.fround(c * (s2 + b2));
    scores[3] = Math.fround(c * (s3 + b3));
    credit(pass, bias, i);
  }
}

/**
 * Row i's Float32 scores of a register block: offered to the heaps, and each |score| split over
 * the groups' partial sums (`partial`, reset here) and credited per file.
 */
function credit(pass: Pass, bias: number, i: number): void {
  const { state, groups, partial, scores, absolute } = pass;
  const G = groups.groups;
  for (let u = 0; u < pass.points; u++) {
    const score = scores[u];
    const t = pass.first + u;
    offer(state, t, i, score);
    const mass = score < 0 ? -score : score;
    if (!(mass > 0)) continue;
    let total = absolute[bias + u];
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
  partial.fill(0);
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
