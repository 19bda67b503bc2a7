import type { StepSpec } from './step-schema.js';

/**
 * One line saying what a step does, from its fields alone (no data): the condition of a filter,
 * the expressions of a derive, the keys of a join, the measures of an aggregate, and so on.
 * `afterSplit` says whether a split step comes before it: a fitting step (onehot, standardize,
 * impute by mean, median or mode) is then fitted on the train rows, else on rows that no split
 * has assigned yet, which the summary says.
 *
 * @example
 * describeStep({ id: 'ok', kind: 'filter', input: 'loan', where: 'amount > 0' }, false);
 * // 'keep rows where amount > 0'
 */
export function describeStep(step: StepSpec, afterSplit: boolean): string {
  const fitted = afterSplit ? 'fitted on the train rows' : 'fitted before any split step';
  switch (step.kind) {
    case 'filter':
      return `keep rows where ${step.where}`;
    case 'derive':
      return `add ${Object.entries(step.columns)
        .map(([name, text]) => `${name} = ${text}`)
        .join('; ')}`;
    case 'join': {
      const keys = step.on
        .map((k) => (typeof k === 'string' ? k : k.left === k.right ? k.left : `${k.left} = ${k.right}`))
        .join(', ');
      return `${step.how} join ${step.left} with ${step.right} on ${keys} (${step.cardinality}, suffix ${step.suffix})`;
    }
    case 'aggregate':
      return `one row per ${step.by.join(', ')}: ${Object.entries(step.measures)
        .map(([name, m]) => `${name} = ${m.fn}(${m.fn === 'share' ? (m.where ?? '') : (m.column ?? '')})`)
        .join(', ')}`;
    case 'select':
      return `keep columns ${step.columns.join(', ')}`;
    case 'drop':
      return `drop columns ${step.columns.join(', ')}`;
    case 'onehot':
      return `one-hot encode ${step.columns.join(', ')} (the ${step.max_categories} most frequent values, ${step.other === false ? 'no other bucket' : `others in "${step.other}"`}; ${fitted})`;
    case 'standardize':
      return `standardize ${step.columns.join(', ')} (mean and sd ${fitted})`;
    case 'impute': {
      const how =
        step.strategy === 'constant'
          ? `the constant ${JSON.stringify(step.value)}`
          : `the ${step.strategy} (${fitted})`;
      return `fill missing ${step.columns.join(', ')} with ${how}`;
    }
    case 'split':
      return `train/test split by the sample key: test fraction ${step.test_fraction}, seed ${step.seed}${step.stratify ? ', stratified by label' : ''}`;
  }
}
