import { UsageError } from '../errors.js';
import { type Column, gatherColumn } from './column.js';
import { pairProvenance } from './csr.js';
import { Frame } from './frame.js';
import { checkJoinCardinality, type JoinCardinality } from './join-cardinality.js';
import { encodeKeys } from './key-index.js';

/** A join of two frames. */
export interface JoinSpec {
  /** Op name, e.g. `join bureau aggregates`. */
  name: string;
  /** Key columns: same names on both sides, or `{ left, right }` name lists of equal length. */
  on: readonly string[] | { left: readonly string[]; right: readonly string[] };
  /** `inner` keeps matched rows only; `left` keeps every left row (default `inner`). */
  how?: 'inner' | 'left';
  /** Suffix for right columns whose name collides with a left column (default `_right`). */
  suffix?: string;
  /**
   * Declared cardinality, checked on the data before joining (`pipeline.joinCardinality` names
   * the first offending key): `many-to-one` (no right key twice), `one-to-one` (nor left key).
   */
  cardinality?: JoinCardinality;
}

/**
 * Joins `right` onto `left` on one or more keys (hash join; one output row per matching pair,
 * in left-row order; unmatched left rows in a `left` join get missing right values). The
 * right key columns are not repeated in the output. Rows with a missing key never match.
 * Provenance: each output row derives from its left row's sources and its right row's sources
 * (concatenated).
 */
export function join(left: Frame, right: Frame, spec: JoinSpec): Frame {
  if (left.pipeline !== right.pipeline) {
    throw new UsageError(
      'lineage.foreignFrame',
      `join "${spec.name}": the two frames belong to different pipelines`,
    );
  }
  const how = spec.how ?? 'inner';
  const lk = Array.isArray(spec.on)
    ? (spec.on as readonly string[])
    : (spec.on as { left: readonly string[] }).left;
  const rk = Array.isArray(spec.on)
    ? (spec.on as readonly string[])
    : (spec.on as { right: readonly string[] }).right;
  if (lk.length === 0 || lk.length !== rk.length) {
    throw new UsageError(
      'lineage.badJoin',
      `join "${spec.name}": expected the same positive number of left and right keys, got ${lk.length} and ${rk.length}`,
    );
  }
  const keys = encodeKeys([lk.map((k) => left.column(k)), rk.map((k) => right.column(k))]);
  const lid = keys.ids[0];
  const rid = keys.ids[1];
  if (spec.cardinality !== undefined) {
    checkJoinCardinality(
      spec.name,
      spec.cardinality,
      keys.count,
      { side: 'left', frame: left, keys: lk, ids: lid },
      { side: 'right', frame: right, keys: rk, ids: rid },
    );
  }
  // Right rows grouped by key id (counting sort): rowsOf[start[k] .. start[k+1]).
  const start = new Int32Array(keys.count + 1);
  for (let i = 0; i < rid.length; i++) if (rid[i] >= 0) start[rid[i] + 1]++;
  for (let k = 0; k < keys.count; k++) start[k + 1] += start[k];
  const cursor = start.slice(0, keys.count);
  const rowsOf = new Int32Array(start[keys.count]);
  for (let i = 0; i < rid.length; i++) if (rid[i] >= 0) rowsOf[cursor[rid[i]]++] = i;
  // Pass 1: count output rows; pass 2: fill the (left, right) row pairs.
  const keepUnmatched = how === 'left' ? 1 : 0;
  let n = 0;
  for (let i = 0; i < lid.length; i++) {
    const k = lid[i];
    const m = k < 0 ? 0 : start[k + 1] - start[k];
    n += m > 0 ? m : keepUnmatched;
  }
  const li = new Int32Array(n);
  const ri = new Int32Array(n);
  let w = 0;
  for (let i = 0; i < lid.length; i++) {
    const k = lid[i];
    const a = k < 0 ? 0 : start[k];
    const b = k < 0 ? 0 : start[k + 1];
    if (a === b) {
      if (keepUnmatched) {
        li[w] = i;
        ri[w++] = -1;
      }
      continue;
    }
    for (let j = a; j < b; j++) {
      li[w] = i;
      ri[w++] = rowsOf[j];
    }
  }
  let identity = n === left.rows;
  for (let k = 0; identity && k < n; k++) identity = li[k] === k;
  const suffix = spec.suffix ?? '_right';
  const columns = new Map<string, Column>();
  for (const [name, c] of left.columns) columns.set(name, identity ? c : gatherColumn(c, li));
  const rightNames: Record<string, string> = {};
  for (const [name, c] of right.columns) {
    if (rk.includes(name)) continue;
    const out = columns.has(name) ? `${name}${suffix}` : name;
    if (columns.has(out)) {
      throw new UsageError(
        'lineage.duplicateColumn',
        `join "${spec.name}": column "${out}" exists on both sides even with suffix "${suffix}"`,
      );
    }
    rightNames[name] = out;
    columns.set(out, gatherColumn(c, ri));
  }
  const p = left.pipeline;
  const opId = p.tracksOps
    ? p.record(
        'join',
        spec.name,
        {
          how,
          leftKeys: [...lk],
          rightKeys: [...rk],
          rowsLeft: left.rows,
          rowsRight: right.rows,
          rowsOut: n,
          rightColumns: rightNames,
          ...(spec.cardinality === undefined ? {} : { cardinality: spec.cardinality }),
        },
        [left, right],
      )
    : '';
  return new Frame({
    pipeline: p,
    opId,
    rows: n,
    columns,
    provenance:
      left.provenance && right.provenance
        ? pairProvenance(left.provenance, right.provenance, li, ri)
        : undefined,
  });
}
