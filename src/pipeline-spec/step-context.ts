import { type CompiledExpression, compileExpression } from '../expressions/compile-expression.js';
import type { ValueType } from '../expressions/value-type.js';
import { atExpression, type Fail } from './spec-failure.js';
import { expressionTypes, type ResolvedColumn, type TableSchema } from './table-schema.js';

/** An expression found in a pipeline, compiled against the columns it can see. */
export interface PipelineExpression {
  /** YAML path of the expression, e.g. `['steps', 3, 'columns', 'monthly']`. */
  readonly path: readonly PropertyKey[];
  /** The compiled expression (its `columns` are the step-input columns it reads). */
  readonly expression: CompiledExpression;
}

/** What resolving one step needs and records. */
export interface StepContext {
  /** Index of the step in the file (for YAML paths). */
  readonly index: number;
  readonly fail: Fail;
  /** Collects every compiled expression. */
  readonly expressions: PipelineExpression[];
}

/** Compiles the expression at `steps[i].<rel>` against a table's columns and records it. */
export function compileAt(
  ctx: StepContext,
  rel: PropertyKey[],
  text: string,
  table: TableSchema,
): CompiledExpression {
  const path = ['steps', ctx.index, ...rel];
  const expression = atExpression(ctx.fail, path, () => compileExpression(text, expressionTypes(table)));
  ctx.expressions.push({ path, expression });
  return expression;
}

/** The named column, or `pipeline.unknownColumn`. */
export function need(ctx: StepContext, table: TableSchema, name: string, rel: PropertyKey[]): ResolvedColumn {
  const c = table.get(name);
  if (!c) {
    const names = [...table.keys()];
    const list = names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
    ctx.fail(
      'pipeline.unknownColumn',
      ['steps', ctx.index, ...rel],
      `unknown column "${name}"; available: ${list}`,
    );
  }
  return c!;
}

export function needType(
  ctx: StepContext,
  table: TableSchema,
  name: string,
  rel: PropertyKey[],
  types: readonly ValueType[],
  why: string,
): ResolvedColumn {
  const c = need(ctx, table, name, rel);
  if (c.onehot || !types.includes(c.type))
    ctx.fail(
      'pipeline.columnType',
      ['steps', ctx.index, ...rel],
      `column "${name}": expected ${types.join(' or ')} (${why}), got ${c.onehot ? 'a one-hot encoded column' : c.type}`,
    );
  return c;
}
