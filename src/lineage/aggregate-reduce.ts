import { type Column, categoryColumn, numberColumn } from './column.js';
import { encodeKeys } from './key-index.js';

/**
 * Per-group reductions of {@link aggregate}: whole-column loops over typed arrays, rows read in
 * input order. `group[i]` is row `i`'s group (`-1`: the row is in no group). Missing values are
 * skipped everywhere except in `share`, whose denominator is the group's row count.
 */

/** `sum`, `mean`, `count` (non-missing values), `min`, `max` of a numeric column. */
export function reduceNumbers(
  fn: 'sum' | 'mean' | 'count' | 'min' | 'max',
  x: Float64Array,
  group: Int32Array,
  groups: number,
): Float64Array {
  const out = new Float64Array(groups);
  const n = x.length;
  if (fn === 'sum' || fn === 'mean' || fn === 'count') {
    const cnt = fn === 'sum' ? undefined : new Float64Array(groups);
    for (let i = 0; i < n; i++) {
      const g = group[i];
      const v = x[i];
      if (g < 0 || Number.isNaN(v)) continue;
      out[g] += v;
      if (cnt) cnt[g]++;
    }
    if (fn === 'count') return cnt!;
    if (fn === 'mean') for (let g = 0; g < groups; g++) out[g] = cnt![g] > 0 ? out[g] / cnt![g] : Number.NaN;
    return out;
  }
  out.fill(Number.NaN);
  const isMax = fn === 'max';
  for (let i = 0; i < n; i++) {
    const g = group[i];
    const v = x[i];
    if (g < 0 || Number.isNaN(v)) continue;
    const cur = out[g];
    if (Number.isNaN(cur) || (isMax ? v > cur : v < cur)) out[g] = v;
  }
  return out;
}

/** Non-missing values per group of a categorical column. */
export function countCodes(codes: Int32Array, group: Int32Array, groups: number): Float64Array {
  const out = new Float64Array(groups);
  for (let i = 0; i < codes.length; i++) if (group[i] >= 0 && codes[i] >= 0) out[group[i]]++;
  return out;
}

/**
 * Distinct non-missing values per group (numbers compare as numbers, categories as text). Rows
 * are visited group by group (a counting sort), and a value is counted when its stamp is not yet
 * the current group's: O(rows + distinct values), no per-row allocation.
 */
export function countDistinct(column: Column, group: Int32Array, groups: number): Float64Array {
  const { ids, count } = encodeKeys([[column]]);
  const value = ids[0];
  const n = group.length;
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) if (group[i] >= 0) start[group[i] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const cursor = start.slice(0, groups);
  const rows = new Int32Array(start[groups]);
  for (let i = 0; i < n; i++) if (group[i] >= 0) rows[cursor[group[i]]++] = i;
  const stamp = new Int32Array(count).fill(-1);
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    let distinct = 0;
    for (let k = start[g]; k < start[g + 1]; k++) {
      const v = value[rows[k]];
      if (v < 0 || stamp[v] === g) continue;
      stamp[v] = g;
      distinct++;
    }
    out[g] = distinct;
  }
  return out;
}

/**
 * The first (or last) non-missing value of each group in row order; a group without one gets a
 * missing value. A categorical column gives a categorical column with the same dictionary.
 */
export function firstOrLast(
  which: 'first' | 'last',
  column: Column,
  group: Int32Array,
  groups: number,
): Column {
  const last = which === 'last';
  const n = group.length;
  if (column.kind === 'number') {
    const x = column.values;
    const out = new Float64Array(groups).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      const g = group[i];
      const v = x[i];
      if (g < 0 || Number.isNaN(v)) continue;
      if (last || Number.isNaN(out[g])) out[g] = v;
    }
    return numberColumn(out, column.sources);
  }
  const codes = column.codes;
  const out = new Int32Array(groups).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    const c = codes[i];
    if (g < 0 || c < 0) continue;
    if (last || out[g] < 0) out[g] = c;
  }
  return categoryColumn(out, column.dictionary, column.sources);
}

/** Share of each group's rows whose value is 1 (a 0/1 condition column; missing counts as not 1). */
export function shareOfOnes(x: Float64Array, group: Int32Array, groups: number): Float64Array {
  const hits = new Float64Array(groups);
  const size = new Float64Array(groups);
  for (let i = 0; i < x.length; i++) {
    const g = group[i];
    if (g < 0) continue;
    size[g]++;
    if (x[i] === 1) hits[g]++;
  }
  for (let g = 0; g < groups; g++) hits[g] = size[g] > 0 ? hits[g] / size[g] : Number.NaN;
  return hits;
}
