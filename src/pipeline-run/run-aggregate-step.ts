import { UsageError } from '../errors.js';
import { deriveSpecFor } from '../expressions/lineage-specs.js';
import { type AggregateColumnSpec, aggregate } from '../lineage/aggregate.js';
import { type DeriveSpec, derive } from '../lineage/derive.js';
import type { Frame } from '../lineage/frame.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import { expressionAt, type RunContext, type TableState } from './run-context.js';
import { stepOpName } from './step-op-name.js';

/**
 * An aggregate step: one `aggregate` op (group-by columns, then the measures). The conditions of
 * `share` measures are first derived as 0/1 columns (one `derive` op of the same step), whose
 * share of 1s per group is the measure; they do not outlive the step.
 */
export function runAggregate(
  ctx: RunContext,
  step: StepOf<'aggregate'>,
  index: number,
  input: TableState,
): TableState {
  for (const b of step.by) {
    if (input.groups.has(b))
      throw new UsageError(
        'pipeline.columnType',
        `step "${step.id}": cannot group by "${b}", a one-hot encoded column; group before the onehot step`,
      );
  }
  let frame: Frame = input.frame;
  const conditions: DeriveSpec[] = [];
  const columns: Record<string, AggregateColumnSpec> = {};
  for (const [name, m] of Object.entries(step.measures)) {
    if (m.fn === 'share') {
      const temp = freeName(frame, `${name} (where)`, conditions);
      conditions.push(deriveSpecFor(temp, expressionAt(ctx, ['steps', index, 'measures', name, 'where'])));
      columns[name] = { fn: 'share', column: temp };
    } else {
      columns[name] = m.column === undefined ? { fn: m.fn } : { fn: m.fn, column: m.column };
    }
  }
  const name = stepOpName(step);
  if (conditions.length > 0) frame = derive(frame, conditions, `${name} (share conditions)`);
  const out = aggregate(frame, { name, by: step.by, columns });
  return { frame: out, groups: new Map(), splitStep: input.splitStep };
}

/** `base`, or `base 2`, `base 3`, … : a column name neither the frame nor an earlier condition has. */
function freeName(frame: Frame, base: string, taken: readonly DeriveSpec[]): string {
  for (let k = 1; ; k++) {
    const name = k === 1 ? base : `${base} ${k}`;
    if (!frame.has(name) && !taken.some((s) => s.name === name)) return name;
  }
}
