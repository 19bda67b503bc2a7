import { type CompiledExpression, compileExpression } from '../expressions/compile-expression.js';
import { parseIsoDate } from '../expressions/parse-iso-date.js';
import type { ValueType } from '../expressions/value-type.js';
import { atExpression, type Fail } from './spec-failure.js';
import type { StepOf, StepSpec } from './step-schema.js';
import { expressionTypes, type ResolvedColumn, sourcesOf, type TableSchema } from './table-schema.js';

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

/**
 * The output columns of a step from its input tables, checking every column reference and
 * expression statically. Errors: `pipeline.unknownColumn`, `pipeline.columnType`,
 * `pipeline.columnCollision`, `pipeline.missingField`, `pipeline.invalidValue`, and the
 * expression codes.
 */
export function resolveStep(step: StepSpec, inputs: readonly TableSchema[], ctx: StepContext): TableSchema {
  switch (step.kind) {
    case 'filter': {
      const e = compileAt(ctx, ['where'], step.where, inputs[0]);
      if (e.type !== 'boolean')
        ctx.fail(
          'pipeline.expressionType',
          ['steps', ctx.index, 'where'],
          `expected a boolean condition, got ${e.type} from "${e.text}"`,
        );
      return inputs[0];
    }
    case 'derive': {
      const out = new Map(inputs[0]);
      for (const [name, text] of Object.entries(step.columns)) {
        const e = compileAt(ctx, ['columns', name], text, inputs[0]);
        out.set(name, { type: e.type, sources: sourcesOf(inputs[0], e.columns) });
      }
      return out;
    }
    case 'join':
      return resolveJoin(step, inputs[0], inputs[1], ctx);
    case 'aggregate':
      return resolveAggregate(step, inputs[0], ctx);
    case 'select': {
      const out = new Map<string, ResolvedColumn>();
      for (const [k, c] of step.columns.entries()) out.set(c, need(ctx, inputs[0], c, ['columns', k]));
      return out;
    }
    case 'drop': {
      const out = new Map(inputs[0]);
      step.columns.forEach((c, k) => {
        need(ctx, inputs[0], c, ['columns', k]);
        out.delete(c);
      });
      return out;
    }
    case 'onehot': {
      const out = new Map(inputs[0]);
      step.columns.forEach((c, k) => {
        const col = needType(ctx, inputs[0], c, ['columns', k], ['string'], 'onehot encodes string columns');
        out.set(c, { type: 'number', sources: col.sources, onehot: true });
      });
      return out;
    }
    case 'standardize':
      for (const [k, c] of step.columns.entries())
        needType(ctx, inputs[0], c, ['columns', k], ['number'], 'standardize scales numbers');
      return inputs[0];
    case 'impute':
      resolveImpute(step, inputs[0], ctx);
      return inputs[0];
    case 'split':
      return inputs[0];
  }
}

