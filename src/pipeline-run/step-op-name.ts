import type { StepSpec } from '../pipeline-spec/step-schema.js';

/**
 * The name of the ops a step records: `<step id>: <what it does>`, the step's own description
 * when it has one (whitespace collapsed: op names hold no line breaks), else a short summary,
 * e.g. `loan_account: join loan_terms ⟕ account on account_id`.
 */
export function stepOpName(step: StepSpec): string {
  const what = step.description?.replace(/\s+/g, ' ').trim() || summary(step);
  return `${step.id}: ${what}`;
}

function summary(step: StepSpec): string {
  switch (step.kind) {
    case 'filter':
      return `filter ${step.where}`;
    case 'derive':
      return `derive ${list(Object.keys(step.columns))}`;
    case 'join': {
      const keys = step.on.map((k) => (typeof k === 'string' ? k : `${k.left} = ${k.right}`));
      return `join ${step.left} ${step.how === 'left' ? '⟕' : '⋈'} ${step.right} on ${keys.join(', ')}`;
    }
    case 'aggregate':
      return `aggregate ${step.input} by ${step.by.join(', ')}`;
    case 'select':
      return `select ${list(step.columns)}`;
    case 'drop':
      return `drop ${list(step.columns)}`;
    case 'onehot':
      return `one-hot ${list(step.columns)}`;
    case 'standardize':
      return `standardize ${list(step.columns)}`;
    case 'impute':
      return `impute ${list(step.columns)} (${step.strategy})`;
    case 'split':
      return `split ${step.test_fraction} to test (seed ${step.seed}${step.stratify ? ', stratified' : ''})`;
  }
}

/** Up to six names, then how many more. */
function list(names: readonly string[]): string {
  return names.length <= 6
    ? names.join(', ')
    : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`;
}
