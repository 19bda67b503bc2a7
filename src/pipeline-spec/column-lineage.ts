import type { TypedExpression } from '../expressions/typed-expression.js';
import type { StepSpec } from './step-schema.js';
import { sourcesOf, type TableSchema } from './table-schema.js';
import type { ValidatedPipeline } from './validate-pipeline.js';

/** How a source column shapes a value without being part of it (OpenLineage INDIRECT subtypes). */
type IndirectSubtype = 'JOIN' | 'FILTER' | 'GROUP_BY' | 'CONDITIONAL';

/** A source column that a feature (or the whole sample table) depends on indirectly, and where. */
export interface IndirectInput {
  /** The source column, `source.column`. */
  readonly source: string;
  readonly subtype: IndirectSubtype;
  /** The step that uses it (its id). */
  readonly step: string;
  /** What the step does with it, e.g. `left join on SK_ID_CURR`, `where TARGET in [0, 1]`. */
  readonly description: string;
}

/** A source column a feature's value is computed from (OpenLineage DIRECT subtypes). */
export interface DirectInput {
  readonly source: string;
  /** IDENTITY: the source value unchanged; AGGREGATION: through an aggregate measure; else TRANSFORMATION. */
  readonly subtype: 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
}

/** The column lineage of one feature. */
interface FeatureLineage {
  /** Exactly the feature's recorded source columns (`featureSources`), each with its subtype. */
  readonly direct: readonly DirectInput[];
  /** What shapes the feature's rows or values along its path: joins, filters, group-bys, conditions. */
  readonly indirect: readonly IndirectInput[];
}

/** Direct and indirect column lineage of a pipeline's sample. */
export interface SampleColumnLineage {
  /** Per feature, in the sample's order. */
  readonly features: Readonly<Record<string, FeatureLineage>>;
  /**
   * What shapes the whole sample table: the join keys, filter columns and group-by keys of every
   * step the sample table is computed from (whichever side of a join they are on).
   */
  readonly dataset: readonly IndirectInput[];
}

/** What is known of one table (a source or a step output) while walking the steps. */
interface TableLineage {
  /** Indirect inputs that decide which rows the table has (they apply to every column). */
  readonly rows: ReadonlyMap<string, IndirectInput>;
  /** Indirect inputs of single columns beyond `rows`. */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, IndirectInput>>;
  /** Source columns that reached a column through an aggregate measure. */
  readonly aggregated: ReadonlyMap<string, ReadonlySet<string>>;
  /** Columns that still hold a source column's values unchanged. */
  readonly identity: ReadonlySet<string>;
  /** Every join, filter and group-by input of the table's steps and their upstream. */
  readonly all: ReadonlyMap<string, IndirectInput>;
}

type Refs = Map<string, IndirectInput>;
const none: ReadonlyMap<string, IndirectInput> = new Map();
const noSources: ReadonlySet<string> = new Set();
const keyOf = (r: IndirectInput) => `${r.subtype}\u0000${r.step}\u0000${r.source}`;

function merge(...sets: (ReadonlyMap<string, IndirectInput> | undefined)[]): Refs {
  const out: Refs = new Map();
  for (const s of sets) for (const [k, v] of s ?? none) out.set(k, v);
  return out;
}

function refs(sources: readonly string[], subtype: IndirectSubtype, step: string, description: string): Refs {
  const out: Refs = new Map();
  for (const source of sources) {
    const ref = { source, subtype, step, description };
    out.set(keyOf(ref), ref);
  }
  return out;
}

/** Columns read inside the conditions of `if` (nested anywhere in the expression). */
function conditionColumns(tree: TypedExpression): string[] {
  const out = new Set<string>();
  const all = (t: TypedExpression, into: Set<string>) => {
    if (t.kind === 'column') into.add(t.name);
    else if (t.kind === 'unary' || t.kind === 'in') all(t.arg, into);
    else if (t.kind === 'binary') {
      all(t.left, into);
      all(t.right, into);
    } else if (t.kind === 'call') for (const a of t.args) all(a, into);
  };
  const visit = (t: TypedExpression) => {
    if (t.kind === 'unary' || t.kind === 'in') visit(t.arg);
    else if (t.kind === 'binary') {
      visit(t.left);
      visit(t.right);
    } else if (t.kind === 'call') {
      if (t.fn === 'if') all(t.args[0], out);
      for (const a of t.args) visit(a);
    }
  };
  visit(tree);
  return [...out];
}

