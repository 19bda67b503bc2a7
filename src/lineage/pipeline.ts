import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Column } from './column.js';
import { identityProvenance, normaliseProvenance } from './csr.js';
import { Frame } from './frame.js';
import type { LineageOp, LineageRun, LineageSourceFile, PipelineDefinition } from './lineage-run.js';
import type { CsvTable } from './read-csv.js';

/**
 * How much a {@link Pipeline} tracks: `none` (nothing: the untracked twin used to measure
 * overhead), `op` (the op DAG and column-level lineage), `row` (also row provenance).
 */
export type TrackingMode = 'none' | 'op' | 'row';

/** Configuration of a {@link Pipeline}. */
export interface PipelineConfig {
  /** Pipeline name, e.g. `credit-risk`. */
  name: string;
  /** Tracking mode (default `row`). */
  mode?: TrackingMode;
  /** Run id (default: a random UUID). */
  runId?: string;
}

/** What {@link Pipeline.finish} needs to describe the output samples. */
export interface PipelineOutput {
  /** The final frame (its rows are the samples, in order). */
  frame: Frame;
  /** Business key per sample. */
  keys: string[];
  /** The column `keys` are values of (e.g. `SK_ID_CURR`), when they are a column's values. */
  keyColumn?: string;
  /** Label per sample (NaN when unknown). */
  labels: Float64Array;
  /** 0 = train, 1 = test, per sample. */
  split: Uint8Array;
  /** Feature columns of the model matrix (for column-level lineage). */
  featureNames?: readonly string[];
  /** The declared pipeline file the run executed (kept as `LineageRun.definition`). */
  definition?: PipelineDefinition;
}

/**
 * The lineage tracker of one run: it registers source files (giving their rows global ids),
 * records every op (id, seq, kind, name, params, inputs) and, at the end, produces the
 * {@link LineageRun} that `src/graph` writes to Neo4j.
 *
 * @example
 * const p = new Pipeline({ name: 'demo', mode: 'row' });
 * const t = await loadCsv(p, 'application.csv', { keyColumn: 'SK_ID_CURR' });
 * const f = derive(t, { name: 'AGE', inputs: ['DAYS_BIRTH'], compute: (c, out) => {
 *   const d = c.num('DAYS_BIRTH');
 *   for (let i = 0; i < d.length; i++) out[i] = -d[i] / 365.25;
 * } });
 * const run = p.finish({ frame: f, keys, labels, split, featureNames: ['AGE'] });
 */
export class Pipeline {
  /** Pipeline name. */
  readonly name: string;
  /** Tracking mode. */
  readonly mode: TrackingMode;
  /** Run id. */
  readonly runId: string;
  /** When the pipeline was created (ISO time). */
  readonly startedAt: string;
  /** Ops recorded so far, in execution order. */
  readonly ops: LineageOp[] = [];
  /** Source files registered so far. */
  readonly files: LineageSourceFile[] = [];
  private nextGlobal = 0;
  private currentStep: string | undefined;

  constructor(config: PipelineConfig) {
    this.name = config.name;
    this.mode = config.mode ?? 'row';
    this.runId = config.runId ?? randomUUID();
    this.startedAt = new Date().toISOString();
  }

  /** True when ops are recorded (`op` and `row` modes). */
  get tracksOps(): boolean {
    return this.mode !== 'none';
  }

  /** True when row provenance is tracked (`row` mode). */
  get tracksRows(): boolean {
    return this.mode === 'row';
  }

  /**
   * Tags the ops recorded from now on with a declared pipeline step id (`LineageOp.step`), until
   * the next call; `undefined` stops tagging. The pipeline-file executor calls it per step.
   */
  beginStep(stepId: string | undefined): void {
    this.currentStep = stepId;
  }

  /** The declared step being run (set by {@link Pipeline.beginStep}), for error messages. */
  get step(): string | undefined {
    return this.currentStep;
  }

