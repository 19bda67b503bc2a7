import type { CsrMatrix } from '../attribution/csr-matrix.js';
import type { RowProvenance } from '../lineage/lineage-run.js';
import type { DeclaredRecipe } from '../pipeline-run/declared-recipe.js';
import type { CreditRiskRecipe } from '../pipeline-run/legacy-recipe.js';
import type { ProtectedGroups } from '../pipeline-run/protected-groups.js';

/**
 * The model matrix of an ingest run, as training and unlearning need it: one row per Sample
 * (in Sample order), train and test alike. Saved by ingest with {@link saveRunMatrix}.
 */
export interface RunMatrix {
  runId: string;
  /** Features, one row per sample (CSR; standardised numerics and one-hots are mostly zero). */
  features: CsrMatrix;
  /** Feature names in column order. */
  featureNames: string[];
  /** 0/1 label per sample (NaN when unknown). */
  labels: Float64Array;
  /** 0 = train, 1 = test, per sample. */
  split: Uint8Array;
  /** The id of each sample's `Sample` node. */
  sampleIds: string[];
  /** Business key per sample. */
  sampleKeys: string[];
  /** Row provenance per sample over global source-row ids (absent for `op`-mode runs). */
  provenance?: RowProvenance;
  /** The run's source files and their global-id ranges (to map global ids to `<fileId>:<row>`). */
  sourceFiles?: { id: string; name: string; table: string; rows: number; globalOffset: number }[];
  /**
   * Column-level lineage per feature (in column order): the source columns `table.column` it
   * came from (empty: none known). Absent for matrices saved before it was kept, or without
   * lineage; attribution then shares by the samples' rows instead of by features.
   */
  featureColumns?: string[][];
  /**
   * How to re-derive the samples in the same feature space (the pipeline, files + sha256, fitted
   * state, feature names); needed by recompute-mode unlearning. `traceprop.recipe/2` for runs of
   * a pipeline file, `traceprop.recipe/1` for runs of the former hand-written credit-risk pipeline
   * (re-derived through pipelines/credit-risk.yaml).
   */
  recipe?: CreditRiskRecipe | DeclaredRecipe;
  /**
   * The groups of each sample for the protected attributes the pipeline declares
   * (`sample.protected`), kept out of the features for the model report's bias examination.
   * Absent: none declared (or a matrix saved before they were kept). An erasure blanks a
   * dropped sample's groups (null) as it blanks its key.
   */
  protectedGroups?: ProtectedGroups[];
  /**
   * Rows an erasure scrubbed (features emptied; a dropped sample's label NaN): no active model
   * reads them from here any more, and reading one is refused (`modelRowsOf`).
   */
  scrubbedRows?: ReadonlySet<number>;
  /**
   * Aggregates of the matrix as ingested, saved by the first scrub so that measures over the
   * rows as fitted (the encoder drift) still work once rows are gone. Opaque here: its
   * producer (`encoderFitBaseline`) defines and checks it.
   */
  fitBaseline?: unknown;
}
