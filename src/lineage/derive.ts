import { UsageError } from '../errors.js';
import { type Column, categoryColumn, numberColumn, unionSources } from './column.js';
import { ColumnReader } from './column-reader.js';
import type { Frame } from './frame.js';

/** One derived column: numeric (`compute`) or categorical (`computeCategory`). */
export type DeriveSpec = NumberDeriveSpec | CategoryDeriveSpec;

/** What every derived column declares. */
interface DeriveSpecBase {
  /** Output column name (replaces a column of that name if present). */
  name: string;
  /** Input columns the kernel reads (column-level lineage; reading others throws). */
  inputs: readonly string[];
  /** Extra JSON parameters to record (e.g. the formula as text). */
  params?: Record<string, unknown>;
}

/** A derived numeric column. */
interface NumberDeriveSpec extends DeriveSpecBase {
  /** Fills `out` (length = rows, zero-filled) from the inputs: a whole-column kernel. */
  compute: (columns: ColumnReader, out: Float64Array) => void;
}

/** A derived categorical (string) column. */
interface CategoryDeriveSpec extends DeriveSpecBase {
  /** Returns one dictionary code per row (`-1` missing) and the dictionary: a whole-column kernel. */
  computeCategory: (columns: ColumnReader) => { codes: Int32Array; dictionary: readonly string[] };
}

/**
 * Adds (or replaces) numeric or categorical columns computed from declared input columns. Rows are unchanged,
 * so provenance is shared with the input. Each output column's sources are the union of its
 * inputs' sources. Several specs in one call make one `derive` op.
 *
 * @example
 * derive(apps, [{ name: 'CREDIT_INCOME_RATIO', inputs: ['AMT_CREDIT', 'AMT_INCOME_TOTAL'],
 *   params: { formula: 'AMT_CREDIT / AMT_INCOME_TOTAL' },
 *   compute: (c, out) => { const a = c.num('AMT_CREDIT'), b = c.num('AMT_INCOME_TOTAL');
 *     for (let i = 0; i < out.length; i++) out[i] = a[i] / b[i]; } }]);
 */
export function derive(frame: Frame, specs: DeriveSpec | readonly DeriveSpec[], opName?: string): Frame {
  const list: readonly DeriveSpec[] = Array.isArray(specs) ? specs : [specs as DeriveSpec];
  if (list.length === 0)
    throw new UsageError('lineage.emptyDerive', 'derive: expected at least one column spec, got none');
  const columns = new Map<string, Column>(frame.columns);
  const p = frame.pipeline;
  const lineage: Record<string, string[]> = {};
  for (const spec of list) {
    for (const c of spec.inputs) frame.column(c);
    const sources = unionSources(spec.inputs.map((c) => frame.column(c).sources));
    const reader = new ColumnReader(frame, spec.inputs);
    if ('computeCategory' in spec) {
      const { codes, dictionary } = spec.computeCategory(reader);
      if (codes.length !== frame.rows)
        throw new UsageError(
          'lineage.badMask',
          `derive "${spec.name}": expected ${frame.rows} category codes (one per row), got ${codes.length}`,
        );
      columns.set(spec.name, categoryColumn(codes, dictionary, sources));
    } else {
      const out = new Float64Array(frame.rows);
      spec.compute(reader, out);
      columns.set(spec.name, numberColumn(out, sources));
    }
    if (p.tracksOps) lineage[spec.name] = [...spec.inputs];
  }
  const opId = p.tracksOps
    ? p.record(
        'derive',
        opName ?? `derive ${list.map((s) => s.name).join(', ')}`,
        { columns: list.map((s) => ({ name: s.name, inputs: [...s.inputs], ...(s.params ?? {}) })) },
        [frame],
        { columns: lineage },
      )
    : '';
  return frame.withColumns(columns, opId);
}
