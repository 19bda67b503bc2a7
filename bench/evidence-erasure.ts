import { generateSigningKey } from '../src/evidence/key-file.js';
import type { GraphClient } from '../src/graph/connection.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { createCreditRiskErasureFixture } from './support/credit-risk-erasure-fixture.js';
import { median } from './support/interleaved.js';

/**
 * `evidence.erasureWriteBack` (issue 13 target: signing and logging add ≤ 5 ms to an erasure
 * request's write-back): generated credit-risk data (5,000 applicants; 2,000 with `quick`), one
 * model line; then requests that each erase one applicant's application row (`drop`), run in
 * this process as `unlearn --local` runs them, alternately with and without a signing key (after
 * two warm-up requests). Measured: the write-back itself, the job's `write` → `scrub` progress
 * marks (one exactly-once transaction: request, tombstones, skeletons, the new version and its
 * predictions, and, signed, the erasure statement with the rows' digests and its log entry and
 * signed tree head). `addedMs` = median signed − median unsigned; medians over the repetitions.
 */
export async function measureErasureWriteBack(opts: {
  client: GraphClient;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 2000 : 5000;
  const pairs = opts.quick ? 4 : 10;
  const warmUp = 2;
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
      const sign = k % 2 === 1;
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
    log(
      `evidence: erasure write-back (${applicants} applicants, one row per request, ${pairs} pairs): ${withoutMs.toFixed(2)} ms unsigned → ${withMs.toFixed(2)} ms signed (+${(withMs - withoutMs).toFixed(2)} ms, ×${(withMs / withoutMs).toFixed(3)})`,
    );
    return {
      applicants,
      pairs,
      writeBackWithoutMs: withoutMs,
      writeBackWithMs: withMs,
      addedMs: withMs - withoutMs,
      ratio: withMs / withoutMs,
      measured:
        'in-process, warm; the write-back transaction (job progress write → scrub), alternating signed and unsigned requests, medians',
    };
  } finally {
    await fixture.remove();
  }
}
