import path from 'node:path';
import type { GraphClient } from '../../src/graph/connection.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { type CreditRiskResult, runCreditRiskPipeline } from '../../src/pipelines/credit-risk-pipeline.js';

/** A small credit-risk run, ingested the way `traceprop ingest` does (graph + saved matrix). */
export interface IngestedRun {
  runId: string;
  dir: string;
  result: CreditRiskResult;
}

/**
 * Generates `applicants` synthetic applicants into `<home>/data-<seed>`, runs the credit-risk
 * pipeline in row mode, writes its lineage to Neo4j and saves its model matrix under `home`.
 */
export async function ingestCreditRisk(
  client: GraphClient,
  home: string,
  applicants: number,
  seed: number,
): Promise<IngestedRun> {
  const dir = path.join(home, `data-${seed}-${applicants}`);
  await generateCreditRisk({ applicants, seed, outDir: dir });
  const result = await runCreditRiskPipeline(dir, {
    mode: 'row',
    runId: `run-${seed}-${applicants}-${Date.now()}`,
  });
  const lineage = result.lineage;
  if (!lineage) throw new Error('row mode gives lineage');
  await writeLineageRun(client, lineage);
  await saveRunMatrix(home, runMatrixFromFeatures(result, lineage.runId));
  return { runId: lineage.runId, dir, result };
}
