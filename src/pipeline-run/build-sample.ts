import { InputError, UsageError } from '../errors.js';
import type { FeatureMatrix } from '../lineage/feature-matrix.js';
import { type FeatureStats, featureMatrixWithStats } from './feature-warnings.js';
import { type ProtectedGroups, protectedGroupsOf } from './protected-groups.js';
import type { RunContext, TableState } from './run-context.js';
import { keysKnownUnique, keyTexts, markUniqueKeys } from './sample-keys.js';
import { assignmentOf, unassigned } from './split-assignment.js';

/** The samples of a run: one per row of the sample table. */
export interface DeclaredSample {
  keys: string[];
  labels: Float64Array;
  split: Uint8Array;
  featureNames: string[];
  matrix: FeatureMatrix;
  /** Per declared protected attribute, each sample's group (kept out of the features). */
  protectedGroups: ProtectedGroups[];
  /** Range and missing count of each feature column, read while making the matrix (for the warnings). */
  featureStats: FeatureStats[];
}

/**
 * The samples of the sample table: keys (`pipeline.sampleKey` when one is missing or repeated),
 * 0/1 labels (`pipeline.badLabel` names the first sample whose label is anything else), the split
 * (the re-run's reused one, else the nearest split upstream, else all train) and the matrix of the
 * features in listed order, a one-hot column as its indicators in fitted order (and each feature's
 * range and missing count, read in the same pass), and the groups of the declared protected
 * attributes (`sample.protected`).
 */
export function buildSample(ctx: RunContext, state: TableState): DeclaredSample {
  const { sample } = ctx.pipeline.spec;
  const keys = sampleKeys(state, sample.key);
  const labels = sampleLabels(ctx, state, keys);
  const split = sampleSplit(ctx, state, keys);
  const featureNames = sample.features.flatMap((f) => state.groups.get(f) ?? [f]);
  const { matrix, stats } = featureMatrixWithStats(state.frame, featureNames);
  if (ctx.reuse) sameFeatures(featureNames, ctx.reuse.featureNames, ctx.reuse.from);
  const protectedGroups = protectedGroupsOf(sample.protected, state);
  return { keys, labels, split, featureNames, matrix, protectedGroups, featureStats: stats };
}

function sampleKeys(state: TableState, key: string): string[] {
  const texts = keyTexts(state, key, 'the sample');
  const unique = keysKnownUnique(state, key);
  const seen = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    const k = texts[i];
    if (k === undefined)
      throw new InputError(
        'pipeline.sampleKey',
        `sample ${i}: its key ${key} is missing; expected a key per sample`,
      );
    if (unique) continue;
    if (seen.has(k))
      throw new InputError(
        'pipeline.sampleKey',
        `samples ${texts.indexOf(k)} and ${i} have the same key ${key} = ${k}; expected one sample per key (aggregate to one row per key first)`,
      );
    seen.add(k);
  }
  markUniqueKeys(state, key);
  return [...(texts as readonly string[])];
}

function sampleLabels(ctx: RunContext, state: TableState, keys: readonly string[]): Float64Array {
  const label = ctx.pipeline.label;
  const v = label.evaluate(state.frame);
  if (v.type === 'string') throw new TypeError('internal: a string label');
  const labels = v.values.slice();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === 0 || y === 1) continue;
    const got = Number.isNaN(y) ? 'a missing value' : String(y);
    throw new InputError(
      'pipeline.badLabel',
      `sample ${ctx.pipeline.spec.sample.key} = ${keys[i]}: the label "${label.text}" gives ${got}; expected 0 or 1 (false or true) for every sample (filter the unlabelled rows out first)`,
    );
  }
  return labels;
}

function sampleSplit(ctx: RunContext, state: TableState, keys: readonly string[]): Uint8Array {
  const split = new Uint8Array(keys.length);
  if (ctx.reuse) {
    const { splitByKey, from } = ctx.reuse;
    keys.forEach((k, i) => {
      const s = splitByKey.get(k);
      if (s === undefined)
        throw new UsageError(
          'pipelines.reuseMismatch',
          `sample ${ctx.pipeline.spec.sample.key} = ${k} is not a sample of ${from}: the re-run has samples the original did not`,
        );
      split[i] = s === 0 ? 0 : 1;
    });
    return split;
  }
  if (state.splitStep === undefined) return split;
  const a = assignmentOf(ctx, state, 'the sample');
  for (let i = 0; i < keys.length; i++) {
    if (a[i] === unassigned)
      throw new InputError(
        'pipeline.sampleKey',
        `sample ${ctx.pipeline.spec.sample.key} = ${keys[i]} was not among the rows of split "${state.splitStep}"; expected every sample to pass the split`,
      );
    split[i] = a[i];
  }
  return split;
}

function sameFeatures(names: readonly string[], want: readonly string[], from: string): void {
  if (names.length === want.length && names.every((n, i) => n === want[i])) return;
  const missing = want.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !want.includes(n));
  throw new UsageError(
    'pipelines.reuseMismatch',
    `the re-run's features differ from ${from}'s (${want.length} expected, ${names.length} got; missing: ${missing.slice(0, 5).join(', ') || 'none'}; extra: ${extra.slice(0, 5).join(', ') || 'none'})`,
  );
}
