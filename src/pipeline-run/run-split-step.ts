import { InputError, UsageError } from '../errors.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { ExpressionError } from '../expressions/expression-error.js';
import { trainTestSplit } from '../lineage/train-test-split.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import { expressionTypes } from '../pipeline-spec/table-schema.js';
import type { RunContext, TableState } from './run-context.js';
import { keyTexts, markUniqueKeys } from './sample-keys.js';
import { stepOpName } from './step-op-name.js';

/**
 * A split step: a `split` op assigning each row to train or test, recorded by sample key (the
 * key column must be on the step's input, once per row). Unstratified, the draw is the plain
 * seeded `trainTestSplit` (the same rows as the former hand-written credit-risk pipeline); stratified, each label
 * class (the sample label evaluated on the step's input) is permuted on its own. In a re-run the
 * earlier run's split is looked up by key (a key it did not have goes to test and is counted in
 * `notInOriginal`; it cannot become a sample of the re-run).
 */
export function runSplit(ctx: RunContext, step: StepOf<'split'>, input: TableState): TableState {
  const key = ctx.pipeline.spec.sample.key;
  const keys = keyTexts(input, key, `step "${step.id}" (splits by sample key)`);
  const firstRow = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === undefined) continue;
    const first = firstRow.get(k);
    if (first !== undefined)
      throw new InputError(
        'pipeline.sampleKey',
        `step "${step.id}": sample key ${key} = ${k} occurs in rows ${first} and ${i} of the split's input; expected one row per sample key (split after aggregating to one row per sample)`,
      );
    firstRow.set(k, i);
  }
  markUniqueKeys(input, key);
  const name = stepOpName(step);
  const params = { key };
  let result: ReturnType<typeof trainTestSplit>;
  if (ctx.reuse) {
    const byKey = ctx.reuse.splitByKey;
    const assignment = new Uint8Array(keys.length);
    let notInOriginal = 0;
    keys.forEach((k, i) => {
      const s = k === undefined ? undefined : byKey.get(k);
      if (s === undefined) notInOriginal++;
      assignment[i] = s === 0 ? 0 : 1;
    });
    result = trainTestSplit(input.frame, {
      name,
      assignment,
      presetFrom: ctx.reuse.from,
      params: { ...params, notInOriginal },
    });
  } else {
    result = trainTestSplit(input.frame, {
      name,
      testFraction: step.test_fraction,
      seed: step.seed,
      strata: step.stratify ? labelsOn(ctx, step, input) : undefined,
      params,
    });
  }
  ctx.splits.set(step.id, { rowOf: firstRow, assignment: result.split });
  return { frame: result.frame, groups: input.groups, splitStep: step.id, assignment: result.split };
}

/** The sample label evaluated on the split's input (its classes are the strata). */
function labelsOn(ctx: RunContext, step: StepOf<'split'>, input: TableState): Float64Array {
  const text = ctx.pipeline.spec.sample.label;
  try {
    const e = compileExpression(text, expressionTypes(ctx.pipeline.tables.get(step.input)!));
    const v = e.evaluate(input.frame);
    if (v.type === 'string') throw new TypeError('internal: a string label');
    return v.values;
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    throw new UsageError(
      'pipeline.unknownColumn',
      `step "${step.id}": stratify needs the sample label on the split's input, but ${err.message}`,
      { cause: err },
    );
  }
}
