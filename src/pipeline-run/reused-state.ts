import { UsageError } from '../errors.js';
import type { DeclaredReuse, FittedStep } from './declared-run-types.js';

/**
 * The reused fitted state of a step, checked to be of the step's kind and to cover exactly its
 * columns; else `pipelines.reuseMismatch`.
 */
export function reusedState<K extends FittedStep['kind']>(
  reuse: DeclaredReuse,
  stepId: string,
  kind: K,
  columns: readonly string[],
): Extract<FittedStep, { kind: K }> {
  const state = reuse.fitted[stepId];
  if (!state || state.kind !== kind)
    throw new UsageError(
      'pipelines.reuseMismatch',
      `step "${stepId}": ${reuse.from} has no fitted ${kind} state for it (got ${state ? state.kind : 'none'}); was it run with the same pipeline?`,
    );
  const have =
    state.kind === 'onehot'
      ? Object.keys(state.columns)
      : state.kind === 'standardize'
        ? Object.keys(state.means)
        : Object.keys(state.values);
  const same = have.length === columns.length && columns.every((c) => have.includes(c));
  if (!same)
    throw new UsageError(
      'pipelines.reuseMismatch',
      `step "${stepId}": ${reuse.from} fitted columns ${have.join(', ')}, the step has ${columns.join(', ')}`,
    );
  return state as Extract<FittedStep, { kind: K }>;
}
