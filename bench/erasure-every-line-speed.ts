import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { resolveErasureSalt } from '../src/erasure/erasure-salt.js';
import { type GraphClient, withSession } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { computeTrain, scoreTrainModel, selectTrainRows } from '../src/jobs/train/compute-train.js';
import { readTrainInputs } from '../src/jobs/train/read-train-inputs.js';
import { trainRunModel } from '../src/jobs/train/run-train-job.js';
import { prepareUnlearningRequest } from '../src/jobs/unlearning/prepare-unlearning-request.js';
import { runUnlearningInProcess } from '../src/jobs/unlearning/run-unlearning-in-process.js';
import { recordUnlearningRequest } from '../src/jobs/unlearning/unlearning-request-store.js';
import { modelDir } from '../src/models/model-artifact-store.js';
import { runMatrixFromFeatures } from '../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { removeErasureFixture } from './erasure-completeness.js';
import { median } from './support/interleaved.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';

const lineLambdas = [1e-3, 1e-2, 1e-1];

/** Seconds spent between progress marks, summed over every time the pair occurs (once per line). */
class StageClock {
  private readonly marks: { stage: string; at: number }[] = [];

  mark(stage: string): void {
    this.marks.push({ stage, at: performance.now() });
  }

  /** Seconds from each mark to the next, summed per mark name (the stage that mark started). */
  perStage(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i + 1 < this.marks.length; i++) {
      const { stage, at } = this.marks[i];
      out[stage] = (out[stage] ?? 0) + (this.marks[i + 1].at - at) / 1000;
    }
    return out;
  }

  /** Σ over each `from` mark of the time to the next `to` mark after it. */
  between(from: string, to: string): number {
    let total = 0;
    for (let i = 0; i < this.marks.length; i++) {
      if (this.marks[i].stage !== from) continue;
      const end = this.marks.slice(i + 1).find((m) => m.stage === to);
      if (end) total += end.at - this.marks[i].at;
    }
    return total / 1000;
  }
}

/**
 * `erasure.speedupVsRetrain` (issue 12): generated credit-risk data (20,000 applicants; 5,000 with
 * `quick`), three model lines on the one run. Per repetition (after one warm-up request), one
 * request erases the application rows of 1% of the applicants (`drop`, every line, no
 * `--model`), run in this process as `unlearn --local` runs it: resolve, record, the Newton
 * update of each line with its exactly-once write-back (new version, predictions), the
 * attribution and run-matrix scrub and the shredding of the superseded versions' parameters.
 * The baseline, right after it on the same (now scrubbed) run: retraining the three lines from
 * scratch. `speedupVsRetrain` compares the model work: what `train` computes for each line from
 * scratch on the rows it now holds (fit, Hessian sum, test predictions: `computeTrain` +
 * `scoreTrainModel`) ÷ what the request computes for every line (Newton update, new Hessian sum,
 * metrics, then saving the new version's artifact, its predictions and encoder drift: the job's
 * `update`→`write` progress marks) plus its store scrub (`scrub`→`done`: the run matrix rewritten
 * without the rows, superseded parameters shredded). `everyLine.endToEndSpeedupVsRetrain` compares what a user waits
 * for: three `traceprop train` runs (read the matrix, fit, save the artifact, write the Model and
 * its predictions) ÷ the whole request (resolve, record, per line read + update + save +
 * exactly-once write-back of the new version and its predictions + scrub). Medians; warm,
 * in-process.
 */
