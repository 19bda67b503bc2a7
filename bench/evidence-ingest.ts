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
import { runCreditRiskFile } from './support/run-credit-risk-file.js';

/**
 * `evidence.ingest` (issue 13 target: signing and logging add ≤ 2% to a 20k ingest): generated
 * credit-risk data (20,000 applicants; 5,000 with `quick`), ingested as `traceprop ingest` does
 * (the pipeline file in row mode, then the graph write), alternately with the run's signed
 * statement (recorded in the transaction that completes the Run, as ingest records it) and
 * without, after one warm-up ingest that creates the files' rows. `statementShare` = the time
 * spent signing and logging inside the signed ingests ÷ those ingests' time (measured in the
 * same ingests); `ingestOverhead` = median signed ingest ÷ median unsigned (noisy: the runs
 * differ by seconds on a shared machine, the statement by milliseconds). Removes its runs after.
 */
export async function measureIngestOverhead(opts: {
  client: GraphClient;
  key: SigningKey;
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { client, key, log } = opts;
  const applicants = opts.quick ? 5000 : 20000;
  const pairs = opts.quick ? 1 : 3;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-evidence-ingest-'));
  const runIds: string[] = [];
  let fileIds: string[] = [];
  const signed: number[] = [];
  const unsigned: number[] = [];
  const statementMs: number[] = [];
  try {
    await generateCreditRisk({ applicants, seed: 1400, outDir: dataDir });
    for (let k = 0; k < 1 + 2 * pairs; k++) {
      const sign = k % 2 === 1;
      const runId = `bench-evidence-ingest-${Date.now()}-${k}`;
      runIds.push(runId);
      const started = performance.now();
      const result = await runCreditRiskFile(dataDir, { mode: 'row', runId });
      const lineage = result.lineage;
      if (!lineage) throw new Error('row mode gives lineage');
      fileIds = lineage.files.map((f) => f.id);
      let inside = 0;
      await writeLineageRun(client, lineage, {
        ...(sign
          ? {
              onComplete: async (tx, completion) => {
                const s = performance.now();
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
                inside = performance.now() - s;
              },
            }
          : {}),
      });
      const ms = performance.now() - started;
      log(
        `evidence: ${applicants}-applicant ingest ${sign ? 'signed' : 'unsigned'} ${(ms / 1000).toFixed(2)} s${sign ? ` (statement ${inside.toFixed(2)} ms)` : ''}${k === 0 ? ' (warm-up)' : ''}`,
      );
      if (k === 0) continue;
      if (sign) {
        signed.push(ms);
        statementMs.push(inside);
      } else unsigned.push(ms);
    }
  } finally {
    for (const runId of runIds)
      await removeErasureFixture(client, { runId, fileIds, requestPrefix: `${runId}-none`, jobIds: [] });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const statementShare = median(statementMs) / median(signed);
  log(
    `evidence: ${applicants}-applicant ingest ${(median(unsigned) / 1000).toFixed(2)} s unsigned, ${(median(signed) / 1000).toFixed(2)} s signed; statement ${median(statementMs).toFixed(2)} ms = ${(statementShare * 100).toFixed(3)} % of the signed ingest`,
  );
  return {
    applicants,
    pairs,
    ingestWithoutSeconds: median(unsigned) / 1000,
    ingestWithSeconds: median(signed) / 1000,
    ingestOverhead: median(signed) / median(unsigned),
    statementMs: median(statementMs),
    statementShare,
  };
}
