import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordStatement } from '../src/evidence/record-statement.js';
import { runStatement } from '../src/evidence/run-statement.js';
import type { SigningKey } from '../src/evidence/signing-key.js';
import type { GraphClient } from '../src/graph/connection.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { removeErasureFixture } from './erasure-completeness.js';
import { median } from './support/interleaved.js';
import { pairedDifferences } from './support/paired-differences.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';
import { collectStatementTimings } from './support/statement-timings.js';

/**
 * `evidence.ingest` (issue 13 target: signing and logging add ≤ 2% to a 20k ingest): generated
 * credit-risk data (20,000 applicants; 5,000 with `quick`), ingested as `traceprop ingest` does
 * (the pipeline file in row mode, then the graph write), in interleaved pairs (6; 1 with `quick`)
 * of one ingest with the run's signed statement (recorded in the transaction that completes the
 * Run, as ingest records it) and one without, the order alternating from pair to pair, after one
 * warm-up ingest that creates the files' rows. Two measures:
 * - `statementShare`, direct: the time `recordStatement` spent inside the completing transaction
 *   (build, sign, append; from `statementTimingChannel`) ÷ the signed ingest's time, per signed
 *   ingest, median (`statementMs`: the median of that time);
 * - `ingestOverhead` = median signed ingest ÷ median unsigned, and `addedMs`, the median of the
 *   pairs' differences (signed − unsigned) with a distribution-free 95 % interval (noisy: the
 *   ingests vary by hundreds of milliseconds on a shared machine, the statement costs a few).
 * Removes its runs after.
 */
export async function measureIngestOverhead(opts: {
  client: GraphClient;
  key: SigningKey;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, key, log } = opts;
  const applicants = opts.quick ? 5000 : 20000;
  const pairs = opts.quick ? 1 : 6;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-evidence-ingest-'));
  const runIds: string[] = [];
  let fileIds: string[] = [];
  const signed: number[] = [];
  const unsigned: number[] = [];
  const statementMs: number[] = [];
  const shares: number[] = [];
  const timings = collectStatementTimings();
  try {
    await generateCreditRisk({ applicants, seed: 1400, outDir: dataDir });
    for (let k = 0; k < 1 + 2 * pairs; k++) {
      // Pairs (1, 2), (3, 4), …: signed first in one, unsigned first in the next.
      const pair = Math.floor((k - 1) / 2);
      const sign = k > 0 && (k % 2 === 1) === (pair % 2 === 0);
      const runId = `bench-evidence-ingest-${Date.now()}-${k}`;
      runIds.push(runId);
      const started = performance.now();
      const result = await runCreditRiskFile(dataDir, { mode: 'row', runId });
      const lineage = result.lineage;
      if (!lineage) throw new Error('row mode gives lineage');
      fileIds = lineage.files.map((f) => f.id);
      await writeLineageRun(client, lineage, {
        ...(sign
          ? {
              onComplete: async (tx, completion) => {
                await recordStatement(
                  tx,
                  key,
                  runStatement({
                    runId,
                    pipeline: lineage.pipeline,
                    mode: lineage.mode,
                    files: lineage.files.map((f) => ({
                      name: f.name,
                      table: f.table,
                      sha256: f.id,
                      rows: f.rows,
                    })),
                    definition: { name: 'credit-risk', sha256: '0'.repeat(64) },
                    ...completion,
                  }),
                );
              },
            }
          : {}),
      });
      const ms = performance.now() - started;
      const statements = timings.take();
      if (statements.length !== (sign ? 1 : 0))
        throw new Error(
          `ingest ${runId} recorded ${statements.length} statements (expected ${sign ? 1 : 0})`,
        );
      const inside = sign ? statements[0].totalMs : 0;
      log(
        `evidence: ${applicants}-applicant ingest ${sign ? 'signed' : 'unsigned'} ${(ms / 1000).toFixed(2)} s${sign ? ` (statement ${inside.toFixed(2)} ms)` : ''}${k === 0 ? ' (warm-up)' : ''}`,
      );
      if (k === 0) continue;
      if (sign) {
        signed.push(ms);
        statementMs.push(inside);
        shares.push(inside / ms);
      } else unsigned.push(ms);
    }
  } finally {
    timings.stop();
    for (const runId of runIds)
      await removeErasureFixture(client, { runId, fileIds, requestPrefix: `${runId}-none`, jobIds: [] });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const statementShare = median(shares);
  const added = pairedDifferences(signed.map((ms, i) => ms - unsigned[i]));
  log(
    `evidence: ${applicants}-applicant ingest ${(median(unsigned) / 1000).toFixed(2)} s unsigned, ${(median(signed) / 1000).toFixed(2)} s signed (${pairs} interleaved pairs); statement ${median(statementMs).toFixed(2)} ms inside the transaction = ${(statementShare * 100).toFixed(3)} % of the signed ingest; end to end +${added.medianMs.toFixed(0)} ms (median of the pairs' differences; 95 % interval ${added.ci95Ms ? added.ci95Ms.map((x) => x.toFixed(0)).join(' … ') : 'n/a'} ms)`,
  );
  return {
    applicants,
    pairs,
    ingestWithoutSeconds: median(unsigned) / 1000,
    ingestWithSeconds: median(signed) / 1000,
    ingestOverhead: median(signed) / median(unsigned),
    statementMs: median(statementMs),
    statementMaxMs: Math.max(...statementMs),
    statementShare,
    addedMs: added.medianMs,
    addedQuartilesMs: added.quartilesMs,
    addedCi95Ms: added.ci95Ms,
    addedShare: added.medianMs / median(unsigned),
    measured: `${pairs} interleaved pairs of ${applicants}-applicant row-mode ingests (pipeline file + graph write), signed and unsigned, the order alternating from pair to pair, after one warm-up ingest; statementShare = median over the signed ingests of (recordStatement's time inside the completing transaction ÷ that ingest's time); ingestOverhead = median signed ÷ median unsigned; addedMs = median of the per-pair differences, addedCi95Ms its distribution-free 95 % interval, addedShare = addedMs ÷ median unsigned`,
  };
}
