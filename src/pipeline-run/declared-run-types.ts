import type { FeatureMatrix } from '../lineage/feature-matrix.js';
import type { Frame } from '../lineage/frame.js';
import type { ImputeStrategy, ImputeValue } from '../lineage/imputer.js';
import type { LineageRun, PipelineDefinition } from '../lineage/lineage-run.js';
import type { TrackingMode } from '../lineage/pipeline.js';
import type { ProtectedGroups } from './protected-groups.js';

/** What a one-hot step learnt: per column, its categories in indicator order and its other bucket. */
export interface FittedOneHot {
  kind: 'onehot';
  /** What it was fitted on, e.g. `train rows of split samples`, `all rows`. */
  fitOn: string;
  columns: Record<string, { categories: string[]; other: string | null }>;
}

/** What a standardize step learnt: per column, the mean and sd (> 0) it scales with. */
export interface FittedStandardize {
  kind: 'standardize';
  fitOn: string;
  means: Record<string, number>;
  sds: Record<string, number>;
}

/** What an impute step learnt: per column, the value its missing values become (`null`: none). */
export interface FittedImpute {
  kind: 'impute';
  fitOn: string;
  strategy: ImputeStrategy;
  values: Record<string, ImputeValue>;
}

/** The fitted state of one fitting step. */
export type FittedStep = FittedOneHot | FittedStandardize | FittedImpute;

/**
 * What the fitting steps of a run learnt, by step id (plain JSON): a re-run given it (`reuse`)
 * fits nothing and puts the same samples in the same feature space.
 */
export type FittedState = Record<string, FittedStep>;

/**
 * The rows a filter step with `max_left_out` left out (within its limit). Fractions are of the
 * filter's input rows, which for a filter of a source are its data rows minus any erased rows.
 */
export interface LeftOutReport {
  /** The filter's input (a source name or a step id). */
  input: string;
  /** Rows left out. */
  count: number;
  /** Input rows. */
  rows: number;
  /** `count / rows` (0 for an empty input). */
  rate: number;
  /**
   * The first few rows left out: the source's 0-based data row while the filter's input rows are
   * a source's rows (a source, or a derive, select, drop or fitting step of one), else the row
   * of its input table; and the values of the columns `where` reads (null: missing).
   */
  examples: { row: number; values: Record<string, number | string | null> }[];
}

/** An earlier run's state that a re-run reuses instead of fitting and splitting (recompute). */
export interface DeclaredReuse {
  fitted: FittedState;
  /** The earlier run's split by sample key: 0 = train, 1 = test. */
  splitByKey: ReadonlyMap<string, number>;
  /** The earlier run's feature names (the re-run must give the same). */
  featureNames: readonly string[];
  /** Where the state comes from, recorded in the ops (e.g. `run <id>`). */
  from: string;
}

/** A progress event of a declared run. */
interface DeclaredRunProgress {
  /** `load <source>`, `step <id>` or `sample`. */
  stage: string;
  done: number;
  total: number;
}

/** Options of {@link runDeclaredPipeline}. */
export interface DeclaredRunOptions {
  /** Tracking mode (default `row`). */
  mode?: TrackingMode;
  /** Run id (default: a random UUID). */
  runId?: string;
  /** The pipeline file as the graph records it (kept as `LineageRun.definition`). */
  definition?: PipelineDefinition;
  /**
   * Per source name: 0-based data rows left out right after the load, by a `filter` op that lists
   * them (recompute-mode unlearning).
   */
  excludeRows?: Record<string, readonly number[]>;
  /** Per source name: the unlearning requests that erased its `excludeRows` (named in the op). */
  excludedBy?: Record<string, readonly string[]>;
  /**
   * Per source name: keep only these data rows right after the load (re-derive some samples of an
   * earlier run: the rows they derive from). Requires `reuse`.
   */
  onlyRows?: Record<string, ReadonlySet<number>>;
  /** Re-use an earlier run's fitted state, split and feature names. */
  reuse?: DeclaredReuse;
  onProgress?: (event: DeclaredRunProgress) => void;
}

/** What a declared run produces. */
export interface DeclaredRunResult {
  /** Row-major samples × features matrix (missing values stay NaN, as `toFeatureMatrix` keeps them). */
  matrix: FeatureMatrix;
  /** Matrix column names: the features in listed order, a one-hot column as its indicators. */
  featureNames: string[];
  /** 0/1 label per sample. */
  labels: Float64Array;
  /** Sample key per sample (texts; numbers as `String(n)`). */
  keys: string[];
  /** 0 = train, 1 = test, per sample. */
  split: Uint8Array;
  /** The run's lineage (absent in mode `none`). */
  lineage?: LineageRun;
  /** The sample table's frame (rows = samples). */
  frame: Frame;
  /** What the fitting steps learnt (or reused). */
  fitted: FittedState;
  /**
   * Feature-quality notes (missing values in the matrix, constant or all-missing features, …) and
   * the rows filters with `max_left_out` left out.
   */
  warnings: string[];
  /** What each filter step with `max_left_out` left out, by step id (none: `{}`). */
  leftOut: Record<string, LeftOutReport>;
  /** Per declared protected attribute (`sample.protected`), each sample's group; `[]`: none declared. */
  protectedGroups: ProtectedGroups[];
}
