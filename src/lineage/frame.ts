import { UsageError } from '../errors.js';
import type { CategoryColumn, Column } from './column.js';
import type { RowProvenance } from './lineage-run.js';
import type { Pipeline } from './pipeline.js';

/** What a {@link Frame} is made of. */
export interface FrameConfig {
  /** The pipeline that tracks this frame (and records the op that produced it). */
  pipeline: Pipeline;
  /** Id of the op that produced this frame (`''` when the pipeline does not track ops). */
  opId: string;
  /** Number of rows. */
  rows: number;
  /** Columns by name, in output order. */
  columns: ReadonlyMap<string, Column>;
  /** Row provenance (CSR over global source-row ids); present only in `row` mode. */
  provenance?: RowProvenance;
}

/**
 * An immutable columnar table whose rows know the source rows they came from. Frames are made
 * by `loadCsv`/`Pipeline.source` and by the transforms (`filter`, `derive`, `join`, …); each
 * transform records an op in the frame's {@link Pipeline}.
 */
export class Frame {
  /** The tracking pipeline. */
  readonly pipeline: Pipeline;
  /** Id of the op that produced this frame (`''` when ops are not tracked). */
  readonly opId: string;
  /** Number of rows. */
  readonly rows: number;
  /** Columns by name, in order. */
  readonly columns: ReadonlyMap<string, Column>;
  /** Row provenance in CSR form (`row` mode only). */
  readonly provenance?: RowProvenance;

  constructor(config: FrameConfig) {
    this.pipeline = config.pipeline;
    this.opId = config.opId;
    this.rows = config.rows;
    this.columns = config.columns;
    this.provenance = config.provenance;
  }

  /** Column names, in order. */
  get names(): string[] {
    return [...this.columns.keys()];
  }

  /** True when the frame has a column of that name. */
  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** The named column; throws `lineage.unknownColumn` when absent. */
  column(name: string): Column {
    const c = this.columns.get(name);
    if (!c) {
      throw new UsageError(
        'lineage.unknownColumn',
        `frame has no column "${name}" (columns: ${this.names.join(', ')})`,
      );
    }
    return c;
  }

  /** The values of a numeric column; throws `lineage.columnType` for a categorical one. */
  num(name: string): Float64Array {
    const c = this.column(name);
    if (c.kind !== 'number') {
      throw new UsageError(
        'lineage.columnType',
        `column "${name}": expected a numeric column, got a categorical one`,
      );
    }
    return c.values;
  }

  /** A categorical column; throws `lineage.columnType` for a numeric one. */
  cat(name: string): CategoryColumn {
    const c = this.column(name);
    if (c.kind !== 'category') {
      throw new UsageError(
        'lineage.columnType',
        `column "${name}": expected a categorical column, got a numeric one`,
      );
    }
    return c;
  }

  /**
   * Global source-row ids row `i` derives from (a view into the CSR arrays; may contain
   * repeats after self-joins). Throws `lineage.noProvenance` unless the pipeline is in `row` mode.
   */
  sourceRows(i: number): Uint32Array {
    const p = this.provenance;
    if (!p) {
      throw new UsageError(
        'lineage.noProvenance',
        `row provenance is tracked only in "row" mode (this pipeline: "${this.pipeline.mode}")`,
      );
    }
    return p.rowIds.subarray(p.offsets[i], p.offsets[i + 1]);
  }

  /** A new frame with the same rows, other columns, and the given producing op. */
  withColumns(columns: ReadonlyMap<string, Column>, opId: string): Frame {
    return new Frame({
      pipeline: this.pipeline,
      opId,
      rows: this.rows,
      columns,
      provenance: this.provenance,
    });
  }
}
