import type { ArtifactHome } from '../artifacts/artifact-home.js';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { readBias } from './read-bias.js';
import {
  guaranteeOf,
  labelOf,
  readClassBalance,
  readRunOps,
  readRunSources,
  readStatements,
  reportRun,
} from './read-run-parts.js';
import type { ModelReport, ReportErasureSummary } from './report-types.js';
import { jsonObject, num, str } from './report-values.js';

/** What a model report reads besides the graph. */
export interface ModelReportOptions {
  /**
   * The artifact store: the model's parameters score the run's samples for the bias examination
   * (without it the examination is `not available`).
   */
  home?: ArtifactHome;
}

/**
 * Reads everything the graph holds about a model into a {@link ModelReport}: the model and its
 * line of versions, the run it was trained on with its source files (content sha256, rows), the
 * pipeline and its ops, column lineage, label, split, class balance, the imputations ops record,
 * training parameters and metrics, mean source shares per file from attribution results, every
 * erasure applied to the line with its certificate, and the signed statements about the model's
 * versions, its run and those erasures; and the bias examination across the protected attributes
 * the pipeline declares (scored from the artifacts, see {@link readBias}). Read-only.
 *
 * @throws NotFoundError `report.unknownId` when no Model has this id.
 */
export async function readModelReport(
  client: GraphClient,
  modelId: string,
  options: ModelReportOptions = {},
): Promise<ModelReport> {
  const [facts] = await runReadQuery(client, cypherText('report', 'model-facts'), { modelId });
  if (!facts)
    throw new NotFoundError(
      'report.unknownId',
      `no model ${JSON.stringify(modelId)} in the graph (list the models with \`traceprop report list model\`)`,
    );
  const m = facts.model as Record<string, unknown>;
  const runProps = facts.run as Record<string, unknown> | null;
  const run = runProps ? reportRun(runProps, facts.runStartedAt, facts.runFinishedAt) : null;
  const pipelineNode = facts.pipeline as Record<string, unknown> | null;
  const line = (facts.line as Record<string, unknown>[]).map((v) => ({
    id: String(v.id),
    version: num(v.version),
    status: str(v.status),
    trainedAt: str(v.trainedAt),
    runId: str(v.runId),
    testAccuracy: num(v.testAccuracy),
  }));
  const lineIds = line.map((v) => v.id);
  const [sources, ops, classBalance, influence, erasures, bias] = await Promise.all([
    run ? readRunSources(client, run.id) : [],
    run ? readRunOps(client, run.id) : { ops: [], split: null, imputation: [] },
    run ? readClassBalance(client, run.id) : [],
    readInfluence(client, modelId),
    readLineErasures(client, lineIds),
    readBias(pipelineNode?.text, modelId, options.home),
  ]);
  const runIds = [...new Set(line.map((v) => v.runId).filter((id): id is string => id !== null))];
  const statements = await readStatements(client, [
    ...lineIds,
    ...runIds,
    ...erasures.map((e) => e.requestId),
  ]);
  const featureColumns = jsonObject(runProps?.featureColumns);
  const featureLineage = featureColumns
    ? Object.entries(featureColumns).map(([feature, cols]) => ({
        feature,
        sourceColumns: Array.isArray(cols) ? cols.map(String) : [],
      }))
    : null;
  const label = labelOf(pipelineNode?.text);
  const certified = num(m.certifiedEpsilon) !== null;
  const notAvailable: string[] = [
    'missing values per column: not recorded in the graph (only the imputation an op applies is)',
  ];
  if (bias.status !== 'examined')
    notAvailable.push(`bias examination across a protected attribute: ${bias.status} (${bias.reason})`);
  if (!featureLineage) notAvailable.push('column lineage of the features: not recorded for this run');
  if (!label) notAvailable.push('label definition: not recorded (the run has no declared pipeline file)');
  if (!ops.split) notAvailable.push('split: no split op recorded');
  if (influence.length === 0)
    notAvailable.push(
      'influence per source file: no attribution results (`traceprop attribute`) for this model',
    );
  if (statements.length === 0)
    notAvailable.push('signed statements: none logged (no signing key when the run and model were written)');
  return {
    kind: 'model',
    generatedAt: new Date().toISOString(),
    model: {
      id: String(m.id),
      version: num(m.version),
      kind: str(m.kind),
      status: str(m.status),
      trainedAt: str(facts.trainedAt),
      paramsSha256: str(m.paramsSha256),
      runMatrixSha256: str(m.runMatrixSha256),
      paramsShreddedBy: str(m.paramsShreddedBy),
    },
    run,
    sources,
    pipeline: run
      ? {
          name: run.pipeline ?? '',
          sha256: str(pipelineNode?.sha256),
          format: str(pipelineNode?.format),
          ops: ops.ops,
        }
      : null,
    featureLineage,
    label,
    split: ops.split,
    classBalance,
    missingValues: { perColumn: null, imputation: ops.imputation },
    training: {
      lambda: num(m.lambda),
      trainRows: num(m.trainRows),
      testRows: num(m.testRows),
      certification: certified
        ? {
            epsilon: num(m.certifiedEpsilon),
            delta: num(m.certifiedDelta),
            sigma: num(m.certifiedSigma),
            removalBudget: num(m.removalBudget),
            budgetSpent: num(m.budgetSpent),
            budgetLeft: num(m.budgetLeft),
          }
        : null,
    },
    metrics: {
      trainAccuracy: num(m.trainAccuracy),
      testAccuracy: num(m.testAccuracy),
      trainLoss: num(m.trainLoss),
      testLoss: num(m.testLoss),
    },
    influence,
    line,
    erasures,
    statements,
    bias,
    notAvailable,
  };
}

/** Mean source share per file, per method (`cypher/report/model-source-shares.cypher`). */
async function readInfluence(client: GraphClient, modelId: string): Promise<ModelReport['influence']> {
  const rows = await runReadQuery(client, cypherText('report', 'model-source-shares'), { modelId });
  const byMethod = new Map<string, ModelReport['influence'][number]>();
  for (const r of rows) {
    const method = String(r.method);
    const predictions = num(r.predictions) ?? 0;
    let entry = byMethod.get(method);
    if (!entry) {
      entry = { method, predictions, files: [] };
      byMethod.set(method, entry);
    }
    entry.files.push({
      sha256: String(r.fileId),
      name: String(r.file),
      table: str(r.table),
      meanShare: predictions > 0 ? (num(r.shareSum) ?? 0) / predictions : 0,
    });
  }
  return [...byMethod.values()];
}

/** The erasures applied to the line's versions (`cypher/report/line-erasures.cypher`). */
async function readLineErasures(client: GraphClient, modelIds: string[]): Promise<ReportErasureSummary[]> {
  const rows = await runReadQuery(client, cypherText('report', 'line-erasures'), { modelIds });
  return rows.map((r) => {
    const u = r.request as Record<string, unknown>;
    return {
      requestId: String(u.id),
      status: str(u.status),
      mode: str(u.mode),
      requestedAt: str(r.requestedAt),
      completedAt: str(r.completedAt),
      sourceRows: num(r.targets) ?? 0,
      affectedSamples: num(u.affectedSamples),
      produced: (r.produced as Record<string, unknown>[]).map((p) => ({
        before: str(p.before),
        after: String(p.after),
        version: num(p.version),
      })),
      guarantee: guaranteeOf(u),
    };
  });
}