  /**
   * Records an op and returns its id (`''` in `none` mode, where nothing is recorded).
   * Transforms call this; user code rarely needs to.
   */
  record(
    kind: string,
    name: string,
    params: Record<string, unknown>,
    inputs: readonly Frame[],
    extra: Partial<Pick<LineageOp, 'fileId' | 'columns'>> = {},
  ): string {
    if (this.mode === 'none') return '';
    for (const f of inputs) {
      if (f.pipeline !== this) {
        throw new UsageError(
          'lineage.foreignFrame',
          `op "${name}": an input frame belongs to another pipeline (${f.pipeline.name}/${f.pipeline.runId})`,
        );
      }
    }
    const seq = this.ops.length;
    const id = `${this.runId}:op:${seq}`;
    const op: LineageOp = { id, seq, kind, name, params, inputs: inputs.map((f) => f.opId) };
    if (extra.fileId !== undefined) op.fileId = extra.fileId;
    if (extra.columns !== undefined) op.columns = extra.columns;
    if (this.currentStep !== undefined) op.step = this.currentStep;
    this.ops.push(op);
    return id;
  }

  /**
   * Starts a frame from a parsed CSV file: registers the file (its rows get global ids; the
   * same content registered twice for the same table shares its ids), records a `load` op and,
   * in `row` mode, gives row `i` the provenance `{globalOffset + i}`.
   */
  source(table: CsvTable): Frame {
    let globalOffset = 0;
    let fileId = '';
    if (this.mode !== 'none') {
      let file = this.files.find((f) => f.id === table.sha256 && f.table === table.table);
      if (!file) {
        file = {
          id: table.sha256,
          name: table.name,
          path: table.path,
          table: table.table,
          rows: table.rows,
          globalOffset: this.nextGlobal,
        };
        if (table.keyColumn) {
          file.keyColumn = table.keyColumn;
          file.keys = table.keys;
        }
        this.nextGlobal += table.rows;
        if (this.nextGlobal > 0xffffffff) {
          throw new UsageError(
            'lineage.tooManyRows',
            `more than 2^32 source rows in one run (at ${table.name})`,
          );
        }
        this.files.push(file);
      }
      globalOffset = file.globalOffset;
      fileId = file.id;
    }
    const columns = new Map<string, Column>(table.columns);
    const opId = this.record(
      'load',
      `load ${table.table}`,
      {
        path: table.path,
        name: table.name,
        table: table.table,
        rows: table.rows,
        columns: [...columns.keys()],
      },
      [],
      { fileId },
    );
    return new Frame({
      pipeline: this,
      opId,
      rows: table.rows,
      columns,
      provenance: this.mode === 'row' ? identityProvenance(globalOffset, table.rows) : undefined,
    });
  }

  /**
   * The {@link LineageRun} of this pipeline: files, ops, samples and (in `row` mode) each
   * sample's provenance as a set (ids sorted, no repeats). Throws `lineage.untracked` in
   * `none` mode.
   */
  finish(output: PipelineOutput): LineageRun {
    if (this.mode === 'none') {
      throw new UsageError(
        'lineage.untracked',
        `pipeline "${this.name}" runs in mode "none": there is no lineage to finish`,
      );
    }
    const { frame, keys, labels, split } = output;
    const n = frame.rows;
    if (keys.length !== n || labels.length !== n || split.length !== n) {
      throw new UsageError(
        'lineage.badOutput',
        `finish: expected keys, labels and split of length ${n} (the frame's rows), got ${keys.length}, ${labels.length}, ${split.length}`,
      );
    }
    const index = new Uint32Array(n);
    let train = 0;
    let test = 0;
    for (let i = 0; i < n; i++) index[i] = split[i] === 0 ? train++ : test++;
    const run: LineageRun = {
      runId: this.runId,
      pipeline: this.name,
      mode: this.mode,
      files: this.files,
      ops: this.ops,
      samples: {
        count: n,
        keys,
        labels,
        split,
        index,
        ...(output.keyColumn ? { keyColumn: output.keyColumn } : {}),
      },
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
    };
    if (this.mode === 'row' && frame.provenance) run.provenance = normaliseProvenance(frame.provenance);
    const names = output.featureNames ?? frame.names;
    const featureColumns: Record<string, string[]> = {};
    for (const f of names) featureColumns[f] = [...frame.column(f).sources];
    run.featureColumns = featureColumns;
    run.featureNames = [...names];
    if (output.definition) run.definition = output.definition;
    return run;
  }
}
