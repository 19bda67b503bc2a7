import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { csrFromDense } from '../../attribution/csr-matrix.js';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { type ErasedRows, matchTombstones, type PendingErasure } from '../../erasure/match-tombstones.js';
import type { Tombstone } from '../../erasure/tombstone.js';
import { InputError } from '../../errors.js';
import type { ReplacedRows } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import {
  type CreditRiskOptions,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../../pipelines/credit-risk-pipeline.js';
import {
  type CreditRiskRecipe,
  type CreditRiskTableName,
  creditRiskTableNames,
} from '../../pipelines/credit-risk-recipe.js';

/** What {@link recomputeSamples} re-derived. */
export interface RecomputedSamples extends ReplacedRows {
  /** Source rows left out of the re-run, per table (this request's and earlier erasures). */
  excludedRows: Record<CreditRiskTableName, number>;
  /** Ops of the re-run (its `erased by <request ids>` filters record what was left out). */
  ops: { kind: string; name: string }[];
  /** Wall time of the re-run (hash check, parse, transforms), seconds. */
  seconds: number;
}

/** The erased rows a re-derivation leaves out. */
export interface RecomputeErasures {
  /** Tombstones of earlier erasures of the run's files and tables ({@link findErasedRows}). */
  tombstones: readonly Tombstone[];
  /** The running request's rows (its tombstones are written with its result). */
  pending: PendingErasure;
  /** The deployment's salt, to match key-hashed tombstones. */
  salt: ErasureSalt;
}

/**
 * Re-derives samples of a run without erased source rows: checks that the run's input files
 * still have the content sha256 recorded in its recipe, re-runs the pipeline on the affected
 * applicants' rows only with the erased rows left out (a `filter` op `erased by <request ids>`
 * per table: this request's rows, and every tombstoned row, matched by file and row or by the
 * salted hash of its business key), re-using the original run's encoder state and split so
 * the rows are in the trained model's feature space, and returns the new feature rows of the
 * `samples` (run-matrix rows) that still exist. A sample whose application row was erased has
 * no new row (drop it).
 *
 * @param erasures this request's rows and the tombstones of earlier erasures. Rows of files the
 *   run did not read are ignored.
 * @throws InputError `unlearning.noRecipe` (the run matrix was saved without a recipe),
 *   `unlearning.sourceChanged` (an input file is missing or its content changed);
 *   TracepropError `erasure.saltMismatch` (tombstones hashed with another salt).
 */
export async function recomputeSamples(
  matrix: RunMatrix,
  samples: ArrayLike<number>,
  erasures: RecomputeErasures,
): Promise<RecomputedSamples> {
  const started = performance.now();
  const recipe = matrix.recipe;
  if (!recipe) {
    throw new InputError(
      'unlearning.noRecipe',
      `run ${matrix.runId} was saved without its pipeline recipe, so its samples cannot be re-derived; use --mode drop, or re-ingest the files`,
    );
  }
  const files = {
    application: recipe.files.application.path,
    bureau: recipe.files.bureau.path,
    previous: recipe.files.previous.path,
  };
  // One pass over each file: the parse hashes what it reads. A parse failure is most likely a
  // changed file, so it is reported as that when the content no longer matches.
  let tables: Awaited<ReturnType<typeof readCreditRiskTables>>;
  try {
    tables = await readCreditRiskTables(files, { labelColumn: recipe.labelColumn });
  } catch (err) {
    for (const t of creditRiskTableNames) assertUnchanged(recipe, t, await sha256OfFile(recipe, t));
    throw err;
  }
  for (const t of creditRiskTableNames) assertUnchanged(recipe, t, tables[t].sha256);
  const erased: Partial<Record<CreditRiskTableName, ErasedRows>> = matchTombstones(
    { application: tables.application, bureau: tables.bureau, previous: tables.previous },
    erasures.tombstones,
    erasures.salt,
    erasures.pending,
  );
  const exclude: Partial<Record<CreditRiskTableName, number[]>> = {};
  const excludedBy: Partial<Record<CreditRiskTableName, string[]>> = {};
  for (const t of creditRiskTableNames) {
    const e = erased[t];
    if (!e) continue;
    exclude[t] = e.rows;
    excludedBy[t] = e.requestIds;
  }
  const sorted = Uint32Array.from(samples).sort();
  const onlyKeys = new Set<string>();
  for (const s of sorted) onlyKeys.add(matrix.sampleKeys[s]);
  const splitByKey = new Map<string, number>();
  for (let i = 0; i < matrix.sampleKeys.length; i++) splitByKey.set(matrix.sampleKeys[i], matrix.split[i]);
  const options: CreditRiskOptions = {
    mode: 'op',
    excludeRows: exclude,
    excludedBy,
    reuse: {
      encoder: recipe.encoder,
      featureNames: recipe.featureNames,
      splitByKey,
      from: `run ${matrix.runId}`,
    },
    onlyKeys,
  };
  const rerun = runCreditRiskTransforms(tables, options);

  const rowOfKey = new Map<string, number>();
  for (let j = 0; j < rerun.keys.length; j++) rowOfKey.set(rerun.keys[j], j);
  const d = rerun.matrix.cols;
  const kept: number[] = [];
  const dense: number[] = [];
  for (const s of sorted) {
    const j = rowOfKey.get(matrix.sampleKeys[s]);
    if (j === undefined) continue;
    kept.push(s);
    for (let c = 0; c < d; c++) {
      const v = rerun.matrix.data[j * d + c];
      if (!Number.isFinite(v)) {
        throw new InputError(
          'models.badMatrix',
          `re-derived feature ${rerun.featureNames[c]} of sample ${matrix.sampleKeys[s]} is ${v}, expected a finite number`,
        );
      }
      dense.push(v);
    }
  }
  return {
    samples: Uint32Array.from(kept),
    x: csrFromDense(dense, kept.length, d),
    excludedRows: {
      application: exclude.application?.length ?? 0,
      bureau: exclude.bureau?.length ?? 0,
      previous: exclude.previous?.length ?? 0,
    },
    ops: (rerun.lineage?.ops ?? []).map((o) => ({ kind: o.kind, name: o.name })),
    seconds: (performance.now() - started) / 1000,
  };
}

async function sha256OfFile(recipe: CreditRiskRecipe, table: CreditRiskTableName): Promise<string | null> {
  const file = recipe.files[table].path;
  try {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

function assertUnchanged(recipe: CreditRiskRecipe, table: CreditRiskTableName, actual: string | null): void {
  const f = recipe.files[table];
  if (actual === f.sha256) return;
  throw new InputError(
    'unlearning.sourceChanged',
    actual === null
      ? `${f.path} (the run's ${f.table} file) cannot be read any more, so its samples cannot be re-derived; restore the file (content sha256 ${f.sha256}) or use --mode drop`
      : `${f.path} (the run's ${f.table} file) changed since ingest: its content sha256 is ${actual}, expected ${f.sha256}; restore it, or use --mode drop`,
  );
}
