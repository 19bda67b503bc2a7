// What `verify graph` compares with the `erasure` statements: per logged model line of a request,
// the UnlearningRequest's properties (status, mode, lines, model ids, counts, metrics and
// certificate as JSON, scrubbed edges), the previous and the new model version, whether the
// request PRODUCED the new one, and the ids of the samples it is AFFECTED-linked to on the line's run.
// Parameters: $lines (list of maps: requestId, previousModelId, modelId (null when the line made no
// new version), runId).
UNWIND $lines AS line
OPTIONAL MATCH (u:UnlearningRequest {id: line.requestId})
OPTIONAL MATCH (prev:Model {id: line.previousModelId})
OPTIONAL MATCH (new:Model {id: line.modelId})
OPTIONAL MATCH (new)-[:SUPERSEDES]->(sup:Model)
OPTIONAL MATCH (new)-[:TRAINED_ON]->(newRun:Run)
CALL {
  WITH u, line
  OPTIONAL MATCH (u)-[:AFFECTED]->(s:Sample)-[:OUTPUT_OF]->(:Run {id: line.runId})
  RETURN collect(s.id) AS affected
}
RETURN line.requestId AS requestId, line.previousModelId AS previousModelId, u IS NOT NULL AS found,
  u {.status, .mode, .linesDone, .previousModelIds, .modelIds, .previousModelId, .modelId, .sourceRows,
     .affectedSamples, .forgottenTrainSamples, .recomputedSamples, .recomputedTrainSamples,
     .droppedSamples, .alreadyErasedRows, .fallback, .gradientResidual, .metrics, .certificate,
     .certifiedEpsilon, .certifiedDelta, .budgetCharged, .budgetLeft, .certifiedRetrain,
     .scrubbedInfluences, .scrubbedShares, .scrubbedPredictionEdges, .scrubbedPredictions} AS request,
  prev IS NOT NULL AS previousFound, prev.paramsSha256 AS previousParamsSha256,
  new IS NOT NULL AS modelFound, new.paramsSha256 AS paramsSha256, new.version AS version,
  new.metrics AS modelMetrics, sup.id AS supersedes, newRun.id AS modelRunId,
  new IS NOT NULL AND u IS NOT NULL AND EXISTS { (u)-[:PRODUCED]->(new) } AS produced, affected
