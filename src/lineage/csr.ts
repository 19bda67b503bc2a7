import type { RowProvenance } from './lineage-run.js';

/**
 * Kernels over row provenance in CSR form: output row `i` derives from the global source-row
 * ids `rowIds[offsets[i] .. offsets[i+1])`. Every kernel builds its result with typed arrays in
 * two passes (count, then fill); none allocates per-row objects.
 */

/** Provenance of freshly loaded rows: row `i` derives from global id `first + i`. */
export function identityProvenance(first: number, n: number): RowProvenance {
  const offsets = new Uint32Array(n + 1);
  const rowIds = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    offsets[i + 1] = i + 1;
    rowIds[i] = first + i;
  }
  return { offsets, rowIds };
}

/** Filter / reorder: output row `k` takes the provenance of input row `index[k]` (≥ 0). */
export function gatherProvenance(p: RowProvenance, index: Int32Array): RowProvenance {
  const { offsets: off, rowIds: ids } = p;
  const n = index.length;
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = index[k];
    total += off[i + 1] - off[i];
    offsets[k + 1] = total;
  }
  const rowIds = new Uint32Array(total);
  let w = 0;
  for (let k = 0; k < n; k++) {
    const i = index[k];
    const end = off[i + 1];
    for (let j = off[i]; j < end; j++) rowIds[w++] = ids[j];
  }
  return { offsets, rowIds };
}

/**
 * Join: output row `k` derives from left row `li[k]` and right row `ri[k]` (concatenated);
 * `ri[k] = -1` (an unmatched left row) contributes nothing from the right.
 */
export function pairProvenance(
  left: RowProvenance,
  right: RowProvenance,
  li: Int32Array,
  ri: Int32Array,
): RowProvenance {
  const lo = left.offsets;
  const ro = right.offsets;
  const lids = left.rowIds;
  const rids = right.rowIds;
  const n = li.length;
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const a = li[k];
    const b = ri[k];
    total += lo[a + 1] - lo[a];
    if (b >= 0) total += ro[b + 1] - ro[b];
    offsets[k + 1] = total;
  }
  const rowIds = new Uint32Array(total);
  let w = 0;
  for (let k = 0; k < n; k++) {
    const a = li[k];
    let end = lo[a + 1];
    for (let j = lo[a]; j < end; j++) rowIds[w++] = lids[j];
    const b = ri[k];
    if (b >= 0) {
      end = ro[b + 1];
      for (let j = ro[b]; j < end; j++) rowIds[w++] = rids[j];
    }
  }
  return { offsets, rowIds };
}

/**
 * Group-by: output row `g` derives from the union of the input rows `i` with `group[i] = g`
 * (rows with `group[i] = -1` are dropped). Members keep their input order.
 */
export function groupProvenance(p: RowProvenance, group: Int32Array, groups: number): RowProvenance {
  const { offsets: off, rowIds: ids } = p;
  const n = group.length;
  const offsets = new Uint32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g >= 0) offsets[g + 1] += off[i + 1] - off[i];
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const cursor = offsets.slice(0, groups);
  const rowIds = new Uint32Array(offsets[groups]);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g < 0) continue;
    let w = cursor[g];
    const end = off[i + 1];
    for (let j = off[i]; j < end; j++) rowIds[w++] = ids[j];
    cursor[g] = w;
  }
  return { offsets, rowIds };
}

/** Concat: the rows of each input, one after another. */
export function concatProvenance(parts: readonly RowProvenance[]): RowProvenance {
  let rows = 0;
  let total = 0;
  for (const p of parts) {
    rows += p.offsets.length - 1;
    total += p.rowIds.length;
  }
  const offsets = new Uint32Array(rows + 1);
  const rowIds = new Uint32Array(total);
  let r = 0;
  let base = 0;
  for (const p of parts) {
    const n = p.offsets.length - 1;
    for (let i = 0; i < n; i++) offsets[r + i + 1] = base + p.offsets[i + 1];
    rowIds.set(p.rowIds, base);
    r += n;
    base += p.rowIds.length;
  }
  return { offsets, rowIds };
}

/**
 * Canonical form: each row's ids sorted ascending and without repeats (a set). Returns new
 * arrays; the input is not modified.
 */
export function normaliseProvenance(p: RowProvenance): RowProvenance {
  const n = p.offsets.length - 1;
  const ids = p.rowIds.slice();
  const offsets = new Uint32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const start = p.offsets[i];
    const end = p.offsets[i + 1];
    const len = end - start;
    if (len > 1) {
      let sorted = true;
      for (let j = start + 1; j < end; j++) {
        if (ids[j] <= ids[j - 1]) {
          sorted = false;
          break;
        }
      }
      if (!sorted) ids.subarray(start, end).sort();
    }
    for (let j = start; j < end; j++) {
      if (j === start || ids[j] !== ids[j - 1]) ids[w++] = ids[j];
    }
    offsets[i + 1] = w;
  }
  return { offsets, rowIds: w === ids.length ? ids : ids.slice(0, w) };
}
