import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { resolveErasureSalt } from '../src/erasure/erasure-salt.js';
import { generateSigningKey } from '../src/evidence/key-file.js';
import { type GraphClient, withSession } from '../src/graph/connection.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { trainRunModel } from '../src/jobs/train/run-train-job.js';
import { prepareUnlearningRequest } from '../src/jobs/unlearning/prepare-unlearning-request.js';
import { runUnlearningInProcess } from '../src/jobs/unlearning/run-unlearning-in-process.js';
import { recordUnlearningRequest } from '../src/jobs/unlearning/unlearning-request-store.js';
import { runMatrixFromFeatures } from '../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { removeErasureFixture } from './erasure-completeness.js';
import { median } from './support/interleaved.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';

/**
 * `evidence.erasureWriteBack` (issue 13 target: signing and logging add ≤ 5 ms to an erasure
 * request's write-back): generated credit-risk data (5,000 applicants; 2,000 with `quick`), one
 * model line; then requests that each erase one applicant's application row (`drop`), run in
 * this process as `unlearn --local` runs them, in side-by-side pairs (30; 6 with `quick`) of one
 * request with a signing key and one without, the order alternating from pair to pair, after 4
 * warm-up requests (the database is warm). Measured: the write-back itself, the job's `write` →
 * `scrub` progress marks (one exactly-once transaction: request, tombstones, skeletons, the new
 * version and its predictions, and, signed, the erasure statement with the rows' digests and its
 * log entry and signed tree head). `addedMs` = the median of the pairs' differences (signed −
 * unsigned), with their quartiles; the medians of each kind too.
 */
export async function measureErasureWriteBack(opts: {
  client: GraphClient;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 2000 : 5000;
  const pairs = opts.quick ? 6 : 30;
  const warmUp = 4;
  const config = loadConfig();
  const tag = `evidence-erasure-${randomUUID().slice(0, 8)}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-evidence-erasure-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-evidence-erasure-data-'));
  shareDeploymentSalt(config, home);
  const salt = resolveErasureSalt({ ...config, home });
  const key = generateSigningKey();
  const runId = `run-${tag}`;
  let fileIds: string[] = [];
  const jobIds: string[] = [];
  try {
    await generateCreditRisk({ applicants, seed: 1300, outDir: dataDir });
    const result = await runCreditRiskFile(dataDir, { mode: 'row', runId });
    const lineage = result.lineage;
    if (!lineage?.provenance) throw new Error('row mode gives provenance');
    await writeLineageRun(client, lineage);
    fileIds = lineage.files.map((f) => f.id);
    await saveRunMatrix(home, runMatrixFromFeatures(result, runId));
    await trainRunModel({ client, home, runId, lambda: 1e-2 });
    const application = lineage.files.find((f) => f.table === 'application');
    if (!application) throw new Error('no application file');
    const order = new SeededRandom(1313).permutation(application.rows);
    const signed: number[] = [];
    const unsigned: number[] = [];
    for (let k = 0; k < warmUp + 2 * pairs; k++) {
      // Pairs (k, k + 1) alternate their order: unsigned first in one, signed first in the next.
      const pair = Math.floor(k / 2);
      const sign = (k % 2 === 1) !== (pair % 2 === 1);
      const requestId = `${tag}-req-${k}`;
      const prepared = await withSession(client, (s) =>
        s.executeRead((tx) =>
          prepareUnlearningRequest(
            tx,
            { requestId, target: { file: application.id, rows: [order[k]] }, mode: 'drop', verify: false },
            salt,
          ),
        ),
      );
      await recordUnlearningRequest(client, prepared.record);
      let writeAt = Number.NaN;
      let writeMs = Number.NaN;
      const outcome = await runUnlearningInProcess(
        client,
        home,
        prepared.input,
        (_p, stage) => {
          if (stage === 'write') writeAt = performance.now();
          if (stage === 'scrub') writeMs = performance.now() - writeAt;
        },
        salt,
        undefined,
        sign ? key : undefined,
      );
      jobIds.push(`unlearning-local-${requestId}`);
      if (!outcome.committed || !Number.isFinite(writeMs))
        throw new Error(
          `request ${requestId} did not commit a write-back (${JSON.stringify(outcome).slice(0, 200)})`,
        );
      if (k < warmUp) continue;
      (sign ? signed : unsigned).push(writeMs);
    }
    const withMs = median(signed);
    const withoutMs = median(unsigned);
    const differences = signed.map((ms, i) => ms - unsigned[i]);
    const addedMs = median(differences);
    const sorted = [...differences].sort((a, b) => a - b);
    const quartiles = [sorted[Math.floor(sorted.length / 4)], sorted[Math.floor((3 * sorted.length) / 4)]];
    log(
      `evidence: erasure write-back (${applicants} applicants, one row per request, ${pairs} interleaved pairs, warm): ${withoutMs.toFixed(2)} ms unsigned → ${withMs.toFixed(2)} ms signed; signing and logging add ${addedMs.toFixed(2)} ms (median of the pairs' differences; quartiles ${quartiles.map((q) => q.toFixed(2)).join(' … ')} ms)`,
    );
    return {
      applicants,
      pairs,
      warmUp,
      writeBackWithoutMs: withoutMs,
      writeBackWithMs: withMs,
      addedMs,
      addedQuartilesMs: quartiles,
      differenceOfMediansMs: withMs - withoutMs,
      ratio: withMs / withoutMs,
      measured: `in-process, on a warm database (${warmUp} warm-up requests dropped, one model line): the write-back transaction (job progress write → scrub) of erasure requests in ${pairs} side-by-side pairs, one signed (erasure statement + log entry + signed tree head) and one not, the order alternating from pair to pair; addedMs = median of the per-pair differences (signed − unsigned)`,
    };
  } finally {
    await removeErasureFixture(client, { runId, fileIds, requestPrefix: tag, jobIds });
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
