import { UsageError } from '../errors.js';
import { countCodes, countDistinct, firstOrLast, reduceNumbers, shareOfOnes } from './aggregate-reduce.js';
import { type Column, gatherColumn, numberColumn } from './column.js';
import { groupProvenance } from './csr.js';
import { Frame } from './frame.js';
import { encodeKeys } from './key-index.js';

/**
 * Aggregation functions of {@link aggregate}. Missing values are skipped. `count_distinct`,
 * `first`, `last` and `count` (with a column) take numeric or categorical columns; `first` and
 * `last` follow row order within the group. `share` is the fraction of the group's rows whose
 * (0/1) column is 1, missing counting as not 1.
 */
export type AggregateFn =
  | 'count'
  | 'count_distinct'
  | 'sum'
  | 'mean'
  | 'min'
  | 'max'
  | 'first'
  | 'last'
  | 'share';

/** One aggregated output column. */
export interface AggregateColumnSpec {
  /** `count` counts the group's rows (or its non-missing values when `column` is given). */
  fn: AggregateFn;
  /** Input column (required except for `count`); numeric for sum, mean, min, max, share. */
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
    columns.set(out, reduceColumn(spec.name, out, agg, frame.column(agg.column), group, groups));
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

function reduceColumn(
  op: string,
  out: string,
  agg: AggregateColumnSpec,
  input: Column,
  group: Int32Array,
  groups: number,
): Column {
  const fn = agg.fn;
  if (fn === 'first' || fn === 'last') return firstOrLast(fn, input, group, groups);
  if (fn === 'count_distinct') return numberColumn(countDistinct(input, group, groups), input.sources);
  if (input.kind === 'category') {
    if (fn === 'count') return numberColumn(countCodes(input.codes, group, groups), input.sources);
    throw new UsageError(
      'lineage.columnType',
      `aggregate "${op}", column "${out}": expected numeric input "${agg.column}" for ${fn}, got a categorical column`,
    );
  }
  const values =
    fn === 'share'
      ? shareOfOnes(input.values, group, groups)
      : reduceNumbers(fn, input.values, group, groups);
  return numberColumn(values, input.sources);
}
