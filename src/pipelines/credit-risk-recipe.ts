import type { RecipeFile } from '../pipeline-run/recipe-file.js';

/** The three input tables of the credit-risk pipeline, as named in {@link CreditRiskFiles}. */
export type CreditRiskTableName = 'application' | 'bureau' | 'previous';

/** The table names, in pipeline order. */
export const creditRiskTableNames: readonly CreditRiskTableName[] = ['application', 'bureau', 'previous'];

/** The encoders' fitted state (train statistics of the original run). */
interface CreditRiskEncoderState {
  /** One-hot categories per categorical column, in output order. */
  categories: Record<string, string[]>;
  /** Standardisation means per numeric column. */
  means: Record<string, number>;
  /** Standardisation sds per numeric column (> 0). */
  sds: Record<string, number>;
}

/**
 * Everything needed to re-run a credit-risk run in the same feature space (recompute-mode
 * unlearning): the files (paths and content hashes), the options, the fitted encoder state and
 * the feature names. Saved with the run matrix (`matrix.json`); the split is the run matrix's own.
 */
export interface CreditRiskRecipe {
  format: 'traceprop.recipe/1';
  pipeline: 'credit-risk';
  files: Record<CreditRiskTableName, RecipeFile>;
  labelColumn: string;
  seed: number;
  testFraction: number;
  maxCategories: number;
  encoder: CreditRiskEncoderState;
  featureNames: string[];
}

/**
 * What a re-run re-uses from the original run so that its rows are comparable with the trained
 * model: the encoder state and feature names (from the recipe) and the split, by sample key.
 */
export interface CreditRiskReuse {
  encoder: CreditRiskEncoderState;
  featureNames: readonly string[];
  /** Original split per sample key (SK_ID_CURR): 0 = train, 1 = test. */
  splitByKey: ReadonlyMap<string, number>;
  /** Where the state comes from, recorded in the ops (e.g. `run <id>`). */
  from: string;
}
