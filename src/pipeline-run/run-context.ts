import type { CompiledExpression } from '../expressions/compile-expression.js';
import type { Frame } from '../lineage/frame.js';
import type { Pipeline } from '../lineage/pipeline.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';
import type { DeclaredReuse, FittedState, LeftOutReport } from './declared-run-types.js';

/**
 * A table between steps: the frame, and what the frame alone does not say: which logical columns
 * are one-hot groups, and which split step (if any) its rows descend from.
 */
export interface TableState {
  frame: Frame;
  /** One-hot encoded columns: logical name → its indicator columns, in fitted order. */
  groups: ReadonlyMap<string, readonly string[]>;
  /** The nearest split step upstream (fitting steps fit on its train rows). */
  splitStep?: string;
  /** That split's assignment per row of this frame, while its rows are still the split's rows. */
  assignment?: Uint8Array;
  /**
   * While the rows are still those of a source as loaded: the data row of each frame row (rows
   * left out right after the load skipped). Steps that keep every row in order (derive, select,
   * drop, the fitting steps) pass it on; the others leave it out.
   */
  dataRows?: ArrayLike<number>;
}

/** What the steps of one declared run share. */
export interface RunContext {
  readonly pipeline: ValidatedPipeline;
  readonly tracker: Pipeline;
  readonly reuse?: DeclaredReuse;
  /** Fitted state collected so far, by step id. */
  readonly fitted: FittedState;
  /**
   * Each split step's assignment (0 train, 1 test) per row of its input, and the row of each
   * sample key there.
   */
  readonly splits: Map<string, { rowOf: ReadonlyMap<string, number>; assignment: Uint8Array }>;
  readonly warnings: string[];
  /** What the filter steps with `max_left_out` left out, by step id. */
  readonly leftOut: Record<string, LeftOutReport>;
}

/** The compiled expression at a YAML path of the pipeline (validation compiled them all). */
export function expressionAt(ctx: RunContext, path: readonly PropertyKey[]): CompiledExpression {
  const key = JSON.stringify(path);
  const found = ctx.pipeline.expressions.find((e) => JSON.stringify(e.path) === key);
  if (!found) throw new TypeError(`internal: no compiled expression at ${key}`);
  return found.expression;
}
