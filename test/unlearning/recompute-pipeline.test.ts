import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCreditRiskPipeline } from '../../bench/support/hand-written-credit-risk.js';
import { ErasureSalt } from '../../src/erasure/erasure-salt.js';
import { declaredRecipeOfLegacy } from '../../src/jobs/unlearning/legacy-credit-risk-recipe.js';
import { recomputeSamples } from '../../src/jobs/unlearning/recompute-samples.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { declaredRecipeOf } from '../../src/pipeline-run/declared-recipe.js';
import type { DeclaredReuse, DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { creditRiskPipeline, creditRiskPipelineFile } from '../../src/pipelines/credit-risk-spec.js';

describe('credit-risk.yaml: re-derivation without given source rows', () => {
  const pipeline = creditRiskPipeline();
  let dir: string;
  let tables: Map<string, CsvTable>;
  let original: DeclaredRunResult;
  let reuse: DeclaredReuse;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-rederive-'));
    await generateCreditRisk({ applicants: 300, seed: 12, outDir: dir });
    tables = await readPipelineSources(pipeline, dir);
    original = runDeclaredPipeline(pipeline, tables, { mode: 'row' });
    reuse = {
      fitted: original.fitted,
      featureNames: original.featureNames,
      splitByKey: new Map(original.keys.map((k, i) => [k, original.split[i]])),
      from: 'run original',
    };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('re-using the fitted state with nothing left out reproduces the matrix exactly', () => {
    const again = runDeclaredPipeline(pipeline, tables, { mode: 'op', reuse });
    assert.deepEqual(again.featureNames, original.featureNames);
    assert.deepEqual(again.keys, original.keys);
    assert.deepEqual([...again.split], [...original.split]);
    assert.deepEqual([...again.matrix.data], [...original.matrix.data]);
    const encode = again.lineage?.ops.filter((o) => o.kind === 'encode') ?? [];
    assert.deepEqual(
      encode.map((o) => o.params.fitOn),
      ['run original', 'run original'],
    );
    assert.deepEqual(again.leftOut, {}, 'a re-run does not check or report max_left_out');
  });

  it('leaves out rows by a recorded filter op; only the samples derived from them change', () => {
    const prov = original.lineage?.provenance;
    assert.ok(prov);
    const bureauFile = original.lineage?.files.find((f) => f.table === 'bureau');
    assert.ok(bureauFile);
    // sample 0's bureau rows, and one application row (sample 3's)
    const ids = prov.rowIds.subarray(prov.offsets[0], prov.offsets[1]);
    const bureauRows = [...ids]
      .filter((g) => g >= bureauFile.globalOffset && g < bureauFile.globalOffset + bureauFile.rows)
      .map((g) => g - bureauFile.globalOffset);
    assert.ok(bureauRows.length > 0);
    const r = runDeclaredPipeline(pipeline, tables, {
      mode: 'row',
      reuse,
      excludeRows: { bureau: bureauRows, application: [3] },
    });
    const erase = r.lineage?.ops.filter((o) => o.name.startsWith('erase ')) ?? [];
    assert.deepEqual(
      erase.map((o) => [o.kind, o.name, o.params.rows]),
      [
        ['filter', 'erase application rows', [3]],
        ['filter', 'erase bureau rows', bureauRows],
      ],
    );
    assert.equal(r.keys.length, original.keys.length - 1);
    assert.ok(!r.keys.includes(original.keys[3]));
    const d = original.matrix.cols;
    const at = new Map(r.keys.map((k, j) => [k, j]));
    let changedRows = 0;
    original.keys.forEach((k, i) => {
      const j = at.get(k);
      if (j === undefined) return;
      const a = original.matrix.data.subarray(i * d, (i + 1) * d);
      const b = r.matrix.data.subarray(j * d, (j + 1) * d);
      if (a.some((v, c) => v !== b[c])) changedRows++;
      assert.equal(r.split[j], original.split[i], 'the original split is kept');
    });
    assert.equal(changedRows, 1, 'only sample 0 (whose bureau rows were left out) changes');
    const scaled = original.fitted.scaled;
    assert.equal(scaled.kind, 'standardize');
    const c = original.featureNames.indexOf('BUREAU_COUNT');
    const j0 = at.get(original.keys[0]) as number;
    assert.equal(r.matrix.data[j0 * d + c], (0 - scaled.means.BUREAU_COUNT) / scaled.sds.BUREAU_COUNT);
  });
});

describe('recompute of a run of the former hand-written pipeline (legacy recipe traceprop.recipe/1)', () => {
  let dir: string;
  let legacy: RunMatrix;
  let declared: RunMatrix;
  let salt: ErasureSalt;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-legacy-recipe-'));
    await generateCreditRisk({ applicants: 300, seed: 13, outDir: dir });
    // A run as the hand-written pipeline saved it, and the same data through credit-risk.yaml.
    const hand = await runCreditRiskPipeline(dir, { mode: 'row', runId: 'legacy' });
    legacy = runMatrixFromFeatures(hand, 'legacy');
    assert.equal(legacy.recipe?.format, 'traceprop.recipe/1');
    const pipeline = loadPipelineSpec(creditRiskPipelineFile);
    const definition = canonicalPipeline(pipeline.spec);
    const tables = await readPipelineSources(pipeline, dir);
    const run = runDeclaredPipeline(pipeline, tables, { mode: 'row', runId: 'declared', definition });
    declared = runMatrixFromFeatures(
      { ...run, recipe: declaredRecipeOf(definition, dir, tables, run) },
      'declared',
    );
    salt = new ErasureSalt('legacy-recipe-test', 'env');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('converts to a recipe of credit-risk.yaml: its files by source name, the same fitted state and features', () => {
    if (legacy.recipe?.format !== 'traceprop.recipe/1') throw new Error('expected a legacy recipe');
    if (declared.recipe?.format !== 'traceprop.recipe/2') throw new Error('expected a declared recipe');
    const converted = declaredRecipeOfLegacy(legacy.recipe);
    assert.deepEqual(converted.fitted, declared.recipe.fitted);
    assert.deepEqual(converted.featureNames, declared.recipe.featureNames);
    assert.deepEqual(converted.files, declared.recipe.files);
    assert.equal(converted.dataDir, dir);
    // the label is read from the run's label column only: another pipeline text than the shipped one
    const text = JSON.parse(converted.definition.text) as { sources: { columns: Record<string, unknown> }[] };
    assert.deepEqual(text.sources[0].columns.TARGET, { header: ['TARGET'], type: 'number' });
    assert.notEqual(converted.definition.sha256, declared.recipe.definition.sha256);
  });

  it('re-derives the same rows as the declared run, without the erased rows', async () => {
    assert.deepEqual(legacy.sampleKeys, declared.sampleKeys);
    const files = declared.sourceFiles!;
    const bureau = files.find((f) => f.table === 'bureau')!;
    const application = files.find((f) => f.table === 'application')!;
    const prov = declared.provenance!;
    // samples 0-4's bureau rows, and sample 5's application row
    const bureauRows = new Set<number>();
    for (let s = 0; s < 5; s++)
      for (let q = prov.offsets[s]; q < prov.offsets[s + 1]; q++) {
        const g = prov.rowIds[q];
        if (g >= bureau.globalOffset && g < bureau.globalOffset + bureau.rows)
          bureauRows.add(g - bureau.globalOffset);
      }
    assert.ok(bureauRows.size > 0);
    const appRow = [...prov.rowIds.subarray(prov.offsets[5], prov.offsets[6])]
      .filter((g) => g >= application.globalOffset && g < application.globalOffset + application.rows)
      .map((g) => g - application.globalOffset);
    assert.equal(appRow.length, 1);
    const erasures = {
      tombstones: [],
      pending: {
        requestId: 'req-legacy',
        rowIds: [...[...bureauRows].map((r) => `${bureau.id}:${r}`), `${application.id}:${appRow[0]}`],
      },
      salt,
    };
    const samples = [0, 1, 2, 3, 4, 5, 6, 7];
    const a = await recomputeSamples(legacy, samples, erasures);
    const b = await recomputeSamples(declared, samples, erasures);
    assert.deepEqual([...a.samples], [0, 1, 2, 3, 4, 6, 7], "sample 5's own row is erased: no new row");
    assert.deepEqual([...a.samples], [...b.samples]);
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.excludedRows, { application: 1, bureau: bureauRows.size, previous_application: 0 });
    assert.deepEqual(a.excludedRows, b.excludedRows);
    assert.ok(a.ops.some((o) => o.kind === 'filter' && o.name === 'erased by req-legacy'));
    // the erased bureau rows change samples 0-4; samples 6 and 7 come out as they were
    const d = legacy.features.cols;
    const row = (m: RunMatrix['features'], i: number) => {
      const out = new Array<number>(d).fill(0);
      for (let q = m.rowPtr[i]; q < m.rowPtr[i + 1]; q++) out[m.colIdx[q]] = m.values[q];
      return out;
    };
    for (const [k, s] of [...a.samples].entries()) {
      const same = row(a.x, k).every((v, c) => v === row(legacy.features, s)[c]);
      assert.equal(same, s >= 6, `sample ${s}`);
    }
  });
});
