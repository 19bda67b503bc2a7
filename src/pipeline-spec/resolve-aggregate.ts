import type { ValueType } from '../expressions/value-type.js';
import { compileAt, need, needType, type StepContext } from './step-context.js';
import type { StepOf } from './step-schema.js';
import { type ResolvedColumn, sourcesOf, type TableSchema } from './table-schema.js';

/** An aggregate's output: the group-by columns, then one column per measure (types per `fn`). */
export function resolveAggregate(
  step: StepOf<'aggregate'>,
  input: TableSchema,
  ctx: StepContext,
): TableSchema {
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
