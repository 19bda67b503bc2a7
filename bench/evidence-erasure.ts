import { generateSigningKey } from '../src/evidence/key-file.js';
import type { GraphClient } from '../src/graph/connection.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { createCreditRiskErasureFixture } from './support/credit-risk-erasure-fixture.js';
import { median } from './support/interleaved.js';

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
  const fixture = await createCreditRiskErasureFixture({
    client,
    name: 'evidence-erasure',
    applicants,
    seed: 1300,
    lambdas: [1e-2],
  });
  const { tag, application } = fixture;
  const key = generateSigningKey();
  try {
    const order = new SeededRandom(1313).permutation(application.rows);
    const signed: number[] = [];
    const unsigned: number[] = [];
    for (let k = 0; k < warmUp + 2 * pairs; k++) {
      // Pairs (k, k + 1) alternate their order: unsigned first in one, signed first in the next.
      const pair = Math.floor(k / 2);
      const sign = (k % 2 === 1) !== (pair % 2 === 1);
      const requestId = `${tag}-req-${k}`;
      let writeAt = Number.NaN;
      let writeMs = Number.NaN;
      const outcome = await fixture.request({
        requestId,
        rows: [order[k]],
        onProgress: (_p, stage) => {
          if (stage === 'write') writeAt = performance.now();
          if (stage === 'scrub') writeMs = performance.now() - writeAt;
        },
        ...(sign ? { signingKey: key } : {}),
      });
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
    await fixture.remove();
  }
}
