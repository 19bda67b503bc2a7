// Worker thread of ScoreWorkerPool: fills its share of a pattern-encoded score product.
import { parentPort } from 'node:worker_threads';
import { fusedClaims } from './fused-attribution.js';
import type { PatternEncoding } from './pattern-encoding.js';
import { patternScoresInto } from './pattern-scores.js';
import type { FusedJob, ScoreJob, ScorePing } from './score-worker-pool.js';

let encoding: PatternEncoding | undefined;

parentPort?.on('message', (job: ScoreJob | ScorePing | FusedJob) => {
  if ('ping' in job) {
    parentPort?.postMessage({ id: job.id, rows: 0 });
    return;
  }
  if ('fused' in job) {
    try {
      parentPort?.postMessage({ id: job.id, rows: fusedClaims(job.fused, job.next) });
    } catch (e) {
      parentPort?.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  try {
    if (job.encoding) encoding = job.encoding;
    if (!encoding) throw new Error('no encoding was sent');
    const rows = patternScoresInto(encoding, job.a, job.T, job.rowScale, job.out, job.next);
    parentPort?.postMessage({ id: job.id, rows });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
