import { UsageError } from '../errors.js';
import { type Column, gatherColumn, numberColumn } from './column.js';
import { groupProvenance } from './csr.js';
import { Frame } from './frame.js';
import { encodeKeys } from './key-index.js';

/** Aggregation functions of {@link aggregate}. Missing values are skipped. */
export type AggregateFn = 'count' | 'sum' | 'mean' | 'min' | 'max';

/** One aggregated output column. */
export interface AggregateColumnSpec {
  /** `count` counts the group's rows (or its non-missing values when `column` is given). */
  fn: AggregateFn;
  /** Numeric input column (required except for `count`). */
  column?: string;
}

/** A group-by aggregation. */
export interface AggregateSpec {
  /** Op name, e.g. `bureau per applicant`. */
  name: string;
  /** Group key columns. */
  by: readonly string[];
  /** Output column name → aggregation. */
  columns: Record<string, AggregateColumnSpec>;
}

/**
 * Groups rows by key and aggregates: one output row per distinct key, in order of first
 * appearance; rows with a missing key part are dropped. Empty aggregates: `sum` is 0, `mean`,
 * `min`, `max` are missing. Provenance: each group derives from the union of its rows'.
 * Column lineage: an aggregate's sources are its input column's (a plain `count`: the keys').
 *
 * @example
 * aggregate(bureau, { name: 'bureau per applicant', by: ['SK_ID_CURR'], columns: {
 *   BUREAU_COUNT: { fn: 'count' }, BUREAU_DEBT_SUM: { fn: 'sum', column: 'AMT_CREDIT_SUM_DEBT' } } });
 */
export function aggregate(frame: Frame, spec: AggregateSpec): Frame {
  if (spec.by.length === 0)
    throw new UsageError(
      'lineage.badAggregate',
      `aggregate "${spec.name}": expected at least one key column, got none`,
    );
  const keyCols = spec.by.map((k) => frame.column(k));
  const { ids, count } = encodeKeys([keyCols]);
  const raw = ids[0];
  const n = frame.rows;
  // Renumber groups by first appearance; remember each group's first row.
  const remap = new Int32Array(count).fill(-1);
  const firstRow = new Int32Array(count);
  const group = new Int32Array(n);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    if (r < 0) {
      group[i] = -1;
      continue;
    }
    let g = remap[r];
    if (g < 0) {
      g = groups++;
      remap[r] = g;
      firstRow[g] = i;
    }
    group[i] = g;
  }
  const first = groups === count ? firstRow : firstRow.slice(0, groups);
  const columns = new Map<string, Column>();
  for (let j = 0; j < spec.by.length; j++) columns.set(spec.by[j], gatherColumn(keyCols[j], first));
  let groupSize: Float64Array | undefined;
  const keySources = [...new Set(keyCols.flatMap((c) => [...c.sources]))].sort();
  const lineage: Record<string, string[]> = {};
  for (const [out, agg] of Object.entries(spec.columns)) {
    if (agg.fn === 'count' && agg.column === undefined) {
      if (!groupSize) {
        groupSize = new Float64Array(groups);
        for (let i = 0; i < n; i++) if (group[i] >= 0) groupSize[group[i]]++;
      }
      columns.set(out, numberColumn(groupSize, keySources));
      lineage[out] = [...spec.by];
      continue;
    }
    if (agg.column === undefined) {
      throw new UsageError(
        'lineage.badAggregate',
        `aggregate "${spec.name}", column "${out}": expected an input column for ${agg.fn}, got none`,
      );
    }
    const input = frame.column(agg.column);
    if (input.kind !== 'number') {
      throw new UsageError(
        'lineage.columnType',
        `aggregate "${spec.name}", column "${out}": expected numeric input "${agg.column}", got a categorical column`,
      );
    }
    columns.set(out, numberColumn(reduce(agg.fn, input.values, group, groups), input.sources));
    lineage[out] = [agg.column];
  }
  const p = frame.pipeline;
  const opId = p.tracksOps
    ? p.record(
        'aggregate',
        spec.name,
        { by: [...spec.by], columns: spec.columns, rowsIn: n, groups },
        [frame],
        { columns: lineage },
      )
    : '';
  return new Frame({
    pipeline: p,
    opId,
    rows: groups,
    columns,
    provenance: frame.provenance ? groupProvenance(frame.provenance, group, groups) : undefined,
  });
}

function reduce(fn: AggregateFn, x: Float64Array, group: Int32Array, groups: number): Float64Array {
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
