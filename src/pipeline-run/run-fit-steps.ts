import { parseIsoDate } from '../expressions/parse-iso-date.js';
import { Imputer } from '../lineage/imputer.js';
import { OneHotEncoder } from '../lineage/one-hot-encoder.js';
import { StandardScaler } from '../lineage/standard-scaler.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import type { FittedImpute, FittedOneHot, FittedStandardize } from './declared-run-types.js';
import { reusedState } from './reused-state.js';
import type { RunContext, TableState } from './run-context.js';
import { fitRows } from './split-assignment.js';
import { stepOpName } from './step-op-name.js';

/**
 * The fitting steps. Each fits on the train rows of the nearest split upstream (else on all
 * rows), or, in a re-run, takes the earlier run's state and fits nothing; what it learnt (or the
 * state it reused, unchanged) goes to `ctx.fitted` under the step id, and into its op's params
 * (`fitOn` says on what).
 */

/** A onehot step: each column becomes its indicator columns (an `encode` op). */
export function runOneHot(ctx: RunContext, step: StepOf<'onehot'>, input: TableState): TableState {
  let encoder: OneHotEncoder;
  let fitOn: string;
  if (ctx.reuse) {
    const state = reusedState(ctx.reuse, step.id, 'onehot', step.columns);
    fitOn = ctx.reuse.from;
    const categories: Record<string, string[]> = {};
    const others: Record<string, string> = {};
    for (const [col, c] of Object.entries(state.columns)) {
      categories[col] = c.categories;
      if (c.other !== null) others[col] = c.other;
    }
    encoder = OneHotEncoder.fromCategories(categories, fitOn, others);
  } else {
    const rows = fitRows(ctx, input, step.id);
    fitOn = rows.fitOn;
    encoder = OneHotEncoder.fit(input.frame, {
      columns: step.columns,
      trainMask: rows.trainMask,
      maxCategories: step.max_categories,
      other: step.other === false ? undefined : step.other,
      fitOn,
    });
  }
  const frame = encoder.transform(input.frame, stepOpName(step));
  const groups = new Map(input.groups);
  const fitted: FittedOneHot = { kind: 'onehot', fitOn, columns: {} };
  for (const col of step.columns) {
    groups.set(col, encoder.outputNamesOf(col));
    fitted.columns[col] = { categories: [...encoder.categories[col]], other: encoder.others[col] ?? null };
  }
  ctx.fitted[step.id] = ctx.reuse ? structuredClone(ctx.reuse.fitted[step.id]) : fitted;
  return { ...input, frame, groups };
}

/** A standardize step: `(x − mean) / sd`, missing → 0 (the fitted mean), an `encode` op. */
export function runStandardize(ctx: RunContext, step: StepOf<'standardize'>, input: TableState): TableState {
  let scaler: StandardScaler;
  let fitOn: string;
  if (ctx.reuse) {
    const state = reusedState(ctx.reuse, step.id, 'standardize', step.columns);
    fitOn = ctx.reuse.from;
    scaler = StandardScaler.fromStatistics(state.means, state.sds, fitOn);
  } else {
    const rows = fitRows(ctx, input, step.id);
    fitOn = rows.fitOn;
    scaler = StandardScaler.fit(input.frame, { columns: step.columns, trainMask: rows.trainMask, fitOn });
  }
  const frame = scaler.transform(input.frame, stepOpName(step));
  const fitted: FittedStandardize = { kind: 'standardize', fitOn, means: {}, sds: {} };
  for (const col of step.columns) {
    fitted.means[col] = scaler.means[col];
    fitted.sds[col] = scaler.sds[col];
  }
  ctx.fitted[step.id] = ctx.reuse ? structuredClone(ctx.reuse.fitted[step.id]) : fitted;
  return { ...input, frame };
}

/** An impute step: missing values become the fitted (or constant) value, an `impute` op. */
export function runImpute(ctx: RunContext, step: StepOf<'impute'>, input: TableState): TableState {
  let imputer: Imputer;
  if (ctx.reuse) {
    const state = reusedState(ctx.reuse, step.id, 'impute', step.columns);
    imputer = Imputer.fromValues(state.strategy, state.values, ctx.reuse.from);
  } else {
    const rows = fitRows(ctx, input, step.id);
    imputer = Imputer.fit(input.frame, {
      columns: step.columns,
      strategy: step.strategy,
      value: constantFor(ctx, step),
      trainMask: rows.trainMask,
      fitOn: rows.fitOn,
    });
    for (const col of step.columns) {
      if (imputer.values[col] === null)
        ctx.warnings.push(
          `step "${step.id}": column "${col}" has no value to fit the ${step.strategy} on (${rows.fitOn}); its missing values stay missing`,
        );
    }
  }
  const frame = imputer.transform(input.frame, stepOpName(step));
  const fitted: FittedImpute = {
    kind: 'impute',
    fitOn: imputer.fitOn,
    strategy: imputer.strategy,
    values: { ...imputer.values },
  };
  ctx.fitted[step.id] = ctx.reuse ? structuredClone(ctx.reuse.fitted[step.id]) : fitted;
  return { ...input, frame };
}

/** The constant in the column's storage: booleans as 1/0, dates as epoch days, texts as they are. */
function constantFor(ctx: RunContext, step: StepOf<'impute'>): number | string | undefined {
  const v = step.value;
  if (step.strategy !== 'constant' || v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const table = ctx.pipeline.tables.get(step.input)!;
  if (typeof v === 'string' && table.get(step.columns[0])?.type === 'date') return parseIsoDate(v);
  return v;
}
