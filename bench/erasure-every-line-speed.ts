import fs from 'node:fs';
import { type GraphClient, withSession } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { computeTrain, scoreTrainModel, selectTrainRows } from '../src/jobs/train/compute-train.js';
import { readTrainInputs } from '../src/jobs/train/read-train-inputs.js';
import { trainRunModel } from '../src/jobs/train/run-train-job.js';
import { modelDir } from '../src/models/model-artifact-store.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { createCreditRiskErasureFixture } from './support/credit-risk-erasure-fixture.js';
import { median } from './support/interleaved.js';

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
 * update of each line with its exactly-once write-back (new version; its test predictions follow), the
 * attribution and run-matrix scrub and the shredding of the superseded versions' parameters.
 * The baseline, right after it on the same (now scrubbed) run: retraining the three lines from
 * scratch. `speedupVsRetrain` compares the model work: what `train` computes for each line from
 * scratch on the rows it now holds (fit, Hessian sum, test predictions: `computeTrain` +
 * `scoreTrainModel`) ÷ what the request computes for every line (Newton update, new Hessian sum,
 * metrics, then saving the new version's artifact and encoder drift: the job's
 * `update`→`write` progress marks) plus its store scrub (`scrub`→`done`: the run matrix rewritten
 * without the rows, superseded parameters shredded). `everyLine.endToEndSpeedupVsRetrain` compares what a user waits
 * for: three `traceprop train` runs (read the matrix, fit, save the artifact, write the Model and
 * its predictions) ÷ the whole request (resolve, record, per line read + update + save +
 * exactly-once write-back of the new version + scrub; the new versions' test predictions are
 * written after it by their follow-up `predictions` jobs, timed on their own as
 * `predictionsFollowUp`). Medians; warm, in-process.
 */
export async function measureEveryLineSpeedup(opts: {
  client: GraphClient;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 5000 : 20000;
  const reps = opts.quick ? 2 : 4;
  const fixture = await createCreditRiskErasureFixture({
    client,
    name: 'erasure-speed',
    applicants,
    seed: 1000 + Math.floor(Math.random() * 1e6),
    lambdas: lineLambdas,
  });
  const { home, runId, tag, application } = fixture;
  try {
    const order = new SeededRandom(4242).permutation(application.rows);
    const perRequest = Math.max(1, Math.floor(0.01 * application.rows));
    let firstRequest = Number.NaN;
    const runs: {
      updateCompute: number;
      fit: number;
      request: number;
      predictions: number;
      train: number;
      matrixRowsScrubbed: number;
    }[] = [];
    for (let k = 0; k <= reps; k++) {
      const rows = [...order.subarray(k * perRequest, (k + 1) * perRequest)].sort((a, b) => a - b);
      const requestId = `${tag}-req-${k}`;
      const stages = new StageClock();
      stages.mark('prepare');
      const started = performance.now();
      const outcome = await fixture.request({
        requestId,
        rows,
        onProgress: (_p, stage) => stages.mark(stage),
        deferPredictions: true,
      });
      const update = (performance.now() - started) / 1000;
      stages.mark('end');
      // The follow-up `predictions` jobs of the new versions, after the request (as a worker runs them).
      const predictionsStarted = performance.now();
      const written = await fixture.predictions(outcome);
      const predictions = (performance.now() - predictionsStarted) / 1000;
      if (written.length !== lineLambdas.length || written.some((w) => w.state !== 'written'))
        throw new Error(`request ${requestId}: the follow-up jobs wrote ${JSON.stringify(written)}`);
      // The model update and the store scrub of every line: from each line's `update` mark to its
      // `write` mark (the Newton step, the new artifact, predictions and encoder drift), and from
      // `scrub` to `done`.
      const updateCompute = stages.between('update', 'write') + stages.between('scrub', 'done');
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
        `erasure: every-line request ${k === 0 ? '(warm-up) ' : ''}${rows.length} applicants, ${outcome.lines?.length} lines, ${scrubbed} matrix rows scrubbed: update + scrub ${updateCompute.toFixed(3)} s vs retrain compute ${fit.toFixed(3)} s; whole request ${update.toFixed(2)} s (then its predictions follow-up ${predictions.toFixed(2)} s) vs \`train\` of the ${lineLambdas.length} lines ${retrain.toFixed(2)} s; request stages ${Object.entries(
          stages.perStage(),
        )
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}; scrub ${scrubSeconds}`,
      );
      if (k === 0) {
        firstRequest = update;
        continue;
      }
      runs.push({
        updateCompute,
        fit,
        request: update,
        predictions,
        train: retrain,
        matrixRowsScrubbed: scrubbed,
      });
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
          predictionsFollowUp: med('predictions'),
          trainLines: med('train'),
        },
        endToEndSpeedupVsRetrain: med('train') / med('request'),
        // The warm-up: the first request right after the ingest and the training (cold plans).
        firstRequestSeconds: firstRequest,
        runs,
      },
    };
  } finally {
    await fixture.remove().catch((err) => log(`erasure: cleanup failed: ${err}`));
  }
}