function compileAt(
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
function need(ctx: StepContext, table: TableSchema, name: string, rel: PropertyKey[]): ResolvedColumn {
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

function needType(
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

function resolveJoin(
  step: StepOf<'join'>,
  left: TableSchema,
  right: TableSchema,
  ctx: StepContext,
): TableSchema {
  const rightKeys = new Set<string>();
  step.on.forEach((pair, k) => {
    const l = typeof pair === 'string' ? pair : pair.left;
    const r = typeof pair === 'string' ? pair : pair.right;
    const at = typeof pair === 'string' ? ['on', k] : ['on', k, 'left'];
    const lc = need(ctx, left, l, at);
    const rc = need(ctx, right, r, typeof pair === 'string' ? ['on', k] : ['on', k, 'right']);
    if (lc.type !== rc.type || lc.onehot || rc.onehot)
      ctx.fail(
        'pipeline.columnType',
        ['steps', ctx.index, 'on', k],
        `join keys "${l}" (${lc.type}) and "${r}" (${rc.type}): expected the same type on both sides`,
      );
    rightKeys.add(r);
  });
  const out = new Map(left);
  for (const [name, c] of right) {
    if (rightKeys.has(name)) continue;
    const target = out.has(name) ? `${name}${step.suffix}` : name;
    if (out.has(target))
      ctx.fail(
        'pipeline.columnCollision',
        ['steps', ctx.index, 'suffix'],
        `right column "${name}" would become "${target}", which the left side already has; expected another suffix`,
      );
    out.set(target, c);
  }
  return out;
}

function resolveAggregate(step: StepOf<'aggregate'>, input: TableSchema, ctx: StepContext): TableSchema {
  const out = new Map<string, ResolvedColumn>();
  for (const [k, c] of step.by.entries()) out.set(c, need(ctx, input, c, ['by', k]));
  const keySources = sourcesOf(input, step.by);
  for (const [name, m] of Object.entries(step.measures)) {
    const at = ['measures', name];
    if (out.has(name))
      ctx.fail(
        'pipeline.columnCollision',
        ['steps', ctx.index, ...at],
        `measure "${name}" has the name of a group-by column; expected another name`,
      );
    if (m.where !== undefined && m.fn !== 'share')
      ctx.fail(
        'pipeline.invalidValue',
        ['steps', ctx.index, ...at, 'where'],
        `"where" is only for fn share, got fn ${m.fn}`,
      );
    if (m.fn === 'share') {
      if (m.column !== undefined)
        ctx.fail(
          'pipeline.invalidValue',
          ['steps', ctx.index, ...at, 'column'],
          'share takes a "where" condition, not a column',
        );
      if (m.where === undefined)
        ctx.fail(
          'pipeline.missingField',
          ['steps', ctx.index, ...at],
          'missing field "where" (share needs a boolean condition)',
        );
      const e = compileAt(ctx, [...at, 'where'], m.where!, input);
      if (e.type !== 'boolean')
        ctx.fail(
          'pipeline.expressionType',
          ['steps', ctx.index, ...at, 'where'],
          `expected a boolean condition, got ${e.type} from "${e.text}"`,
        );
      out.set(name, { type: 'number', sources: sourcesOf(input, e.columns.length ? e.columns : step.by) });
      continue;
    }
    if (m.column === undefined) {
      if (m.fn === 'count') {
        out.set(name, { type: 'number', sources: keySources });
        continue;
      }
      ctx.fail(
        'pipeline.missingField',
        ['steps', ctx.index, ...at],
        `missing field "column" (fn ${m.fn} needs an input column)`,
      );
    }
    const allowed: readonly ValueType[] =
      m.fn === 'sum' || m.fn === 'mean'
        ? ['number']
        : m.fn === 'min' || m.fn === 'max'
          ? ['number', 'date']
          : ['number', 'string', 'boolean', 'date'];
    const c = needType(ctx, input, m.column!, [...at, 'column'], allowed, `fn ${m.fn}`);
    const type: ValueType = m.fn === 'count' || m.fn === 'count_distinct' ? 'number' : c.type;
    out.set(name, { type, sources: c.sources });
  }
  return out;
}

function resolveImpute(step: StepOf<'impute'>, input: TableSchema, ctx: StepContext): void {
  const numeric = step.strategy === 'mean' || step.strategy === 'median';
  if (step.strategy === 'constant' && step.value === undefined)
    ctx.fail(
      'pipeline.missingField',
      ['steps', ctx.index],
      'missing field "value" (strategy constant needs a value)',
    );
  if (step.strategy !== 'constant' && step.value !== undefined)
    ctx.fail(
      'pipeline.invalidValue',
      ['steps', ctx.index, 'value'],
      `"value" is only for strategy constant, got strategy ${step.strategy}`,
    );
  step.columns.forEach((name, k) => {
    const c = needType(
      ctx,
      input,
      name,
      ['columns', k],
      numeric ? ['number'] : ['number', 'string', 'boolean', 'date'],
      `strategy ${step.strategy}`,
    );
    if (step.strategy !== 'constant') return;
    const v = step.value;
    const fits =
      c.type === 'date' ? typeof v === 'string' && parseIsoDate(v) !== undefined : typeof v === c.type;
    if (!fits)
      ctx.fail(
        'pipeline.columnType',
        ['steps', ctx.index, 'value'],
        `value ${JSON.stringify(v)} does not fit column "${name}" of type ${c.type}${c.type === 'date' ? " (expected 'YYYY-MM-DD')" : ''}`,
      );
  });
}
