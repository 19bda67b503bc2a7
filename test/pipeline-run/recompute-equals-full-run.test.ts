import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { ErasureSalt } from '../../src/erasure/erasure-salt.js';
import { splitByKeyOf } from '../../src/jobs/unlearning/recompute-common.js';
import {
  recomputeDeclaredSamples,
  rowsReaching,
} from '../../src/jobs/unlearning/recompute-declared-samples.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import type { DeclaredRecipe } from '../../src/pipeline-run/declared-recipe.js';
import type { DeclaredReuse, DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { recipeFileOf } from '../../src/pipeline-run/recipe-file.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { requireDataset } from '../support/require-dataset.js';

/**
 * Issue 10 item 4: recompute-mode unlearning re-runs a pipeline file restricted to the source
 * rows that reach the affected samples (`onlyRows`, as `recomputeDeclaredSamples` does), and
 * that must give exactly what a full re-run without the erased rows gives, with the original
 * run's fitted state and split. Checked for every shipped pipeline on its data: the affected
 * samples plus a spread of untouched ones, their keys, labels and matrix rows.
 */

/** The original run of a shipped pipeline, as ingest made it. */
interface Original {
  tables: Map<string, CsvTable>;
  result: DeclaredRunResult;
}

/** A shipped pipeline, its data, and which source rows to erase (chosen on the original run). */
interface ShippedCase {
  file: string;
  dataDir: () => Promise<string>;
  erase: (orig: Original) => Record<string, number[]>;
  /** Every `extraEvery`-th sample is re-derived too, affected or not. */
  extraEvery: number;
}

/** Rows of source `table` that some sample derives from, ascending. */
function reachedRows(orig: Original, table: string): number[] {
  const lineage = orig.result.lineage!;
  const file = lineage.files.find((f) => f.table === table)!;
  const out = new Set<number>();
  for (const g of lineage.provenance!.rowIds)
    if (g >= file.globalOffset && g < file.globalOffset + file.rows) out.add(g - file.globalOffset);
  return [...out].sort((a, b) => a - b);
}

/** Samples whose row provenance holds an erased row (independent of the code under test). */
function affectedSamples(orig: Original, erased: Record<string, number[]>): number[] {
  const lineage = orig.result.lineage!;
  const prov = lineage.provenance!;
  const ids = new Set<number>();
  for (const [table, rows] of Object.entries(erased)) {
    const file = lineage.files.find((f) => f.table === table)!;
    for (const r of rows) ids.add(file.globalOffset + r);
  }
  const out: number[] = [];
  for (let s = 0; s < orig.result.keys.length; s++) {
    for (let q = prov.offsets[s]; q < prov.offsets[s + 1]; q++)
      if (ids.has(prov.rowIds[q])) {
        out.push(s);
        break;
      }
  }
  return out;
}

/** Row `j` of a row-major matrix. */
function rowOf(m: { data: Float64Array; cols: number }, j: number): number[] {
  return Array.from(m.data.subarray(j * m.cols, (j + 1) * m.cols));
}

/** Row `k` of a CSR matrix, dense. */
function csrRow(
  x: { rowPtr: Uint32Array; colIdx: Uint32Array; values: Float64Array; cols: number },
  k: number,
) {
  const out = new Array<number>(x.cols).fill(0);
  for (let q = x.rowPtr[k]; q < x.rowPtr[k + 1]; q++) out[x.colIdx[q]] = x.values[q];
  return out;
}

const pipelines = path.join(packageRoot, 'pipelines');
let creditRiskDir = '';

const cases: ShippedCase[] = [
  {
    file: 'berka-loans.yaml',
    dataDir: async () => requireDataset('berka_czech_financial'),
    // A card and an order reach loans only through their disposition's account / their account.
    erase: (orig) => {
      const cards = reachedRows(orig, 'card');
      const orders = reachedRows(orig, 'order');
      const clients = reachedRows(orig, 'client');
      return {
        card: [cards[cards.length >> 1]],
        order: [orders[0], orders[orders.length >> 1]],
        client: [clients[clients.length - 1]],
        loan: [5],
      };
    },
    extraEvery: 41,
  },
  {
    file: 'german-credit.yaml',
    dataDir: async () => requireDataset('german_credit'),
    erase: () => ({ german: [3, 500, 999] }),
    extraEvery: 53,
  },
  {
    file: 'taiwan-credit.yaml',
    dataDir: async () => requireDataset('taiwan_credit_default'),
    erase: () => ({ cards: [0, 12_345, 29_999] }),
    extraEvery: 997,
  },
  {
    file: 'credit-risk.yaml',
    dataDir: async () => {
      creditRiskDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-recompute-cr-'));
      await generateCreditRisk({ applicants: 3000, seed: 11, outDir: creditRiskDir });
      return creditRiskDir;
    },
    erase: (orig) => {
      const bureau = reachedRows(orig, 'bureau');
      const previous = reachedRows(orig, 'previous_application');
      return {
        bureau: [bureau[7], bureau[bureau.length >> 1]],
        previous_application: [previous[previous.length - 3]],
        application: [42],
      };
    },
    extraEvery: 61,
  },
];

describe('pipeline runs: a recompute restricted to the affected samples equals a full re-run', function () {
  this.timeout(300_000);
  after(async () => {
    if (creditRiskDir) await fs.promises.rm(creditRiskDir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.file}: keys, labels and matrix rows of the affected (and some untouched) samples`, async () => {
      const pipeline = loadPipelineSpec(path.join(pipelines, c.file));
      const dataDir = path.resolve(await c.dataDir());
      const tables = await readPipelineSources(pipeline, dataDir);
      const result = runDeclaredPipeline(pipeline, tables, { mode: 'row', runId: 'orig' });
      const orig: Original = { tables, result };
      const definition = canonicalPipeline(pipeline.spec);
      const recipe: DeclaredRecipe = {
        format: 'traceprop.recipe/2',
        pipeline: pipeline.spec.name,
        definition: { sha256: definition.sha256, text: definition.text },
        dataDir,
        files: Object.fromEntries([...tables].map(([name, t]) => [name, recipeFileOf(t)])),
        fitted: result.fitted,
        featureNames: [...result.featureNames],
      };
      const matrix = runMatrixFromFeatures({ ...result, recipe }, 'orig');

      const erased = c.erase(orig);
      const affected = affectedSamples(orig, erased);
      const sampleSet = new Set(affected);
      for (let s = 0; s < result.keys.length; s += c.extraEvery) sampleSet.add(s);
      const sorted = Uint32Array.from(sampleSet).sort();
      assert.ok(affected.length > 0, 'the erased rows reach samples');
      if (c.file === 'berka-loans.yaml') {
        // The card and the orders change features of loans whose own rows stay.
        for (const table of ['card', 'order'])
          assert.ok(
            affectedSamples(orig, { [table]: erased[table] }).length > 0,
            `the ${table} rows reach a loan`,
          );
      }

      const reuse: DeclaredReuse = {
        fitted: result.fitted,
        splitByKey: splitByKeyOf(matrix),
        featureNames: result.featureNames,
        from: 'run orig',
      };
      const full = runDeclaredPipeline(pipeline, tables, { mode: 'op', excludeRows: erased, reuse });
      const onlyRows = rowsReaching(matrix, sorted)!;
      const restricted = runDeclaredPipeline(pipeline, tables, {
        mode: 'op',
        excludeRows: erased,
        onlyRows,
        reuse,
      });
      // The restriction is real: far fewer source rows, far fewer samples than a full run.
      const kept = Object.values(onlyRows).reduce((n, rows) => n + rows.size, 0);
      const total = [...tables.values()].reduce((n, t) => n + t.rows, 0);
      assert.ok(kept < total / 4, `restricted to ${kept} of ${total} source rows`);
      assert.ok(restricted.keys.length < full.keys.length / 4);

      // The job's own path: the same restricted re-run from the saved recipe, the erased rows
      // handed over as the running request's pending row ids.
      const pendingRowIds = Object.entries(erased).flatMap(([table, rows]) =>
        rows.map((r) => `${tables.get(table)!.sha256}:${r}`),
      );
      const recomputed = await recomputeDeclaredSamples(matrix, recipe, sorted, {
        tombstones: [],
        pending: { requestId: 'req-1', rowIds: pendingRowIds },
        salt: new ErasureSalt('recompute-equals-full-run-test-salt', 'env'),
      });

      const fullRow = new Map(full.keys.map((k, j) => [k, j]));
      const restrictedRow = new Map(restricted.keys.map((k, j) => [k, j]));
      const recomputedRow = new Map([...recomputed.samples].map((s, k) => [s, k]));
      const isAffected = new Set(affected);
      let changed = 0;
      let dropped = 0;
      for (const s of sorted) {
        const key = result.keys[s];
        const jf = fullRow.get(key);
        const jr = restrictedRow.get(key);
        assert.equal(
          jr !== undefined,
          jf !== undefined,
          `sample ${key}: in the restricted run iff in the full one`,
        );
        assert.equal(recomputedRow.has(s), jf !== undefined, `sample ${key}: recomputed iff in the full run`);
        if (jf === undefined || jr === undefined) {
          dropped++;
          continue;
        }
        assert.equal(restricted.keys[jr], full.keys[jf]);
        assert.equal(restricted.labels[jr], full.labels[jf], `label of ${key}`);
        assert.equal(restricted.split[jr], full.split[jf], `split of ${key}`);
        const want = rowOf(full.matrix, jf);
        assert.deepEqual(rowOf(restricted.matrix, jr), want, `features of ${key}`);
        assert.deepEqual(csrRow(recomputed.x, recomputedRow.get(s)!), want, `recomputed features of ${key}`);
        const before = rowOf(result.matrix, s);
        if (!isAffected.has(s)) assert.deepEqual(want, before, `untouched sample ${key} keeps its features`);
        else if (before.some((v, i) => !Object.is(v, want[i]))) changed++;
      }
      // Erasing a sample's own row drops it; erasing a row it only derives from changes it.
      const own = pipeline.spec.sources[0].name;
      assert.equal(dropped, affectedSamples(orig, { [own]: erased[own] ?? [] }).length, 'dropped samples');
      if (Object.keys(erased).some((t) => t !== own)) assert.ok(changed > 0, 'some affected sample changed');
    });
  }
});
