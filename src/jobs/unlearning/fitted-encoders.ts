import type { RunMatrix } from '../../models/run-matrix.js';

/** One standardised column of a run's fitted state. */
interface FittedScaledColumn {
  /** Step id (`encoder` for a `traceprop.recipe/1` run). */
  step: string;
  column: string;
  mean: number;
  sd: number;
  /** True when the step was fitted on all rows, false when on the train rows of a split. */
  allRows: boolean;
}

/** One one-hot encoded column of a run's fitted state. */
interface FittedOneHotColumn {
  step: string;
  column: string;
  /** The levels it kept, in indicator order (the `other` bucket is not a level). */
  categories: string[];
  allRows: boolean;
}

/** The encoders and scalers a run fitted, as its recipe keeps them. */
export interface FittedEncoders {
  scaled: FittedScaledColumn[];
  onehot: FittedOneHotColumn[];
  /** Fitting steps whose state the drift does not measure (impute steps), by step id. */
  notMeasured: string[];
}

/**
 * The fitted encoder and scaler state of a run, from the recipe saved with its run matrix:
 * `traceprop.recipe/2` (a pipeline file: every onehot and standardize step, by step id) or
 * `traceprop.recipe/1` (the former hand-written credit-risk pipeline: its one encoder, fitted on
 * the train rows). `null` when the matrix was saved without a recipe (no fitted state is known).
 */
export function fittedEncodersOf(matrix: Pick<RunMatrix, 'recipe'>): FittedEncoders | null {
  const recipe = matrix.recipe;
  if (!recipe) return null;
  const out: FittedEncoders = { scaled: [], onehot: [], notMeasured: [] };
  if (recipe.format === 'traceprop.recipe/1') {
    const { means, sds, categories } = recipe.encoder;
    for (const column of Object.keys(means))
      out.scaled.push({ step: 'encoder', column, mean: means[column], sd: sds[column], allRows: false });
    for (const [column, cats] of Object.entries(categories))
      out.onehot.push({ step: 'encoder', column, categories: [...cats], allRows: false });
    return out;
  }
  for (const [step, state] of Object.entries(recipe.fitted)) {
    const allRows = state.fitOn === 'all rows';
    if (state.kind === 'standardize') {
      for (const column of Object.keys(state.means))
        out.scaled.push({ step, column, mean: state.means[column], sd: state.sds[column], allRows });
    } else if (state.kind === 'onehot') {
      for (const [column, c] of Object.entries(state.columns))
        out.onehot.push({ step, column, categories: [...c.categories], allRows });
    } else out.notMeasured.push(step);
  }
  return out;
}
