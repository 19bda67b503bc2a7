import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type ErasureSalt, resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import type { SigningKey } from '../../src/evidence/signing-key.js';
import { type GraphClient, withSession } from '../../src/graph/connection.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import {
  type PredictionsOutcome,
  predictionsJobRunId,
} from '../../src/jobs/predictions/run-predictions-job.js';
import { writePendingPredictions } from '../../src/jobs/predictions/write-pending-predictions.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { prepareUnlearningRequest } from '../../src/jobs/unlearning/prepare-unlearning-request.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import {
  pendingPredictionModels,
  type UnlearningOutcome,
} from '../../src/jobs/unlearning/unlearning-outcome.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import type { LineageSourceFile } from '../../src/lineage/lineage-run.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { removeErasureFixture } from '../erasure-completeness.js';
import { runCreditRiskFile } from './run-credit-risk-file.js';
import { shareDeploymentSalt } from './share-deployment-salt.js';

/** One erasure request of a {@link CreditRiskErasureFixture}, run in this process. */
interface FixtureRequest {
  requestId: string;
  /** 0-based rows of the application file to erase. */
  rows: number[];
  /** `drop` unless given. */
  mode?: 'drop' | 'recompute';
  onProgress?: (percent: number, stage: string) => void;
  signingKey?: SigningKey;
  /**
   * Leave the new versions' test predictions `pending` (the caller writes them with
   * `predictions`); default: written right after the request, as `unlearn --local` does.
   */
  deferPredictions?: boolean;
}

/**
 * Generated credit-risk data ingested in row mode into the bench graph, with its run matrix in a
 * temporary home and model lines trained on the one run: what the erasure benches measure
 * requests against. `remove` deletes what it wrote (graph, home, data).
 */
export interface CreditRiskErasureFixture {
  client: GraphClient;
  /** The temporary TRACEPROP_HOME (the deployment's salt shared into it). */
  home: string;
  runId: string;
  /** Request ids of this fixture start with it (`<tag>-req-`). */
  tag: string;
  salt: ErasureSalt;
  application: LineageSourceFile;
  /** Model ids of the lines trained, in the order of `lambdas`. */
  lines: string[];
  /** Resolves, records and runs one request as `unlearn --local` does; its job id is kept for `remove`. */
  request(r: FixtureRequest): Promise<UnlearningOutcome>;
  /** Writes the test predictions a request left pending (its follow-up `predictions` jobs, in process). */
  predictions(outcome: UnlearningOutcome): Promise<PredictionsOutcome[]>;
  remove(): Promise<void>;
}

/**
 * Builds a {@link CreditRiskErasureFixture}: `applicants` generated with `seed`, ingested in row
 * mode, the run matrix saved, one model line trained per λ of `lambdas`. On a failure, what was
 * written so far is removed before the error is rethrown.
 */
export async function createCreditRiskErasureFixture(opts: {
  client: GraphClient;
  /** Names the fixture's temporary folders and ids (`<name>-<random>`). */
  name: string;
  applicants: number;
  seed: number;
  lambdas: number[];
}): Promise<CreditRiskErasureFixture> {
  const { client } = opts;
  const config = loadConfig();
  const tag = `${opts.name}-${randomUUID().slice(0, 8)}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `traceprop-bench-${opts.name}-`));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `traceprop-bench-${opts.name}-data-`));
  shareDeploymentSalt(config, home);
  const salt = resolveErasureSalt({ ...config, home });
  const runId = `run-${tag}`;
  let fileIds: string[] = [];
  const jobIds: string[] = [];
  const remove = async () => {
    try {
      await removeErasureFixture(client, { runId, fileIds, requestPrefix: `${tag}-req-`, jobIds });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await generateCreditRisk({ applicants: opts.applicants, seed: opts.seed, outDir: dataDir });
    const result = await runCreditRiskFile(dataDir, { mode: 'row', runId });
    const lineage = result.lineage;
    if (!lineage?.provenance) throw new Error('row mode gives provenance');
    await writeLineageRun(client, lineage);
    fileIds = lineage.files.map((f) => f.id);
    await saveRunMatrix(home, runMatrixFromFeatures(result, runId));
    const lines: string[] = [];
    for (const lambda of opts.lambdas)
      lines.push((await trainRunModel({ client, home, runId, lambda })).modelId);
    const application = lineage.files.find((f) => f.table === 'application');
    if (!application) throw new Error('no application file');
    const request = async (r: FixtureRequest): Promise<UnlearningOutcome> => {
      const prepared = await withSession(client, (s) =>
        s.executeRead((tx) =>
          prepareUnlearningRequest(
            tx,
            {
              requestId: r.requestId,
              target: { file: application.id, rows: r.rows },
              mode: r.mode ?? 'drop',
              verify: false,
            },
            salt,
          ),
        ),
      );
      r.onProgress?.(0, 'record');
      await recordUnlearningRequest(client, prepared.record);
      r.onProgress?.(0, 'run');
      jobIds.push(`unlearning-local-${r.requestId}`);
      const outcome = await runUnlearningInProcess(
        client,
        home,
        prepared.input,
        r.onProgress,
        salt,
        undefined,
        r.signingKey,
      );
      if (!r.deferPredictions) await predictions(outcome);
      return outcome;
    };
    const predictions = async (outcome: UnlearningOutcome): Promise<PredictionsOutcome[]> => {
      for (const o of [outcome, ...(outcome.lines ?? [])])
        if (o.predictions) jobIds.push(predictionsJobRunId(o.predictions.modelId));
      return writePendingPredictions(client, home, pendingPredictionModels(outcome));
    };
    return { client, home, runId, tag, salt, application, lines, request, predictions, remove };
  } catch (err) {
    await remove().catch(() => {});
    throw err;
  }
}
