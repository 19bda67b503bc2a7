import path from 'node:path';
import { type CreditRiskFileRun, runCreditRiskFile } from '../../bench/support/run-credit-risk-file.js';
import type { ArtifactHome } from '../../src/artifacts/artifact-home.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

/** A small credit-risk run, ingested the way `traceprop ingest` does (graph + saved matrix). */
export interface IngestedRun {
  runId: string;
  dir: string;
  result: CreditRiskFileRun;
}

/**
 * Generates `applicants` synthetic applicants into `<home>/data-<seed>`, runs
 * pipelines/credit-risk.yaml on them in row mode, writes its lineage to Neo4j and saves its model matrix under `home`
 * (or in `artifacts`, e.g. `home` as the cache of an object store).
 */
export async function ingestCreditRisk(
  client: GraphClient,
  home: string,
  applicants: number,
  seed: number,
  artifacts: ArtifactHome = home,
): Promise<IngestedRun> {
  const dir = path.join(home, `data-${seed}-${applicants}`);
  await generateCreditRisk({ applicants, seed, outDir: dir });
  const result = await runCreditRiskFile(dir, {
    mode: 'row',
    runId: `run-${seed}-${applicants}-${Date.now()}`,
  });
  const lineage = result.lineage;
  if (!lineage) throw new Error('row mode gives lineage');
  await writeLineageRun(client, lineage);
  await saveRunMatrix(artifacts, runMatrixFromFeatures(result, lineage.runId));
  return { runId: lineage.runId, dir, result };
}

/** What {@link useTrainedRun} sets up before a suite's tests (filled in its `before`). */
export interface TrainedRun {
  run: IngestedRun;
  /** The logistic model (λ = 1e-2) trained on the run. */
  modelId: string;
}

/**
 * A suite with a clean graph, a generated credit-risk run ingested into it and a model trained
 * on it; `query` runs Cypher in a tracked session and returns plain records.
 */
export function useTrainedRun(
  applicants: number,
  seed: number,
): {
  graph: () => GraphClient;
  suite: TrainedRun;
  query: (cypher: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>;
  /** Ids of the active models trained on the run, sorted. */
  activeModels: () => Promise<string[]>;
} {
  const graph = useCleanGraph();
  const suite = {} as TrainedRun;
  before(async function () {
    this.timeout(120_000);
    const { home } = testServices();
    suite.run = await ingestCreditRisk(graph(), home, applicants, seed);
    suite.modelId = (
      await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-2 })
    ).modelId;
  });
  const query = (cypher: string, params: Record<string, unknown> = {}) =>
    withTestSession(graph(), async (s) => (await s.run(cypher, params)).records.map((r) => r.toObject()));
  const activeModels = async () =>
    (
      await query(
        "MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id ORDER BY id",
        { run: suite.run.runId },
      )
    ).map((r) => r.id as string);
  return { graph, suite, query, activeModels };
}
