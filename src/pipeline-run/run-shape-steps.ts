import { deriveSpecFor, filterSpecFor } from '../expressions/lineage-specs.js';
import { derive } from '../lineage/derive.js';
import { filter } from '../lineage/filter.js';
import { select } from '../lineage/select.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import { checkLeftOut } from './left-out-rows.js';
import { expressionAt, type RunContext, type TableState } from './run-context.js';
import { stepOpName } from './step-op-name.js';

/**
 * A filter step: the rows where its condition is true (a `filter` op); with `max_left_out`, what
 * it leaves out is checked and reported (`checkLeftOut`).
 */
export function runFilter(
  ctx: RunContext,
  step: StepOf<'filter'>,
  index: number,
  input: TableState,
): TableState {
  const e = expressionAt(ctx, ['steps', index, 'where']);
  const spec = filterSpecFor(stepOpName(step), e);
  let kept: Uint8Array | undefined;
  const frame = filter(input.frame, {
    ...spec,
    keep: (columns, keep) => {
      spec.keep(columns, keep);
      kept = keep;
    },
  });
  if (kept) checkLeftOut(ctx, step, input, kept, e.columns);
  return { frame, groups: input.groups, splitStep: input.splitStep };
}

/**
 * A derive step: one `derive` op computing every column from the input's columns. A derived
 * column that replaces a one-hot group ends the group (its indicators stay in the frame unnamed).
 */
export function runDerive(
  ctx: RunContext,
  step: StepOf<'derive'>,
  index: number,
  input: TableState,
): TableState {
  const specs = Object.keys(step.columns).map((name) =>
    deriveSpecFor(name, expressionAt(ctx, ['steps', index, 'columns', name])),
  );
  const frame = derive(input.frame, specs, stepOpName(step));
  const groups = new Map(input.groups);
  for (const name of Object.keys(step.columns)) groups.delete(name);
  return { ...input, frame, groups };
}

/** A select step: the listed columns in order (a one-hot group as its indicators). */
export function runSelect(step: StepOf<'select'>, input: TableState): TableState {
  return keep(step, input, step.columns);
}

/** A drop step: every column but the listed ones (a `select` op of the rest). */
export function runDrop(step: StepOf<'drop'>, input: TableState): TableState {
  const dropped = new Set(step.columns);
  const logical = logicalNames(input).filter((n) => !dropped.has(n));
  return keep(step, input, logical);
}

function keep(
  step: StepOf<'select'> | StepOf<'drop'>,
  input: TableState,
  logical: readonly string[],
): TableState {
  const groups = new Map<string, readonly string[]>();
  const physical: string[] = [];
  for (const n of logical) {
    const g = input.groups.get(n);
    if (g) {
      groups.set(n, g);
      physical.push(...g);
    } else physical.push(n);
  }
  const frame = select(input.frame, physical, { name: stepOpName(step) });
  return { ...input, frame, groups };
}

/** The table's columns as the pipeline file sees them: a one-hot group once, where its first indicator is. */
function logicalNames(state: TableState): string[] {
  const groupOf = new Map<string, string>();
  for (const [g, cols] of state.groups) for (const c of cols) groupOf.set(c, g);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of state.frame.names) {
    const name = groupOf.get(n) ?? n;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out;
}
