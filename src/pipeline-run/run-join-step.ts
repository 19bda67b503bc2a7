import { join } from '../lineage/join.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import type { TableState } from './run-context.js';
import { stepOpName } from './step-op-name.js';

/**
 * A join step: a `join` op on its key pairs with its declared cardinality checked on the data
 * (`pipeline.joinCardinality`). One-hot groups of both sides come along (a right group renamed
 * like its columns). A left join that passed its check has exactly the left rows, so the left
 * side's split assignment is carried over.
 */
export function runJoin(step: StepOf<'join'>, left: TableState, right: TableState): TableState {
  const lk = step.on.map((k) => (typeof k === 'string' ? k : k.left));
  const rk = step.on.map((k) => (typeof k === 'string' ? k : k.right));
  const frame = join(left.frame, right.frame, {
    name: stepOpName(step),
    on: { left: lk, right: rk },
    how: step.how,
    suffix: step.suffix,
    cardinality: step.cardinality,
  });
  const renamed = rightNames(left.frame.names, right.frame.names, rk, step.suffix);
  const groups = new Map(left.groups);
  for (const [name, cols] of right.groups) {
    const logical = left.groups.has(name) || left.frame.has(name) ? `${name}${step.suffix}` : name;
    groups.set(
      logical,
      cols.map((c) => renamed.get(c) ?? c),
    );
  }
  const sameRows = step.how === 'left' && frame.rows === left.frame.rows;
  return {
    frame,
    groups,
    splitStep: left.splitStep ?? right.splitStep,
    assignment: sameRows && left.splitStep !== undefined ? left.assignment : undefined,
  };
}

/** The output name of each right column as `join` names it: suffixed when the name is taken. */
function rightNames(
  leftNames: readonly string[],
  rightNames: readonly string[],
  rightKeys: readonly string[],
  suffix: string,
): Map<string, string> {
  const taken = new Set(leftNames);
  const out = new Map<string, string>();
  for (const n of rightNames) {
    if (rightKeys.includes(n)) continue;
    const name = taken.has(n) ? `${n}${suffix}` : n;
    taken.add(name);
    out.set(n, name);
  }
  return out;
}
