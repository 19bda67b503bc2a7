import { generateSigningKey } from '../src/evidence/key-file.js';
import type { GraphClient } from '../src/graph/connection.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { createCreditRiskErasureFixture } from './support/credit-risk-erasure-fixture.js';
import { median } from './support/interleaved.js';
import { pairedDifferences } from './support/paired-differences.js';
import { collectStatementTimings } from './support/statement-timings.js';

/**
 * `evidence.erasureWriteBack` (issue 13 target: signing and logging add ≤ 5 ms to an erasure
 * request's write-back): generated credit-risk data (5,000 applicants; 2,000 with `quick`), one
 * model line; then requests that each erase one applicant's application row (`drop`), run in
 * this process as `unlearn --local` runs them, in side-by-side pairs (100; 8 with `quick`) of one
 * request with a signing key and one without, the order alternating from pair to pair, after 4
 * warm-up requests (the database is warm). Two measures of what signing adds:
 * - `evidenceInTxMs`, direct: in each signed request, the time `recordStatement` spent inside the
 *   write-back transaction (making the erasure statement with its rows' and samples' digests,
 *   signing it, appending entry + statement + signed tree head), from `statementTimingChannel`;
 *   its median, quartiles and maximum over the signed requests, and the parts (`buildAndSignMs`,
 *   `appendMs`). What the commit adds (the entry's bytes) is not in it: the paired measure has it.
 * - `addedMs`, end to end: the write-back itself (the job's `write` → `scrub` progress marks, one
 *   exactly-once transaction, commit included), the median of the pairs' differences (signed −
 *   unsigned) with quartiles and a distribution-free 95 % interval (`addedCi95Ms`).
 */
export async function measureErasureWriteBack(opts: {
  client: GraphClient;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 2000 : 5000;
  const pairs = opts.quick ? 8 : 100;
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
  const timings = collectStatementTimings();
  try {
    const order = new SeededRandom(1313).permutation(application.rows);
    const signed: number[] = [];
    const unsigned: number[] = [];
    const inTx: number[] = [];
    const buildAndSign: number[] = [];
    const append: number[] = [];
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
      const statements = timings.take();
      if (statements.length !== (sign ? 1 : 0))
        throw new Error(
          `request ${requestId} recorded ${statements.length} statements (expected ${sign ? 1 : 0})`,
        );
      if (k < warmUp) continue;
      (sign ? signed : unsigned).push(writeMs);
      if (sign) {
        inTx.push(statements[0].totalMs);
        buildAndSign.push(statements[0].buildAndSignMs);
        append.push(statements[0].appendMs);
      }
    }
    const withMs = median(signed);
    const withoutMs = median(unsigned);
    const added = pairedDifferences(signed.map((ms, i) => ms - unsigned[i]));
    const direct = pairedDifferences(inTx);
    const fmt = (xs: readonly number[]) => xs.map((q) => q.toFixed(2)).join(' … ');
    log(
      `evidence: erasure write-back (${applicants} applicants, one row per request, ${pairs} interleaved pairs, warm): signing and logging inside the transaction ${direct.medianMs.toFixed(2)} ms (quartiles ${fmt(direct.quartilesMs)}, max ${Math.max(...inTx).toFixed(2)}; build + sign ${median(buildAndSign).toFixed(2)}, append ${median(append).toFixed(2)}); ` +
        `end to end ${withoutMs.toFixed(2)} ms unsigned → ${withMs.toFixed(2)} ms signed, +${added.medianMs.toFixed(2)} ms (median of the pairs' differences; quartiles ${fmt(added.quartilesMs)}; 95 % interval ${added.ci95Ms ? fmt(added.ci95Ms) : 'n/a'} ms)`,
    );
    return {
      applicants,
      pairs,
      warmUp,
      evidenceInTxMs: direct.medianMs,
      evidenceInTxQuartilesMs: direct.quartilesMs,
      evidenceInTxMaxMs: Math.max(...inTx),
      buildAndSignMs: median(buildAndSign),
      appendMs: median(append),
      writeBackWithoutMs: withoutMs,
      writeBackWithMs: withMs,
      addedMs: added.medianMs,
      addedQuartilesMs: added.quartilesMs,
      addedCi95Ms: added.ci95Ms,
      differenceOfMediansMs: withMs - withoutMs,
      ratio: withMs / withoutMs,
      measured: `in-process, on a warm database (${warmUp} warm-up requests dropped, one model line), ${pairs} side-by-side pairs of erasure requests, one signed (erasure statement + log entry + signed tree head) and one not, the order alternating from pair to pair; evidenceInTxMs = median over the signed requests of the time recordStatement spent inside the write-back transaction (make the statement, sign, append), timed in the transaction; addedMs = median of the per-pair differences (signed − unsigned) of the write-back transaction (job progress write → scrub, commit included), addedCi95Ms its distribution-free 95 % interval`,
    };
  } finally {
    timings.stop();
    await fixture.remove();
  }
}
