/**
 * The contract between `src/lineage` (which tracks provenance in process) and `src/graph`
 * (which writes it into Neo4j). Plain data: typed arrays, no Neo4j types.
 *
 * Source rows are numbered globally within a run: file `f` owns global ids
 * `[files[f].globalOffset, files[f].globalOffset + files[f].rows)`, and global id `g` of file `f`
 * is its data row `g - globalOffset` (0-based, first record after the header is row 0).
 */
export interface LineageRun {
  /** Run id (unique per ingest). */
  runId: string;
  /** Pipeline name, e.g. `credit-risk`. */
  pipeline: string;
  /** `op`: op DAG only; `row`: row-level provenance too. */
  mode: 'op' | 'row';
  files: LineageSourceFile[];
  ops: LineageOp[];
  /** Output samples (rows of the model matrix). */
  samples: LineageSamples;
  /** Row provenance (CSR) of each sample over global source-row ids; absent in `op` mode. */
  provenance?: RowProvenance;
  /** For each output feature, the source columns (`table.column`) it came from. */
  featureColumns?: Record<string, string[]>;
  /** Feature names in model-matrix column order (optional extension). */
  featureNames?: string[];
  /** When the run started / finished (ISO 8601; optional extension). */
  startedAt?: string;
  finishedAt?: string;
  /**
   * The declared pipeline file the run executed (runs of a `traceprop.pipeline/1` file): its
   * canonical text and that text's sha256. Written as `(:Run)-[:USES]->(:Pipeline)`.
   */
  definition?: PipelineDefinition;
}

/** A declared pipeline as the graph records it (merged by `sha256`). */
export interface PipelineDefinition {
  /** Pipeline name from the file. */
  name: string;
  /** sha256 (hex) of `text`. */
  sha256: string;
  /** Canonical text of the pipeline (defaults filled in, stable key order, JSON). */
  text: string;
}

export interface LineageSourceFile {
  /** Content sha256 (hex). */
  id: string;
  /** File name, e.g. `bureau.csv`. */
  name: string;
  /** Absolute path at ingest time. */
  path: string;
  /** Logical table, e.g. `bureau`. */
  table: string;
  /** Number of data rows. */
  rows: number;
  /** First global source-row id of this file. */
  globalOffset: number;
  /** Name of the business-key column (e.g. `SK_ID_BUREAU`), when the table has one. */
  keyColumn?: string;
  /** Business-key value per data row (length `rows`), when the table has one. */
  keys?: string[];
  /** What one data subject is (e.g. `client`), when the pipeline declares this table's subject. */
  subjectName?: string;
  /** Subject id per data row (length `rows`, null: none), with `subjectName`. */
  subjects?: (string | null)[];
}

export interface LineageOp {
  /** Op id, unique within the run (e.g. `<runId>:op:3`). */
  id: string;
  /** Position in execution order, from 0. */
  seq: number;
  kind:
    | 'load'
    | 'filter'
    | 'derive'
    | 'join'
    | 'aggregate'
    | 'encode'
    | 'split'
    | 'concat'
    | 'select'
    | string;
  name: string;
  /** JSON-serialisable parameters. */
  params: Record<string, unknown>;
  /** Ids of the ops whose output this op consumes. */
  inputs: string[];
  /** For `load` ops: the id (sha256) of the file read. */
  fileId?: string;
  /**
   * Column-level lineage of this op (optional extension): output column → the input columns
   * of this op it reads (e.g. a derive's declared inputs).
   */
  columns?: Record<string, string[]>;
  /** Id of the declared pipeline step this op implements (runs of a pipeline file). */
  step?: string;
}

export interface LineageSamples {
  count: number;
  /** Business key per sample (e.g. SK_ID_CURR). */
  keys: string[];
  /**
   * The column the keys are values of (e.g. `SK_ID_CURR`; optional extension, written as
   * `Run.sampleKeyColumn`): `trace --key COLUMN=VALUE` matches it.
   */
  keyColumn?: string;
  /** Label per sample (0/1), NaN when unknown. */
  labels: Float64Array;
  /** 0 = train, 1 = test, per sample. */
  split: Uint8Array;
  /** Index of the sample within its split's model matrix. */
  index: Uint32Array;
}

/** CSR: sample `i` derives from `rowIds[offsets[i] .. offsets[i+1])` (global source-row ids). */
export interface RowProvenance {
  offsets: Uint32Array;
  rowIds: Uint32Array;
}
