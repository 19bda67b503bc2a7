import { UsageError } from '../errors.js';
import { Pipeline } from '../lineage/pipeline.js';
import type { CsvTable } from '../lineage/read-csv.js';
import { stepInputs } from '../pipeline-spec/step-graph.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';
import { buildSample } from './build-sample.js';
import type { DeclaredRunOptions, DeclaredRunResult } from './declared-run-types.js';
import { featureWarnings } from './feature-warnings.js';
import { loadDeclaredSources } from './load-declared-sources.js';
import type { RunContext } from './run-context.js';
import { runStep } from './run-step.js';

/**
 * Runs a validated pipeline file on its parsed source tables (no I/O), with exact row lineage:
 * every source is loaded (a `load` op; `excludeRows`/`onlyRows` filter it right after), every
 * step runs in order under `beginStep(step id)` so its ops carry the step, and the sample table
 * gives keys, 0/1 labels, the split and the feature matrix. Fitting steps (onehot, standardize,
 * impute) fit on the train rows of a split upstream of them, else on all rows; `fitted` holds what
 * they learnt, so a re-run with `reuse` (and `onlyRows`, to re-derive some samples) fits nothing
 * and gives the same rows for the same samples.
 *
 * Errors: `pipeline.sourceMismatch`, `pipeline.joinCardinality`, `pipeline.sampleKey`,
 * `pipeline.badLabel`, `pipeline.tooManyLeftOut` (a filter with `max_left_out`), `pipeline.onlyRowsWithoutReuse`, `pipelines.badExcludeRows`,
 * `pipelines.reuseMismatch`, `pipeline.unknownColumn` (no sample key where a split needs it).
 *
 * @example
 * const pipeline = loadPipelineSpec('pipelines/berka-loans.yaml');
 * const tables = await readPipelineSources(pipeline, dataDir);
 * const r = runDeclaredPipeline(pipeline, tables, { mode: 'row' });
 * r.matrix;           // samples × features, in r.featureNames order
 * r.frame.sourceRows(0); // the source rows sample 0 derives from
 */
export function runDeclaredPipeline(
  pipeline: ValidatedPipeline,
  tables: ReadonlyMap<string, CsvTable>,
  options: DeclaredRunOptions = {},
): DeclaredRunResult {
  checkOptions(pipeline, options);
  const { spec } = pipeline;
  const tracker = new Pipeline({ name: spec.name, mode: options.mode ?? 'row', runId: options.runId });
  const ctx: RunContext = {
    pipeline,
    tracker,
    reuse: options.reuse,
    fitted: {},
    splits: new Map(),
    warnings: [],
    leftOut: {},
  };
  const total = spec.sources.length + spec.steps.length + 1;
  let done = 0;
  const tick = (stage: string) => options.onProgress?.({ stage, done: ++done, total });

  const states = loadDeclaredSources(ctx, tables, options, tick);
  const stepIndex = new Map(spec.steps.map((s, i) => [s.id, i]));
  const lastUse = lastUses(pipeline);
  for (const [k, id] of pipeline.order.entries()) {
    const index = stepIndex.get(id)!;
    const step = spec.steps[index];
    tracker.beginStep(step.id);
    states.set(step.id, runStep(ctx, step, index, states));
    tracker.beginStep(undefined);
    // Frames no later step reads are let go (the sample table is kept).
    for (const { name } of stepInputs(step))
      if (lastUse.get(name) === k && name !== spec.sample.table) states.delete(name);
    tick(`step ${id}`);
  }

  const state = states.get(spec.sample.table)!;
  const sample = buildSample(ctx, state);
  const warnings = [
    ...ctx.warnings,
    ...(options.onlyRows ? [] : featureWarnings(state.frame, sample.featureNames, sample.featureStats)),
  ];
  const lineage = tracker.tracksOps
    ? tracker.finish({
        frame: state.frame,
        keys: sample.keys,
        keyColumn: spec.sample.key,
        labels: sample.labels,
        split: sample.split,
        featureNames: sample.featureNames,
        definition: options.definition,
      })
    : undefined;
  tick('sample');
  return {
    matrix: sample.matrix,
    featureNames: sample.featureNames,
    labels: sample.labels,
    keys: sample.keys,
    split: sample.split,
    lineage,
    frame: state.frame,
    fitted: ctx.fitted,
    warnings,
    leftOut: ctx.leftOut,
    protectedGroups: sample.protectedGroups,
  };
}

/** Position in the run order of the last step reading each table. */
function lastUses(pipeline: ValidatedPipeline): Map<string, number> {
  const byId = new Map(pipeline.spec.steps.map((s) => [s.id, s]));
  const out = new Map<string, number>();
  pipeline.order.forEach((id, k) => {
    for (const { name } of stepInputs(byId.get(id)!)) out.set(name, k);
  });
  return out;
}

/** Per-source options name declared sources; `onlyRows` needs `reuse`. */
function checkOptions(pipeline: ValidatedPipeline, options: DeclaredRunOptions): void {
  if (options.onlyRows && !options.reuse)
    throw new UsageError(
      'pipeline.onlyRowsWithoutReuse',
      "onlyRows re-derives some samples of an earlier run and needs that run's fitted state and split (reuse): fitting on a subset would change every feature",
    );
  const names = pipeline.spec.sources.map((s) => s.name);
  for (const [option, value] of [
    ['excludeRows', options.excludeRows],
    ['excludedBy', options.excludedBy],
    ['onlyRows', options.onlyRows],
  ] as const) {
    for (const source of Object.keys(value ?? {})) {
      if (!names.includes(source))
        throw new UsageError(
          'pipelines.badExcludeRows',
          `${option}.${source}: no source of pipeline "${pipeline.spec.name}" has that name (sources: ${names.join(', ')})`,
        );
    }
  }
}
