import type { CompiledExpression } from '../expressions/compile-expression.js';
import { compileExpression } from '../expressions/compile-expression.js';
import { columnHeaders } from './column-headers.js';
import type { PipelineSpec } from './pipeline-schema.js';
import { type PipelineExpression, resolveStep } from './resolve-step.js';
import type { SourceSpec } from './source-schema.js';
import { sourceTable } from './source-table.js';
import { atExpression, type Fail } from './spec-failure.js';
import { orderSteps, stepInputs } from './step-graph.js';
import { expressionTypes, type TableSchema } from './table-schema.js';
import { validateSubject } from './validate-subject.js';

/** A pipeline that passed validation, with what validation worked out. */
export interface ValidatedPipeline {
  /** The parsed file, defaults filled in. */
  readonly spec: PipelineSpec;
  /** Step ids in run order (each after its inputs). */
  readonly order: readonly string[];
  /** Columns of every source and step output, by id. */
  readonly tables: ReadonlyMap<string, TableSchema>;
  /** Every expression of the steps, compiled, with its YAML path. */
  readonly expressions: readonly PipelineExpression[];
  /** The compiled label expression (boolean or number). */
  readonly label: CompiledExpression;
  /** Column-level lineage of each feature: the source columns (`source.column`) it comes from. */
  readonly featureSources: Readonly<Record<string, readonly string[]>>;
}

/**
 * Checks a parsed pipeline beyond its schema: unique ids, known inputs, no cycles, every column
 * reference and expression type (each step's output columns are resolved from its inputs), the
 * sample's key, label and features, and the data subject's sources and columns. `fail` raises
 * the located error (see the loader).
 */
export function validatePipeline(spec: PipelineSpec, fail: Fail): ValidatedPipeline {
  const tables = new Map<string, TableSchema>();
  spec.sources.forEach((s, i) => {
    if (s.row_key !== undefined && Object.hasOwn(s.columns, s.row_key))
      fail(
        'pipeline.columnCollision',
        ['sources', i, 'row_key'],
        `row_key "${s.row_key}" is also a declared column; expected a name the file does not use`,
      );
    checkHeaders(s, i, fail);
    const table = sourceTable(s);
    if (s.key !== undefined && !table.has(s.key))
      fail(
        'pipeline.unknownColumn',
        ['sources', i, 'key'],
        `key column "${s.key}" is not among the declared columns (${[...table.keys()].join(', ')})`,
      );
    tables.set(s.name, table);
  });
  const order = orderSteps(spec, fail);
  const expressions: PipelineExpression[] = [];
  for (const index of order) {
    const step = spec.steps[index];
    const inputs = stepInputs(step).map(({ name }) => tables.get(name)!);
    tables.set(step.id, resolveStep(step, inputs, { index, fail, expressions }));
  }
  const { label, featureSources } = validateSample(spec, tables, fail);
  validateSubject(spec, fail);
  return { spec, order: order.map((i) => spec.steps[i].id), tables, expressions, label, featureSources };
}

/**
 * A column's `header` names need a header row, and no file column may be read as two declared
 * columns (a header name listed by two columns, or one column's header the name of another).
 */
function checkHeaders(source: SourceSpec, index: number, fail: Fail): void {
  const claimedBy = new Map<string, string>();
  for (const [name, spec] of Object.entries(source.columns)) {
    const at = ['sources', index, 'columns', name, 'header'];
    if (typeof spec !== 'string' && spec.header !== undefined && !source.csv.header)
      fail(
        'pipeline.invalidValue',
        at,
        `column "${name}" lists header names, but the file has no header row (csv.header: false): its columns are declared in file order`,
      );
    for (const h of columnHeaders(name, spec)) {
      const other = claimedBy.get(h);
      if (other !== undefined && other !== name)
        fail(
          'pipeline.columnCollision',
          typeof spec === 'string' || spec.header === undefined ? ['sources', index, 'columns', name] : at,
          `columns "${other}" and "${name}" could both be read from the file column "${h}"; expected each header name to belong to one column`,
        );
      claimedBy.set(h, name);
    }
  }
}

function validateSample(spec: PipelineSpec, tables: ReadonlyMap<string, TableSchema>, fail: Fail) {
  const s = spec.sample;
  const table = tables.get(s.table);
  if (!table)
    return fail(
      'pipeline.unknownInput',
      ['sample', 'table'],
      `unknown table "${s.table}"; expected a source or step id (${[...tables.keys()].join(', ')})`,
    );
  const names = [...table.keys()].join(', ');
  if (!table.has(s.key))
    fail(
      'pipeline.unknownColumn',
      ['sample', 'key'],
      `unknown key column "${s.key}" in "${s.table}"; available: ${names}`,
    );
  const label = atExpression(fail, ['sample', 'label'], () =>
    compileExpression(s.label, expressionTypes(table)),
  );
  if (label.type !== 'boolean' && label.type !== 'number')
    fail(
      'pipeline.expressionType',
      ['sample', 'label'],
      `expected a boolean or 0/1 number label, got ${label.type} from "${label.text}"`,
    );
  const featureSources: Record<string, readonly string[]> = {};
  for (const [k, f] of s.features.entries()) {
    const c = table.get(f);
    if (!c) {
      fail(
        'pipeline.unknownColumn',
        ['sample', 'features', k],
        `unknown feature column "${f}" in "${s.table}"; available: ${names}`,
      );
    }
    if (Object.hasOwn(featureSources, f))
      fail('pipeline.invalidValue', ['sample', 'features', k], `feature "${f}" is listed twice`);
    if (!c.onehot && c.type !== 'number' && c.type !== 'boolean')
      fail(
        'pipeline.columnType',
        ['sample', 'features', k],
        `feature "${f}": expected a number, boolean or one-hot encoded column, got ${c.type} (${c.type === 'string' ? 'encode it with an onehot step' : 'derive a number from it, e.g. days_between or year'})`,
      );
    featureSources[f] = c.sources;
  }
  const seen = new Set<string>();
  for (const [k, p] of (s.protected ?? []).entries()) {
    if (seen.has(p.name))
      fail(
        'pipeline.invalidValue',
        ['sample', 'protected', k, 'name'],
        `protected attribute "${p.name}" is declared twice`,
      );
    seen.add(p.name);
    if (!table.has(p.column))
      fail(
        'pipeline.unknownColumn',
        ['sample', 'protected', k, 'column'],
        `unknown protected attribute column "${p.column}" in "${s.table}"; available: ${names}`,
      );
  }
  return { label, featureSources };
}