/**
 * The column lineage of a validated pipeline's features for OpenLineage's `columnLineage`
 * facet. DIRECT inputs are the feature's recorded source columns (`featureSources`, so the facet
 * agrees with `pipeline explain` and the graph), as IDENTITY, AGGREGATION or TRANSFORMATION.
 * INDIRECT inputs follow each column through the steps: a filter's columns (FILTER) and a join's
 * keys on both sides (JOIN) shape every column after them; an aggregate's group-by keys
 * (GROUP_BY) every column it outputs; the columns of an `if` condition or a share's `where`
 * (CONDITIONAL) the column it computes. The right side's row shaping reaches the right columns of
 * a left join and every column of an inner join. `dataset` lists every JOIN, FILTER and
 * GROUP_BY input upstream of the sample table. Pure: reads the pipeline's resolved tables and
 * compiled expressions only.
 *
 * @example
 * const lineage = sampleColumnLineage(loadPipelineSpec('pipelines/credit-risk.yaml'));
 * lineage.dataset.filter((i) => i.subtype === 'JOIN').map((i) => i.source);
 * // ['application.SK_ID_CURR', 'bureau.SK_ID_CURR', …]
 */
export function sampleColumnLineage(pipeline: ValidatedPipeline): SampleColumnLineage {
  const { spec, tables } = pipeline;
  const expressions = new Map(pipeline.expressions.map((e) => [JSON.stringify(e.path), e.expression]));
  const lineage = new Map<string, TableLineage>();
  for (const s of spec.sources) {
    const table = tables.get(s.name)!;
    lineage.set(s.name, {
      rows: none,
      columns: new Map(),
      aggregated: new Map(),
      identity: new Set(table.keys()),
      all: none,
    });
  }
  const stepIndex = new Map(spec.steps.map((s, i) => [s.id, i]));
  for (const id of pipeline.order) {
    const index = stepIndex.get(id)!;
    const step = spec.steps[index];
    const expression = (...rel: PropertyKey[]) => expressions.get(JSON.stringify(['steps', index, ...rel]));
    lineage.set(id, stepLineage(step, tables, lineage, expression));
  }
  const sample = lineage.get(spec.sample.table)!;
  const table = tables.get(spec.sample.table)!;
  const features: Record<string, FeatureLineage> = {};
  for (const f of spec.sample.features) {
    const aggregated = sample.aggregated.get(f) ?? noSources;
    const identity = sample.identity.has(f);
    features[f] = {
      direct: (table.get(f)?.sources ?? []).map((source) => ({
        source,
        subtype: aggregated.has(source) ? 'AGGREGATION' : identity ? 'IDENTITY' : 'TRANSFORMATION',
      })),
      indirect: sorted(merge(sample.rows, sample.columns.get(f))),
    };
  }
  return { features, dataset: sorted(sample.all) };
}

function sorted(refs: ReadonlyMap<string, IndirectInput>): IndirectInput[] {
  return [...refs.values()].sort(
    (a, b) =>
      a.source.localeCompare(b.source) || a.subtype.localeCompare(b.subtype) || a.step.localeCompare(b.step),
  );
}

type ExpressionAt = (
  ...rel: PropertyKey[]
) => { tree: TypedExpression; columns: readonly string[]; text: string } | undefined;

