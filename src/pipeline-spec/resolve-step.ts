import { resolveAggregate } from './resolve-aggregate.js';
import { resolveImpute } from './resolve-impute.js';
import { resolveJoin } from './resolve-join.js';
import { compileAt, need, needType, type StepContext } from './step-context.js';
import type { StepSpec } from './step-schema.js';
import { type ResolvedColumn, sourcesOf, type TableSchema } from './table-schema.js';

export type { PipelineExpression, StepContext } from './step-context.js';

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
