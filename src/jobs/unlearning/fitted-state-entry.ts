import path from 'node:path';
import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import type { ModelArtifact } from '../../models/model-artifact-store.js';
import { type ReplacedRows, replacedRowsFrom } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { runDir } from '../../models/run-matrix-store.js';
import { encoderDriftLevels, type FittedLevel } from './encoder-drift.js';
import type { InventoryEntry } from './erasure-inventory.js';
import { fittedEncodersOf } from './fitted-encoders.js';

/** A model version trained on a run, as the erasure inventory read it. */
export interface RunModelVersion {
  id: string;
  status: string;
  /** Epoch milliseconds (0 when unknown). */
  trainedAt: number;
  /** The feature names its `model.json` keeps (null: no artifact). */
  featureNames: string[] | null;
  /** Its loaded artifact (null: none, or its parameters were deleted). */
  artifact: ModelArtifact | null;
}

/** One `encode` op of the run as the graph keeps it (params and column lineage as JSON). */
interface EncodeOp {
  id: string;
  params: string | null;
  columns: string | null;
}

/**
 * The inventory entry `fitted encoder state` of a run an erasure touched: the one-hot levels of
 * the run's fitted state (the recipe in `matrix.json`) that no remaining sample of the run holds,
 * i.e. whose only holders were erased rows, so that the level's text is an erased person's value;
 * and which stores still keep those texts (the recipe and feature names in `matrix.json`, each
 * model version's `model.json` feature names, the Run's `featureNames` and the `encode` ops'
 * params and column lineage in the graph). The texts themselves are never put in the entry.
 *
 * Measured on the stores, not read from the request's recorded encoder drift
 * (`levelsOnlyErased`): that record is per model line and as of its request (a later request, or a
 * line the request did not update, is not in it; a line counts only the rows it trains on) and it
 * is a number the job wrote, whereas the inventory states what the stores hold now. So the count
 * is recomputed with the drift's own measure ({@link encoderDriftLevels}) on a refit over every
 * remaining sample of the run: the run matrix's rows (with its fit baseline once rows were
 * scrubbed out of it), less every sample the graph marks erased (by any request on the run),
 * with re-derived samples read from the newest active model version that carries their
 * re-derived row. As in the drift, a level's holders are the rows its step was fitted on (the
 * train samples, or all samples for a step fitted on all rows). It is cumulative over the run:
 * which erased row held which level is kept nowhere (the fit baseline keeps levels only as
 * seen/unseen), so a level counted here may have been another request's on the same run.
 *
 * States: `present` (count: such levels), `not present` (every level still has a holder),
 * `unknown` (no matrix or no recipe, a matrix scrubbed without its fit baseline, one-hot columns
 * whose fitted state the samples do not give back, or re-derived samples whose rows no active
 * version carries while some level is held by no other row). Read-only.
 */
export async function fittedStateEntry(
  client: GraphClient,
  home: ArtifactHome,
  runId: string,
  matrix: RunMatrix | null,
  versions: readonly RunModelVersion[],
): Promise<InventoryEntry> {
  const base = {
    store: 'fitted encoder state',
    owner: 'traceprop' as const,
    location: `${path.join(runDir(home, runId), 'matrix.json')} (recipe)`,
  };
  const unknown = (detail: string): InventoryEntry => ({ ...base, state: 'unknown', detail });
  if (!matrix) return unknown(`run ${runId} has no saved matrix: its fitted encoder state is not known`);
  const fitted = fittedEncodersOf(matrix);
  if (!fitted)
    return unknown(
      `run ${runId}'s matrix was saved without its pipeline recipe: its fitted encoder state is not known`,
    );
  const [g] = await runReadQuery(client, cypherText('jobs/unlearning', 'inventory-fitted-state'), { runId });
  const rowOf = new Map<string, number>();
  matrix.sampleIds.forEach((id, i) => {
    rowOf.set(id, i);
  });
  const rowsOf = (ids: unknown) =>
    new Set(
      ((ids as string[] | undefined) ?? [])
        .map((id) => rowOf.get(id))
        .filter((r): r is number => r !== undefined),
    );
  const dropped = rowsOf(g?.dropped);
  const rederived = rowsOf(g?.rederived);
  const replaced = currentRows(matrix, rederived, versions);
  const carried = new Set(replaced ? Array.from(replaced.samples) : []);
  const missing = [...rederived].filter((r) => !carried.has(r)).length;
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < matrix.sampleIds.length; i++) {
    if (dropped.has(i) || (rederived.has(i) && !carried.has(i))) continue;
    (matrix.split[i] === 0 ? trainRows : testRows).push(i);
  }
  const { drift, levels } = encoderDriftLevels(matrix, { trainRows, testRows, replaced });
  if (drift.status === 'unknown' && drift.note) return unknown(drift.note);
  const onehot = new Set(fitted.onehot.map((c) => c.column));
  const total = fitted.onehot.reduce((n, c) => n + c.categories.length, 0);
  const unmeasured = drift.unmeasured.filter((c) => onehot.has(c));
  const notMeasured =
    unmeasured.length > 0
      ? `; the levels of ${unmeasured.join(', ')} were not measured (fitted on other rows than the samples)`
      : '';
  const columns = [...new Set(levels.map((l) => l.column))].sort().join(', ');
  const erased = `${dropped.size} erased and ${rederived.size} re-derived samples on the run`;
  if (levels.length === 0)
    return unmeasured.length > 0
      ? {
          ...base,
          state: 'unknown',
          count: 0,
          detail: `run ${runId}: no measured level is held only by erased rows (${erased})${notMeasured}`,
        }
      : {
          ...base,
          state: 'not present',
          count: 0,
          detail:
            total === 0
              ? `run ${runId}'s fitted state has no one-hot level`
              : `run ${runId}: each of the ${total} fitted one-hot levels is still held by a remaining sample (${erased})`,
        };
  const kept = keptIn(levels, matrix, versions, g?.featureNames, g?.encodeOps as EncodeOp[] | undefined);
  const what = `${levels.length} fitted one-hot level${levels.length === 1 ? '' : 's'} (${columns}) of run ${runId}`;
  if (missing > 0)
    return {
      ...base,
      state: 'unknown',
      count: levels.length,
      detail: `at most ${what} held by no remaining sample: ${missing} re-derived sample${missing === 1 ? "'s row is" : "s' rows are"} in no active model version's artifact, so whether they hold them is not known; the texts are kept in ${kept}`,
    };
  return {
    ...base,
    state: 'present',
    count: levels.length,
    detail: `${what} held by no remaining sample: only erased rows had them (${erased}; which request's rows is not kept). Their texts are kept on purpose, as feature names (docs/unlearning.md), in ${kept}${notMeasured}`,
  };
}

