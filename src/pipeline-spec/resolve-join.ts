import { need, type StepContext } from './step-context.js';
import type { StepOf } from './step-schema.js';
import type { TableSchema } from './table-schema.js';

/** A join's output: the left columns, then the right ones but its keys (suffixed on collision). */
export function resolveJoin(
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
