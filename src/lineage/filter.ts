import { UsageError } from '../errors.js';
import { type Column, gatherColumn, unionSources } from './column.js';
import { ColumnReader } from './column-reader.js';
import { gatherProvenance } from './csr.js';
import { Frame } from './frame.js';

/** A row filter. */
export interface FilterSpec {
  /** Op name, e.g. `valid-applications`. */
  name: string;
  /** Columns the predicate reads (column-level lineage; reading others throws). */
  inputs: readonly string[];
  /**
   * Writes 1 into `keep[i]` for every row to keep (and 0 otherwise); `keep` starts zeroed.
   * A whole-column kernel, so no per-row call is made by the framework.
   */
  keep: (columns: ColumnReader, keep: Uint8Array) => void;
  /** Extra JSON parameters to record (e.g. the threshold). */
  params?: Record<string, unknown>;
}

/**
 * Keeps the rows a predicate selects. Provenance: each kept row keeps its own (gather).
 *
 * @example
 * const adults = filter(apps, { name: 'adults', inputs: ['DAYS_BIRTH'], keep: (c, keep) => {
 *   const d = c.num('DAYS_BIRTH');
 *   for (let i = 0; i < d.length; i++) keep[i] = d[i] <= -6570 ? 1 : 0;
 * } });
 */
export function filter(frame: Frame, spec: FilterSpec): Frame {
  for (const c of spec.inputs) frame.column(c);
  const mask = new Uint8Array(frame.rows);
  spec.keep(new ColumnReader(frame, spec.inputs), mask);
  return filterByMask(frame, mask, spec.name, spec.inputs, spec.params ?? {});
}

/** Keeps rows whose `mask[i]` is non-zero (the op kind is `filter`). */
export function filterByMask(
  frame: Frame,
  mask: Uint8Array,
  name: string,
  inputs: readonly string[] = [],
  params: Record<string, unknown> = {},
): Frame {
  if (mask.length !== frame.rows) {
    throw new UsageError(
      'lineage.badMask',
      `filter "${name}": expected a mask of length ${frame.rows}, got ${mask.length}`,
    );
  }
  let kept = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) kept++;
  const index = new Int32Array(kept);
  let w = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) index[w++] = i;
  const columns = new Map<string, Column>();
  for (const [n, c] of frame.columns) columns.set(n, gatherColumn(c, index));
  const p = frame.pipeline;
  const opId = p.tracksOps
    ? p.record(
        'filter',
        name,
        {
          ...params,
          inputs: [...inputs],
          inputColumns: unionSources(inputs.map((c) => frame.column(c).sources)),
          rowsIn: frame.rows,
          rowsOut: kept,
        },
        [frame],
      )
    : '';
  return new Frame({
    pipeline: p,
    opId,
    rows: kept,
    columns,
    provenance: frame.provenance ? gatherProvenance(frame.provenance, index) : undefined,
  });
}
