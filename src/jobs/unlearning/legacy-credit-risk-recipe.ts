import path from 'node:path';
import type { DeclaredRecipe } from '../../pipeline-run/declared-recipe.js';
import type { FittedState } from '../../pipeline-run/declared-run-types.js';
import type { CreditRiskRecipe } from '../../pipeline-run/legacy-recipe.js';
import { canonicalPipeline } from '../../pipeline-spec/canonical-pipeline.js';
import { creditRiskPipeline } from '../../pipelines/credit-risk-spec.js';

/**
 * The recipe of a run of the former hand-written credit-risk pipeline as a recipe of the shipped
 * `pipelines/credit-risk.yaml`, which gives the same matrix, split, fitted state and provenance:
 * the pipeline reads the label from the run's label column (`header: [labelColumn]`), its sources
 * are the run's three files (`previous` is the source `previous_application`; each is read from
 * the path the run read), its onehot and standardize steps get the run's one-hot categories (no
 * other bucket) and means/sds, and the feature names are the run's. The run's split comes, as for
 * every re-derivation, from its run matrix by sample key; its seed, test fraction and category
 * limit are then not used (nothing is fitted or split again).
 *
 * @example
 * const recipe = matrix.recipe.format === 'traceprop.recipe/1' ? declaredRecipeOfLegacy(matrix.recipe) : matrix.recipe;
 */
export function declaredRecipeOfLegacy(recipe: CreditRiskRecipe): DeclaredRecipe {
  const pipeline = creditRiskPipeline({ labelColumn: recipe.labelColumn });
  const definition = canonicalPipeline(pipeline.spec);
  const fitted: FittedState = {};
  for (const step of pipeline.spec.steps) {
    if (step.kind === 'onehot') {
      const columns: Record<string, { categories: string[]; other: string | null }> = {};
      for (const [column, categories] of Object.entries(recipe.encoder.categories))
        columns[column] = { categories: [...categories], other: null };
      fitted[step.id] = { kind: 'onehot', fitOn: fitOn(pipeline.spec.steps), columns };
    } else if (step.kind === 'standardize') {
      fitted[step.id] = {
        kind: 'standardize',
        fitOn: fitOn(pipeline.spec.steps),
        means: { ...recipe.encoder.means },
        sds: { ...recipe.encoder.sds },
      };
    }
  }
  return {
    format: 'traceprop.recipe/2',
    pipeline: pipeline.spec.name,
    definition: { sha256: definition.sha256, text: definition.text },
    dataDir: path.dirname(recipe.files.application.path),
    files: {
      application: recipe.files.application,
      bureau: recipe.files.bureau,
      previous_application: recipe.files.previous,
    },
    fitted,
    featureNames: [...recipe.featureNames],
  };
}

/** What the hand-written encoders were fitted on, as a declared run says it. */
function fitOn(steps: readonly { kind: string; id: string }[]): string {
  const split = steps.find((s) => s.kind === 'split');
  return split ? `train rows of split ${split.id}` : 'all rows';
}
