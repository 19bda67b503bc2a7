/**
 * Traceprop's public API, listed by hand. The CLI (`traceprop`) is built on these modules.
 */

export { type AccessRole, accessRoles } from './access/access-role.js';
export { createApiToken, listApiTokens, revokeApiToken } from './access/token-store.js';
export * from './attribution/index.js';
export { loadConfig, type TracepropConfig } from './config.js';
export { ErasureSalt, resolveErasureSalt } from './erasure/erasure-salt.js';
export { type ErrorEntry, errorCatalogue } from './error-catalogue.js';
export {
  ExitCode,
  hasCode,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  TracepropError,
  UsageError,
} from './errors.js';
export { compileExpression } from './expressions/compile-expression.js';
export { ExpressionError } from './expressions/expression-error.js';
export { parseExpression } from './expressions/parse-expression.js';
export { AuditQueryGate } from './graph/audit-query-gate.js';
export { commitJobResult } from './graph/commit-job-result.js';
export {
  adoptBookmarks,
  createGraphClient,
  type GraphClient,
  type GraphConnectionConfig,
  verifyGraph,
  withSession,
} from './graph/connection.js';
export { failRun } from './graph/fail-run.js';
export { writeLineageRun } from './graph/lineage-writer.js';
export { listRuns } from './graph/list-runs.js';
export { ancestors } from './graph/queries/ancestors.js';
export { descendants } from './graph/queries/descendants.js';
export { erasures } from './graph/queries/erasures.js';
export { ops } from './graph/queries/ops.js';
export { pipelineChanges, runPipeline } from './graph/queries/pipelines.js';
export { sources } from './graph/queries/sources.js';
export { tracePrediction } from './graph/queries/trace-prediction.js';
export { runReadQuery } from './graph/read-query.js';
export { recoverExpiredRuns } from './graph/recover-expired-runs.js';
export { applySchema } from './graph/schema.js';
export { ingestCreditRisk } from './ingest/ingest-credit-risk.js';
export { ingestPipelineFile } from './ingest/ingest-pipeline-file.js';
export type { AttributionPayload, TrainPayload, UnlearningPayload } from './jobs/job-payloads.js';
export { trainRunModel } from './jobs/train/run-train-job.js';
export * from './lineage/index.js';
export type { LineageRun, PipelineDefinition } from './lineage/lineage-run.js';
export { loadRunMatrix, saveRunMatrix } from './models/run-matrix-store.js';
export type {
  DeclaredReuse,
  DeclaredRunOptions,
  DeclaredRunResult,
  FittedState,
  FittedStep,
} from './pipeline-run/declared-run-types.js';
export { readPipelineSources } from './pipeline-run/read-pipeline-sources.js';
export { runDeclaredPipeline } from './pipeline-run/run-declared-pipeline.js';
export { canonicalPipeline } from './pipeline-spec/canonical-pipeline.js';
export { loadPipelineSpec, parsePipelineSpec } from './pipeline-spec/load-pipeline-spec.js';
export { type PipelineSpec, pipelineSchema } from './pipeline-spec/pipeline-schema.js';
export { PipelineSpecError } from './pipeline-spec/pipeline-spec-error.js';
export { type ValidatedPipeline, validatePipeline } from './pipeline-spec/validate-pipeline.js';
export { creditRiskFiles } from './pipelines/credit-risk-files.js';
export { generateCreditRisk } from './pipelines/credit-risk-generator.js';
export { creditRiskPipeline, creditRiskPipelineFile } from './pipelines/credit-risk-spec.js';
export { startQueueWorker } from './queue/start-queue-worker.js';
export { submitJob } from './queue/submit-job.js';
export { type RunningServer, type ServeOptions, startServer } from './serve/start-server.js';
export { ensureNeo4j, ensureRedis } from './services/ensure-services.js';
export { startLocalNeo4j, stopLocalNeo4j } from './services/local-neo4j.js';
export { resolveSubjectRows, type SubjectRows } from './subjects/resolve-subject-rows.js';
export { type SubjectReport, subjectReport } from './subjects/subject-report.js';
export { compareWithRetrain } from './unlearning/compare-with-retrain.js';
export { newtonRemoval } from './unlearning/newton-removal.js';
export { type RandomStream, SeededRandom } from './util/seeded-random.js';
export {
  parseWorkbenchParams,
  type WorkbenchQuery,
  workbenchQueries,
} from './workbench/workbench-queries.js';