/**
 * The re-derived samples' current rows: each from the newest active model version whose artifact
 * carries it (undefined when none does).
 */
function currentRows(
  matrix: RunMatrix,
  rederived: ReadonlySet<number>,
  versions: readonly RunModelVersion[],
): ReplacedRows | undefined {
  if (rederived.size === 0) return undefined;
  const active = versions
    .filter((v) => v.status === 'active' && v.artifact?.replaced)
    .sort((a, b) => b.trainedAt - a.trainedAt);
  const entries: [number, ReplacedRows['x'], number][] = [];
  const found = new Set<number>();
  for (const v of active) {
    const r = (v.artifact as ModelArtifact).replaced as ReplacedRows;
    r.samples.forEach((sample, k) => {
      if (!rederived.has(sample) || found.has(sample)) return;
      found.add(sample);
      entries.push([sample, r.x, k]);
    });
  }
  return entries.length > 0 ? replacedRowsFrom(entries, matrix.features.cols) : undefined;
}

/**
 * Which stores keep the texts of `levels`, measured on each: `matrix.json` (recipe categories,
 * feature names), the model versions' `model.json` feature names, the Run's feature names and the
 * `encode` ops (params `categories`, column lineage keys) in the graph. Names stores and counts,
 * never the texts.
 */
function keptIn(
  levels: readonly FittedLevel[],
  matrix: RunMatrix,
  versions: readonly RunModelVersion[],
  runFeatureNames: unknown,
  encodeOps: readonly EncodeOp[] = [],
): string {
  const names = new Set(levels.map((l) => `${l.column}=${l.level}`));
  const named = (xs: readonly string[] | null | undefined) => (xs ?? []).some((n) => names.has(n));
  const fitted = fittedEncodersOf(matrix);
  const inRecipe = levels.filter((l) =>
    fitted?.onehot.some((c) => c.column === l.column && c.categories.includes(l.level)),
  ).length;
  const inMatrixNames = matrix.featureNames.filter((n) => names.has(n)).length;
  const models = versions.filter((v) => named(v.featureNames)).length;
  const run = named(runFeatureNames as string[] | undefined);
  const ops = encodeOps.filter((op) => opHolds(op, levels, names)).length;
  const places = [
    inRecipe + inMatrixNames > 0
      ? `matrix.json (recipe: ${inRecipe}, featureNames: ${inMatrixNames} of them)`
      : null,
    models > 0 ? `model.json featureNames of ${models} model version${models === 1 ? '' : 's'}` : null,
    run || ops > 0
      ? `the graph (${[run ? 'Run.featureNames' : null, ops > 0 ? `${ops} encode op${ops === 1 ? '' : 's'}: params, column lineage` : null].filter(Boolean).join(', ')})`
      : null,
  ].filter((p): p is string => p !== null);
  return places.length > 0 ? places.join('; ') : 'no store (none of them holds the texts)';
}

/** Whether an `encode` op's params (fitted `categories`) or column lineage name one of the levels. */
function opHolds(op: EncodeOp, levels: readonly FittedLevel[], names: ReadonlySet<string>): boolean {
  const parse = (text: string | null): Record<string, unknown> => {
    try {
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const categories = (parse(op.params).categories ?? {}) as Record<string, unknown>;
  const levelsOf = (column: string): unknown[] => {
    const c = categories[column];
    return Array.isArray(c) ? c : [];
  };
  if (levels.some((l) => levelsOf(l.column).includes(l.level))) return true;
  return Object.keys(parse(op.columns)).some((n) => names.has(n));
}
