import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitLogisticRegression } from '../src/attribution/logistic-regression.js';
import { ErasureSalt } from '../src/erasure/erasure-salt.js';
import {
  computeUnlearning,
  type UnlearningComputeOutput,
} from '../src/jobs/unlearning/compute-unlearning.js';
import { type RecomputedSamples, recomputeSamples } from '../src/jobs/unlearning/recompute-samples.js';
import { splitRows } from '../src/models/labelled-rows-of.js';
import type { ModelArtifact } from '../src/models/model-artifact-store.js';
import { modelRowsOf } from '../src/models/replaced-rows.js';
import { runMatrixFromFeatures } from '../src/models/run-matrix-from-features.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { addWeightedGram } from '../src/unlearning/weighted-gram.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * `unlearning.creditRisk`: lineage-selected forget sets on the generated credit-risk data
 * (20k applicants; 5k with `quick`), the model trained like `traceprop train` (λ = 1e-3).
 * `recompute1pctBureau`: erase every bureau row of 1% of the applicants, re-derive their samples
 * (pipeline re-run with the rows left out, original encoders and split) and replace their rows;
 * `drop1pctApplicants`: erase the application rows of 1% of the applicants and drop their
 * samples. Affected samples come from the run's row provenance (forward lineage, as the graph's
 * DERIVED_FROM edges give them). Each is compared with the gold retrain on the remaining (+
 * re-derived) data; times are medians over `reps` after a warm-up.
 */
export async function runCreditRiskUnlearningBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
}): Promise<Record<string, unknown>> {
  const applicants = opts.quick ? 5000 : 20000;
  const reps = opts.quick ? 3 : 5;
  const lambda = 1e-3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-unlearn-cr-'));
  try {
    await generateCreditRisk({ applicants, seed: 7, outDir: dir });
    const result = await runCreditRiskFile(dir, { mode: 'row', runId: 'bench-credit-risk' });
    const lineage = result.lineage;
    if (!lineage?.provenance) throw new Error('row mode gives provenance');
    const matrix = runMatrixFromFeatures(result, lineage.runId);
    const trainRows = splitRows(matrix, 0);
    const train = modelRowsOf(matrix, trainRows);
    const fit = fitLogisticRegression(train.x, train.y, { lambda });
    const D = fit.features + 1;
    const artifact: ModelArtifact = {
      modelId: 'bench',
      runId: lineage.runId,
      kind: 'logistic-regression',
      lambda,
      featureNames: matrix.featureNames,
      theta: fit.theta,
      hessianSum: addWeightedGram(train.x, null, fit.theta, 1, new Float64Array(D * D)),
      trainRows,
      runMatrixSha256: '',
    };
    const section: Record<string, unknown> = {
      applicants,
      samples: matrix.sampleIds.length,
      trainRows: trainRows.length,
      features: fit.features,
      lambda,
    };
    const file = (table: string) => {
      const f = lineage.files.find((x) => x.table === table);
      if (!f) throw new Error(`no ${table} file`);
      return f;
    };
    const bureau = file('bureau');
    const application = file('application');
    // Forward lineage over the run's CSR provenance: samples derived from any erased global id.
    const affectedBy = (globalIds: Set<number>): string[] => {
      const p = lineage.provenance as NonNullable<typeof lineage.provenance>;
      const out: string[] = [];
      for (let i = 0; i < matrix.sampleIds.length; i++) {
        for (let q = p.offsets[i]; q < p.offsets[i + 1]; q++) {
          if (globalIds.has(p.rowIds[q])) {
            out.push(matrix.sampleIds[i]);
            break;
          }
        }
      }
      return out;
    };
    const pick = new SeededRandom(2024).sample(
      matrix.sampleKeys.length,
      Math.floor(0.01 * matrix.sampleKeys.length),
    );
    const chosenKeys = new Set(Array.from(pick, (i) => matrix.sampleKeys[i]));

    // recompute: all bureau rows of 1% of the applicants (backward lineage of their samples)
    const bureauErased = new Set<number>();
    const prov = lineage.provenance;
    for (const i of pick) {
      for (let q = prov.offsets[i]; q < prov.offsets[i + 1]; q++) {
        const g = prov.rowIds[q];
        if (g >= bureau.globalOffset && g < bureau.globalOffset + bureau.rows) bureauErased.add(g);
      }
    }
    const bureauIds = [...bureauErased].map((g) => `${bureau.id}:${g - bureau.globalOffset}`);
    const recomputeAffected = affectedBy(bureauErased);
    const sampleRow = new Map(matrix.sampleIds.map((id, i) => [id, i]));
    const affectedRows = recomputeAffected.map((id) => sampleRow.get(id) as number);
    const benchSalt = new ErasureSalt(randomBytes(32).toString('hex'), 'env');
    const reSeconds: number[] = [];
    let recomputed: RecomputedSamples | undefined;
    for (let k = 0; k <= reps; k++) {
      recomputed = await recomputeSamples(matrix, affectedRows, {
        tombstones: [],
        pending: { requestId: 'bench-recompute', rowIds: bureauIds },
        salt: benchSalt,
      });
      if (k > 0) reSeconds.push(recomputed.seconds);
    }
    if (!recomputed) throw new Error('no repetitions');
    const rec = measure(() =>
      computeUnlearning({
        matrix,
        artifact,
        affectedSampleIds: recomputeAffected,
        recomputed,
        verify: true,
      }),
    );
    section.recompute1pctBureau = {
      applicantsErased: chosenKeys.size,
      sourceRowsErased: bureauIds.length,
      affectedSamples: recomputeAffected.length,
      recomputedSamples: rec.out.recomputedSamples,
      replacedTrainRows: rec.out.added,
      rederiveSeconds: median(reSeconds),
      ...report(rec),
    };
    log(opts, 'recompute1pctBureau', section.recompute1pctBureau as Record<string, unknown>);

    // drop: the application rows of 1% of the applicants
    const appErased = new Set<number>();
    const appKeys = application.keys as string[];
    for (let r = 0; r < application.rows; r++)
      if (chosenKeys.has(appKeys[r])) appErased.add(application.globalOffset + r);
    const dropAffected = affectedBy(appErased);
    const drop = measure(() =>
      computeUnlearning({ matrix, artifact, affectedSampleIds: dropAffected, verify: true }),
    );
    section.drop1pctApplicants = {
      applicantsErased: chosenKeys.size,
      sourceRowsErased: appErased.size,
      affectedSamples: dropAffected.length,
      droppedTrainRows: drop.out.forgotten,
      ...report(drop),
    };
    log(opts, 'drop1pctApplicants', section.drop1pctApplicants as Record<string, unknown>);
    return section;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  function measure(run: () => UnlearningComputeOutput): {
    out: UnlearningComputeOutput;
    seconds: number;
    goldSeconds: number;
  } {
    run(); // warm-up
    const u: number[] = [];
    const g: number[] = [];
    let out: UnlearningComputeOutput | undefined;
    for (let k = 0; k < reps; k++) {
      out = run();
      u.push(out.seconds);
      g.push(out.verification?.seconds.gold ?? Number.NaN);
    }
    if (!out) throw new Error('no repetitions');
    return { out, seconds: median(u), goldSeconds: median(g) };
  }
}

function report(m: {
  out: UnlearningComputeOutput;
  seconds: number;
  goldSeconds: number;
}): Record<string, unknown> {
  const v = m.out.verification;
  if (!v) throw new Error('verify gives metrics');
  return {
    paramGapClosed: v.paramGapClosed,
    forgetLoss: v.forgetLoss,
    testAccuracy: v.testAccuracy,
    klUnlearnedGold: v.klUnlearnedGold,
    seconds: m.seconds,
    goldSeconds: m.goldSeconds,
    speedup: m.goldSeconds / m.seconds,
    gradientResidual: m.out.certificate.gradientResidual,
    fallback: m.out.fallback,
  };
}

function log(opts: { log: (s: string) => void }, name: string, r: Record<string, unknown>): void {
  const acc = r.testAccuracy as { unlearned: number; gold: number; original: number };
  const fl = r.forgetLoss as { unlearned: number; gold: number; original: number };
  opts.log(
    `unlearning creditRisk ${name}: ${r.affectedSamples} samples, gap closed ${(r.paramGapClosed as number).toFixed(6)}, ` +
      `forget loss O ${fl.original.toFixed(4)} R ${fl.gold.toFixed(4)} U ${fl.unlearned.toFixed(4)}, ` +
      `acc O ${acc.original.toFixed(4)} R ${acc.gold.toFixed(4)} U ${acc.unlearned.toFixed(4)}, ` +
      `update ${(1000 * (r.seconds as number)).toFixed(1)} ms vs retrain ${(1000 * (r.goldSeconds as number)).toFixed(1)} ms` +
      (r.rederiveSeconds !== undefined
        ? `, re-derivation ${(r.rederiveSeconds as number).toFixed(2)} s`
        : ''),
  );
}