export async function measureEveryLineSpeedup(opts: {
  client: GraphClient;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 5000 : 20000;
  const reps = opts.quick ? 2 : 4;
  const config = loadConfig();
  const tag = `erasure-speed-${randomUUID().slice(0, 8)}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-erasure-speed-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-erasure-speed-data-'));
  shareDeploymentSalt(config, home);
  const salt = resolveErasureSalt({ ...config, home });
  const runId = `run-${tag}`;
  let fileIds: string[] = [];
  const jobIds: string[] = [];
  try {
    await generateCreditRisk({ applicants, seed: 1000 + Math.floor(Math.random() * 1e6), outDir: dataDir });
    const result = await runCreditRiskFile(dataDir, { mode: 'row', runId });
    const lineage = result.lineage;
    if (!lineage?.provenance) throw new Error('row mode gives provenance');
    await writeLineageRun(client, lineage);
    fileIds = lineage.files.map((f) => f.id);
    await saveRunMatrix(home, runMatrixFromFeatures(result, runId));
    for (const lambda of lineLambdas) await trainRunModel({ client, home, runId, lambda });
    const application = lineage.files.find((f) => f.table === 'application');
    if (!application) throw new Error('no application file');
    const order = new SeededRandom(4242).permutation(application.rows);
    const perRequest = Math.max(1, Math.floor(0.01 * application.rows));
    let firstRequest = Number.NaN;
    const runs: {
      updateCompute: number;
      fit: number;
      request: number;
      train: number;
      matrixRowsScrubbed: number;
    }[] = [];
    for (let k = 0; k <= reps; k++) {
      const rows = [...order.subarray(k * perRequest, (k + 1) * perRequest)].sort((a, b) => a - b);
      const requestId = `${tag}-req-${k}`;
      const stages = new StageClock();
      stages.mark('prepare');
      const started = performance.now();
      const prepared = await withSession(client, (s) =>
        s.executeRead((tx) =>
          prepareUnlearningRequest(
            tx,
            { requestId, target: { file: application.id, rows }, mode: 'drop', verify: false },
            salt,
          ),
        ),
      );
      stages.mark('record');
      await recordUnlearningRequest(client, prepared.record);
      stages.mark('run');
      const outcome = await runUnlearningInProcess(
        client,
        home,
        prepared.input,
        (_p, stage) => stages.mark(stage),
        salt,
      );
      const update = (performance.now() - started) / 1000;
      stages.mark('end');
      // The model update and the store scrub of every line: from each line's `update` mark to its
      // `write` mark (the Newton step, the new artifact, predictions and encoder drift), and from
      // `scrub` to `done`.
      const updateCompute = stages.between('update', 'write') + stages.between('scrub', 'done');
      jobIds.push(`unlearning-local-${requestId}`);
      const stores = [outcome, ...(outcome.lines ?? [])].flatMap((o) => o.stores ?? []);
      const scrubbed = stores.reduce((a, s) => a + s.matrix.rows, 0);
      const scrubSeconds = stores
        .map((s) =>
          Object.entries(s.seconds)
            .map(([k, v]) => `${k} ${v.toFixed(3)}`)
            .join(', '),
        )
        .join('; ');
      if ((outcome.lines?.length ?? 0) !== lineLambdas.length || scrubbed === 0)
        throw new Error(
          `request ${requestId} updated ${outcome.lines?.length} lines and scrubbed ${scrubbed} matrix rows: not every line and store`,
        );
      const retrainStarted = performance.now();
      const retrained: string[] = [];
      for (const lambda of lineLambdas)
        retrained.push((await trainRunModel({ client, home, runId, lambda })).modelId);
      const retrain = (performance.now() - retrainStarted) / 1000;
      // The retrain's own compute, as `train` runs it between reading and saving: the fit from
      // scratch on the rows each line now holds, the Hessian sum a line keeps to be unlearnable,
      // and the test predictions (the update computes all three too).
      const inputs = await readTrainInputs(client, home, runId, async () => {});
      const trainRows = selectTrainRows(inputs);
      const fitStarted = performance.now();
      for (const lambda of lineLambdas) {
        const fitted = computeTrain(inputs, trainRows, { lambda, modelId: 'bench-retrain' });
        scoreTrainModel(inputs, trainRows, 'bench-retrain', fitted.artifact.theta);
      }
      const fit = (performance.now() - fitStarted) / 1000;
      await withSession(client, (s) =>
        s.executeWrite((tx) => tx.run(cypherText('bench', 'remove-models'), { modelIds: retrained })),
      );
      for (const id of retrained) fs.rmSync(modelDir(home, id), { recursive: true, force: true });
      log(
        `erasure: every-line request ${k === 0 ? '(warm-up) ' : ''}${rows.length} applicants, ${outcome.lines?.length} lines, ${scrubbed} matrix rows scrubbed: update + scrub ${updateCompute.toFixed(3)} s vs retrain compute ${fit.toFixed(3)} s; whole request ${update.toFixed(2)} s vs \`train\` of the ${lineLambdas.length} lines ${retrain.toFixed(2)} s; request stages ${Object.entries(
          stages.perStage(),
        )
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}; scrub ${scrubSeconds}`,
      );
      if (k === 0) {
        firstRequest = update;
        continue;
      }
      runs.push({ updateCompute, fit, request: update, train: retrain, matrixRowsScrubbed: scrubbed });
    }
    const med = (key: keyof (typeof runs)[number]) => median(runs.map((r) => r[key]));
    return {
      speedupVsRetrain: med('fit') / med('updateCompute'),
      everyLine: {
        applicants,
        modelLines: lineLambdas.length,
        applicantsPerRequest: perRequest,
        mode: 'drop',
        measured: 'in-process, warm (after one warm-up request), medians over the repetitions',
        seconds: {
          updateAndScrub: med('updateCompute'),
          fitFromScratch: med('fit'),
          request: med('request'),
          trainLines: med('train'),
        },
        endToEndSpeedupVsRetrain: med('train') / med('request'),
        // The warm-up: the first request right after the ingest and the training (cold plans).
        firstRequestSeconds: firstRequest,
        runs,
      },
    };
  } finally {
    await removeErasureFixture(client, { runId, fileIds, requestPrefix: `${tag}-req-`, jobIds }).catch(
      (err) => log(`erasure: cleanup failed: ${err}`),
    );
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
