import type { RecipeFile } from './recipe-file.js';

/** What the hand-written credit-risk pipeline's encoders learnt (train statistics of the run). */
interface CreditRiskEncoderState {
  /** One-hot categories per categorical column, in output order. */
  categories: Record<string, string[]>;
  /** Standardisation means per numeric column. */
  means: Record<string, number>;
  /** Standardisation sds per numeric column (> 0). */
  sds: Record<string, number>;
}

/**
 * The recipe of a run of the hand-written credit-risk pipeline that Traceprop had before
 * `pipelines/credit-risk.yaml` replaced it (`traceprop.recipe/1`), as runs already in users'
 * graphs saved it with their run matrix (`matrix.json`): the three files (paths and content
 * hashes; keys `application`, `bureau`, `previous`), the options, the fitted encoder state and the
 * feature names. Recompute-mode unlearning re-derives such a run through the shipped pipeline
 * (`declaredRecipeOfLegacy`, src/jobs/unlearning).
 */
export interface CreditRiskRecipe {
  format: 'traceprop.recipe/1';
  pipeline: 'credit-risk';
  files: Record<'application' | 'bureau' | 'previous', RecipeFile>;
  labelColumn: string;
  seed: number;
  testFraction: number;
  maxCategories: number;
  encoder: CreditRiskEncoderState;
  featureNames: string[];
}
