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
   * drop, the fitting steps) pass it on; the others leave it out. Made on first call (only
   * the examples of a left-out report read it).
   */
  dataRows?: () => ArrayLike<number>;
}

/** What a split step assigned, by row of its input. */
interface SplitRecord {
  /** 0 train, 1 test, per row of the split's input. */
  readonly assignment: Uint8Array;
  /** The sample key of each row of the split's input (`undefined`: missing). */
  readonly keys: readonly (string | undefined)[];
  /** The row of each sample key (see `assignmentOf`, which makes it). */
  rowOf?: ReadonlyMap<string, number>;
}

/** What the steps of one declared run share. */
export interface RunContext {
  readonly pipeline: ValidatedPipeline;
  readonly tracker: Pipeline;
  readonly reuse?: DeclaredReuse;
  /** Fitted state collected so far, by step id. */
  readonly fitted: FittedState;
  /**
   * Each split step's assignment (0 train, 1 test) per row of its input, the sample key of each of
   * those rows, and (made when first needed) the row of each sample key there.
   */
  readonly splits: Map<string, SplitRecord>;
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