/** The lineage of one step's output from its inputs' lineage. */
function stepLineage(
  step: StepSpec,
  tables: ReadonlyMap<string, TableSchema>,
  lineage: ReadonlyMap<string, TableLineage>,
  expressionAt: ExpressionAt,
): TableLineage {
  if (step.kind === 'join') {
    const left = lineage.get(step.left)!;
    const right = lineage.get(step.right)!;
    const lt = tables.get(step.left)!;
    const rt = tables.get(step.right)!;
    const pairs = step.on.map((p) => (typeof p === 'string' ? { left: p, right: p } : p));
    const on = pairs.map((p) => (p.left === p.right ? p.left : `${p.left} = ${p.right}`)).join(', ');
    const join = refs(
      [
        ...sourcesOf(
          lt,
          pairs.map((p) => p.left),
        ),
        ...sourcesOf(
          rt,
          pairs.map((p) => p.right),
        ),
      ],
      'JOIN',
      step.id,
      `${step.how} join ${step.left} with ${step.right} on ${on}`,
    );
    const rows = merge(left.rows, join, step.how === 'inner' ? right.rows : undefined);
    const columns = new Map(left.columns);
    const aggregated = new Map(left.aggregated);
    const identity = new Set(left.identity);
    const rightKeys = new Set(pairs.map((p) => p.right));
    for (const name of rt.keys()) {
      if (rightKeys.has(name)) continue;
      const target = lt.has(name) ? `${name}${step.suffix}` : name;
      columns.set(target, merge(right.columns.get(name), step.how === 'left' ? right.rows : undefined));
      aggregated.set(target, right.aggregated.get(name) ?? noSources);
      if (right.identity.has(name)) identity.add(target);
      else identity.delete(target);
    }
    return { rows, columns, aggregated, identity, all: merge(left.all, right.all, join) };
  }
  const input = lineage.get(step.input)!;
  const it = tables.get(step.input)!;
  switch (step.kind) {
    case 'filter': {
      const e = expressionAt('where');
      const filter = refs(sourcesOf(it, e?.columns ?? []), 'FILTER', step.id, `where ${step.where}`);
      return { ...input, rows: merge(input.rows, filter), all: merge(input.all, filter) };
    }
    case 'derive': {
      const columns = new Map(input.columns);
      const aggregated = new Map(input.aggregated);
      const identity = new Set(input.identity);
      for (const name of Object.keys(step.columns)) {
        const e = expressionAt('columns', name);
        const read = e?.columns ?? [];
        const conditional = refs(
          sourcesOf(it, e ? conditionColumns(e.tree) : []),
          'CONDITIONAL',
          step.id,
          `condition of ${name} = ${step.columns[name]}`,
        );
        columns.set(name, merge(...read.map((c) => input.columns.get(c)), conditional));
        aggregated.set(name, new Set(read.flatMap((c) => [...(input.aggregated.get(c) ?? [])])));
        identity.delete(name);
      }
      return { ...input, columns, aggregated, identity };
    }
    case 'aggregate': {
      const groupBy = refs(sourcesOf(it, step.by), 'GROUP_BY', step.id, `group by ${step.by.join(', ')}`);
      const columns = new Map<string, ReadonlyMap<string, IndirectInput>>();
      const aggregated = new Map<string, ReadonlySet<string>>();
      const identity = new Set<string>();
      for (const b of step.by) {
        columns.set(b, input.columns.get(b) ?? none);
        aggregated.set(b, input.aggregated.get(b) ?? noSources);
        if (input.identity.has(b)) identity.add(b);
      }
      for (const [name, m] of Object.entries(step.measures)) {
        if (m.fn === 'share') {
          const e = expressionAt('measures', name, 'where');
          const read = e?.columns ?? [];
          columns.set(
            name,
            merge(
              ...read.map((c) => input.columns.get(c)),
              refs(sourcesOf(it, read), 'CONDITIONAL', step.id, `${name}: share where ${m.where}`),
            ),
          );
          aggregated.set(name, new Set(sourcesOf(it, read.length ? read : step.by)));
          continue;
        }
        const column = m.column;
        columns.set(name, column === undefined ? none : (input.columns.get(column) ?? none));
        aggregated.set(
          name,
          new Set(column === undefined ? sourcesOf(it, step.by) : sourcesOf(it, [column])),
        );
      }
      return {
        rows: merge(input.rows, groupBy),
        columns,
        aggregated,
        identity,
        all: merge(input.all, groupBy),
      };
    }
    case 'select':
    case 'drop':
    case 'split':
      return input;
    case 'onehot':
    case 'standardize':
    case 'impute': {
      const identity = new Set(input.identity);
      for (const c of step.columns) identity.delete(c);
      return { ...input, identity };
    }
  }
}
