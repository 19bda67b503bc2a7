import type { CreditRiskEncoderState } from '../pipeline-run/legacy-recipe.js';

/** The three input tables of the credit-risk pipeline, as named in {@link CreditRiskFiles}. */
export type CreditRiskTableName = 'application' | 'bureau' | 'previous';

/** The table names, in pipeline order. */
export const creditRiskTableNames: readonly CreditRiskTableName[] = ['application', 'bureau', 'previous'];

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
