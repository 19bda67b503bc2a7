/**
 * Columns of a {@link Frame}. Numbers are `Float64Array`s with `NaN` for missing values;
 * categoricals are dictionary-encoded (`Int32Array` codes into a string dictionary, `-1` for
 * missing). Every column knows the source columns (`table.column`) it was computed from.
 */
export type Column = NumberColumn | CategoryColumn;

/** A numeric column: `NaN` marks a missing value. */
export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
  /** Source columns (`table.column`) this column was computed from, sorted. */
  readonly sources: readonly string[];
}

/** A dictionary-encoded categorical column: `codes[i]` indexes `dictionary`, `-1` is missing. */
export interface CategoryColumn {
  readonly kind: 'category';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
  /** Source columns (`table.column`) this column was computed from, sorted. */
  readonly sources: readonly string[];
}

/** Builds a numeric column. */
export function numberColumn(values: Float64Array, sources: readonly string[]): NumberColumn {
  return { kind: 'number', values, sources };
}

/** Builds a categorical column. */
export function categoryColumn(
  codes: Int32Array,
  dictionary: readonly string[],
  sources: readonly string[],
): CategoryColumn {
  return { kind: 'category', codes, dictionary, sources };
}

/**
 * Gathers rows `index[k]` of a column into a new column of length `index.length`;
 * `index[k] = -1` gives a missing value.
 */
export function gatherColumn(column: Column, index: Int32Array): Column {
  const n = index.length;
  if (column.kind === 'number') {
    const src = column.values;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = index[k];
      out[k] = i < 0 ? Number.NaN : src[i];
    }
    return numberColumn(out, column.sources);
  }
  const src = column.codes;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = index[k];
    out[k] = i < 0 ? -1 : src[i];
  }
  return categoryColumn(out, column.dictionary, column.sources);
}

/** Sorted union of source-column lists. */
export function unionSources(lists: ReadonlyArray<readonly string[]>): string[] {
  const set = new Set<string>();
  for (const l of lists) for (const s of l) set.add(s);
  return [...set].sort();
}
