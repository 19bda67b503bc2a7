import type { PipelineDefinition } from '../lineage/lineage-run.js';
import type { CsvTable } from '../lineage/read-csv.js';
import type { DeclaredRunResult, FittedState } from './declared-run-types.js';
import { type RecipeFile, recipeFileOf } from './recipe-file.js';

/**
 * How to re-run a run of a pipeline file in the same feature space (recompute-mode unlearning):
 * the pipeline (its canonical text and sha256), where its sources were read from and their
 * content hashes, what its fitting steps learnt, and the feature names. Saved with the run
 * matrix (`matrix.json`); the split is the run matrix's own, by sample key.
 */
export interface DeclaredRecipe {
  format: 'traceprop.recipe/2';
  /** Pipeline name. */
  pipeline: string;
  /** The pipeline the run executed (canonical text, as on its `Pipeline` node). */
  definition: Pick<PipelineDefinition, 'sha256' | 'text'>;
  /** Absolute data directory the sources were read from. */
  dataDir: string;
  /** The sources as read, by source name. */
  files: Record<string, RecipeFile>;
  /** The fitted state of the onehot, standardize and impute steps, by step id. */
  fitted: FittedState;
  /** Model-matrix columns in order. */
  featureNames: string[];
}

/**
 * The recipe of a run of a pipeline file: its definition (as recorded on the `Pipeline` node),
 * the data folder, the tables it read (by source name) and what the run fitted.
 */
export function declaredRecipeOf(
  definition: PipelineDefinition,
  dataDir: string,
  tables: ReadonlyMap<string, CsvTable>,
  result: Pick<DeclaredRunResult, 'fitted' | 'featureNames'>,
): DeclaredRecipe {
  return {
    format: 'traceprop.recipe/2',
    pipeline: definition.name,
    definition: { sha256: definition.sha256, text: definition.text },
    dataDir,
    files: Object.fromEntries([...tables].map(([name, t]) => [name, recipeFileOf(t)])),
    fitted: result.fitted,
    featureNames: [...result.featureNames],
  };
}
