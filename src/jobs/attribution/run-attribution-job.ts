import { NotFoundError } from '../../errors.js';
import { loadModelArtifact } from '../../models/model-artifact-store.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';
import type { ProcessorContext } from '../../queue/define-processor.js';
import type { AttributionPayload } from '../job-payloads.js';
import { computeAttribution } from './compute-attribution.js';
import { type AttributionWriteCounts, writeAttribution } from './write-attribution.js';

/** The return value of an attribution job (shown by `jobs show` and `attribute --wait`). */
export interface AttributionJobResult extends AttributionWriteCounts {
  modelId: string;
  runId: string;
  method: string;
  top: number;
  trainRows: number;
  /** False when an earlier attempt had already written the results (nothing written now). */
  committed: boolean;
  committedAt: string;
  computeSeconds: number;
}

/**
 * The attribution job: checks the model exists in the graph (else `attribution.unknownModel`,
 * permanent), loads its artifact and its run's model matrix from TRACEPROP_HOME, computes the
 * scores in the sandboxed child, and writes them back exactly once.
 */
export async function runAttributionJob(
  ctx: ProcessorContext<AttributionPayload>,
): Promise<AttributionJobResult> {
  const { modelId, method, top } = ctx.payload;
  await ctx.progress(1, 'model');
  const client = ctx.graph();
  const found = await client.driver.executeQuery(
    'MATCH (m:Model {id: $modelId}) RETURN m.id AS id',
    { modelId },
    { database: client.database, routing: 'READ' },
  );
  if (found.records.length === 0) {
    throw new NotFoundError(
      'attribution.unknownModel',
      `model "${modelId}" does not exist in the graph (train one first, or check the id)`,
    );
  }
  const artifact = await loadModelArtifact(ctx.config.home, modelId);
  const matrix = await loadRunMatrix(ctx.config.home, artifact.runId);
  // Samples whose data an unlearning request erased are never scored again.
  const erased = await client.driver.executeQuery(
    'MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId}) WHERE s.erased RETURN collect(s.id) AS ids',
    { runId: artifact.runId },
    { database: client.database, routing: 'READ' },
  );
  const erasedSamples = new Set(erased.records[0].get('ids') as string[]);
  await ctx.progress(5, 'scoring');
  const started = performance.now();
  const result = await computeAttribution(artifact, matrix, { ...ctx.payload, erasedSamples }, (fraction) =>
    ctx.progress(5 + 85 * fraction, 'scoring'),
  );
  const computeSeconds = (performance.now() - started) / 1000;
  await ctx.progress(92, 'writing');
  const outcome = await ctx.commit((tx) =>
    writeAttribution(tx, result, { modelId, method, jobId: ctx.jobId }),
  );
  await ctx.progress(100, 'done');
  const counts = outcome.result ?? { predictions: 0, influencedBy: 0, sourceShares: 0 };
  return {
    modelId,
    runId: artifact.runId,
    method,
    top,
    trainRows: result.trainRows,
    ...counts,
    committed: outcome.committed,
    committedAt: outcome.committedAt,
    computeSeconds,
  };
}
