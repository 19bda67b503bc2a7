import type { PipelineSpec } from './pipeline-schema.js';
import type { Fail } from './spec-failure.js';
import type { StepSpec } from './step-schema.js';

/** The named inputs of a step, with the field each comes from. */
export function stepInputs(step: StepSpec): { field: string; name: string }[] {
  return step.kind === 'join'
    ? [
        { field: 'left', name: step.left },
        { field: 'right', name: step.right },
      ]
    : [{ field: 'input', name: step.input }];
}

/**
 * Checks the ids and inputs of a pipeline and orders its steps so that every step comes after
 * its inputs (steps may be written in any order). Errors: `pipeline.duplicateId` (two sources or
 * steps with one id), `pipeline.unknownInput` (an input that is no source or step),
 * `pipeline.cycle` (steps that depend on each other). Returns step indices in run order.
 */
export function orderSteps(spec: PipelineSpec, fail: Fail): number[] {
  const owner = new Map<string, readonly PropertyKey[]>();
  const claim = (id: string, path: readonly PropertyKey[]) => {
    const first = owner.get(id);
    if (first)
      fail(
        'pipeline.duplicateId',
        path,
        `duplicate id "${id}" (already used at ${describe(first)}); expected unique source names and step ids`,
      );
    owner.set(id, path);
  };
  for (const [i, s] of spec.sources.entries()) claim(s.name, ['sources', i, 'name']);
  for (const [i, s] of spec.steps.entries()) claim(s.id, ['steps', i, 'id']);

  const stepIndex = new Map(spec.steps.map((s, i) => [s.id, i]));
  const known = [...owner.keys()];
  spec.steps.forEach((step, i) => {
    for (const { field, name } of stepInputs(step)) {
      if (!owner.has(name))
        fail(
          'pipeline.unknownInput',
          ['steps', i, field],
          `unknown input "${name}"; expected a source or step id (${known.join(', ')})`,
        );
      if (name === step.id)
        fail('pipeline.cycle', ['steps', i, field], `step "${step.id}" reads its own output`);
    }
  });

  const order: number[] = [];
  const state = new Uint8Array(spec.steps.length); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (i: number) => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const loop = [...stack.slice(stack.indexOf(i)), i].map((k) => spec.steps[k].id);
      fail(
        'pipeline.cycle',
        ['steps', i, 'id'],
        `steps form a cycle: ${loop.join(' → ')}; expected each step to read only sources or steps that do not read it`,
      );
    }
    state[i] = 1;
    stack.push(i);
    for (const { name } of stepInputs(spec.steps[i])) {
      const j = stepIndex.get(name);
      if (j !== undefined) visit(j);
    }
    stack.pop();
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < spec.steps.length; i++) visit(i);
  return order;
}

function describe(path: readonly PropertyKey[]): string {
  return `${String(path[0])}[${String(path[1])}]`;
}
