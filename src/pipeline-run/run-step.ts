import type { StepSpec } from '../pipeline-spec/step-schema.js';
import { runAggregate } from './run-aggregate-step.js';
import type { RunContext, TableState } from './run-context.js';
import { runImpute, runOneHot, runStandardize } from './run-fit-steps.js';
import { runJoin } from './run-join-step.js';
import { runDerive, runDrop, runFilter, runSelect } from './run-shape-steps.js';
import { runSplit } from './run-split-step.js';

/** Runs one step (at `index` in the file) on the tables computed so far, by its kind. */
export function runStep(
  ctx: RunContext,
  step: StepSpec,
  index: number,
  tables: ReadonlyMap<string, TableState>,
): TableState {
  const table = (id: string) => tables.get(id)!;
  switch (step.kind) {
    case 'filter':
      return runFilter(ctx, step, index, table(step.input));
    case 'derive':
      return runDerive(ctx, step, index, table(step.input));
    case 'join':
      return runJoin(step, table(step.left), table(step.right));
    case 'aggregate':
      return runAggregate(ctx, step, index, table(step.input));
    case 'select':
      return runSelect(step, table(step.input));
    case 'drop':
      return runDrop(step, table(step.input));
    case 'onehot':
      return runOneHot(ctx, step, table(step.input));
    case 'standardize':
      return runStandardize(ctx, step, table(step.input));
    case 'impute':
      return runImpute(ctx, step, table(step.input));
    case 'split':
      return runSplit(ctx, step, table(step.input));
  }
}
