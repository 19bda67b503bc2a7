import { parseIsoDate } from '../expressions/parse-iso-date.js';
import { needType, type StepContext } from './step-context.js';
import type { StepOf } from './step-schema.js';
import type { TableSchema } from './table-schema.js';

/** Checks an impute step: the strategy fits the column types, a constant fits every column. */
export function resolveImpute(step: StepOf<'impute'>, input: TableSchema, ctx: StepContext): void {
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
