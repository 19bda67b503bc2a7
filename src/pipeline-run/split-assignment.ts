import type { RunContext, TableState } from './run-context.js';
import { keyTexts } from './sample-keys.js';

/** Assignment value of a row whose key the split did not see. */
export const unassigned = 2;

/**
 * The split assignment of each row of a table below a split step: 0 train, 1 test,
 * {@link unassigned} for a row whose sample key the split did not assign. While the rows are still
 * the split's rows it is carried along; otherwise it is looked up by the sample key.
 */
export function assignmentOf(ctx: RunContext, state: TableState, who: string): Uint8Array {
  if (state.assignment) return state.assignment;
  const splitId = state.splitStep!;
  const record = ctx.splits.get(splitId)!;
  const { assignment } = record;
  record.rowOf ??= rowsByKey(record.keys);
  const rowOf = record.rowOf;
  const key = ctx.pipeline.spec.sample.key;
  const keys = keyTexts(state, key, `${who} (assigned to train or test by split "${splitId}" by sample key)`);
  const out = new Uint8Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const row = k === undefined ? undefined : rowOf.get(k);
    out[i] = row === undefined ? unassigned : assignment[row];
  }
  state.assignment = out;
  return out;
}

/**
 * The rows a fitting step fits on: the train rows of the nearest split upstream (rows the split
 * did not assign are left out), else all rows; `fitOn` says which (recorded in the op).
 */
export function fitRows(
  ctx: RunContext,
  state: TableState,
  stepId: string,
): { trainMask?: Uint8Array; fitOn: string } {
  if (state.splitStep === undefined) return { fitOn: 'all rows' };
  const a = assignmentOf(ctx, state, `step "${stepId}"`);
  const trainMask = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) trainMask[i] = a[i] === 0 ? 1 : 0;
  return { trainMask, fitOn: `train rows of split ${state.splitStep}` };
}

/** The row of each present key (keys are unique: the split checked them). */
function rowsByKey(keys: readonly (string | undefined)[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== undefined) out.set(k, i);
  }
  return out;
}
