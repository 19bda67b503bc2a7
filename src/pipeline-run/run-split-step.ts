import { InputError, UsageError } from '../errors.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { ExpressionError } from '../expressions/expression-error.js';
import { trainTestSplit } from '../lineage/train-test-split.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import { expressionTypes } from '../pipeline-spec/table-schema.js';
import type { RunContext, TableState } from './run-context.js';
import { keysKnownUnique, keyTexts, markUniqueKeys } from './sample-keys.js';
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
  if (!keysKnownUnique(input, key)) checkUniqueKeys(input, key, keys, step);
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
  ctx.splits.set(step.id, { keys, assignment: result.split });
  return { frame: result.frame, groups: input.groups, splitStep: step.id, assignment: result.split };
}

/**
 * Refuses a sample key that occurs in two rows of the split's input (`pipeline.sampleKey`, naming
 * the first repeated key and its two rows). A numeric key column is checked on its values (the
 * same keys as their texts), a categorical one on its codes.
 */
function checkUniqueKeys(
  input: TableState,
  key: string,
  keys: readonly (string | undefined)[],
  step: StepOf<'split'>,
): void {
  const c = input.frame.column(key);
  let repeated = -1;
  if (c.kind === 'number') {
    repeated = repeatedNumber(c.values);
  } else {
    // A dictionary may hold a text twice: each code is checked as the first code of its text.
    const firstCode = new Map<string, number>();
    const canonical = Int32Array.from(c.dictionary, (s, d) => {
      const f = firstCode.get(s);
      if (f !== undefined) return f;
      firstCode.set(s, d);
      return d;
    });
    const seen = new Uint8Array(c.dictionary.length);
    for (let i = 0; i < c.codes.length && repeated < 0; i++) {
      const code = c.codes[i];
      if (code < 0) continue;
      const k = canonical[code];
      if (seen[k] !== 0) repeated = i;
      else seen[k] = 1;
    }
  }
  if (repeated < 0) return;
  const k = keys[repeated];
  const first = keys.indexOf(k);
  throw new InputError(
    'pipeline.sampleKey',
    `step "${step.id}": sample key ${key} = ${k} occurs in rows ${first} and ${repeated} of the split's input; expected one row per sample key (split after aggregating to one row per sample)`,
  );
}

/**
 * The row of the first value (in row order) that an earlier row already has, or -1 when the
 * present values are unique (missing ones, `NaN`, are skipped). The values are sorted (a typed
 * array sort, no set of numbers) to find whether any repeats; only then are the rows searched.
 */
function repeatedNumber(values: Float64Array): number {
  const sorted = values.slice().sort(); // NaN sorts last
  let repeats = false;
  for (let i = 1; i < sorted.length && !Number.isNaN(sorted[i]); i++)
    if (sorted[i] === sorted[i - 1]) {
      repeats = true;
      break;
    }
  if (!repeats) return -1;
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (seen.has(v)) return i;
    seen.add(v);
  }
  return -1;
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
