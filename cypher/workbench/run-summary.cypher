// Workbench: "What is this run?" — its status, mode, times and the counts its ingest recorded,
// the samples per split (and how many erasures dropped), the declared pipeline it executed
// (name, format, sha256; null for a run without one) and the models trained on it (newest first,
// at most $limit, with their total). No record when there is no such run.
// Parameters: $runId, $limit (integer, models listed).
MATCH (run:Run {id: $runId})
OPTIONAL MATCH (run)-[:USES]->(p:Pipeline)
CALL (run) {
  OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
  WITH m ORDER BY m.trainedAt DESC, m.id LIMIT $limit
  RETURN collect(m {.id, .version, .kind, .status, trainedAt: toString(m.trainedAt)}) AS models
}
RETURN run {.id, .pipeline, .mode, .status, startedAt: toString(run.startedAt), finishedAt: toString(run.finishedAt),
    .error, .sampleKeyColumn, .files, .ops, .samples, .sourceRows, .provenanceEdges} AS run,
  size(coalesce(run.featureNames, [])) AS features,
  CASE WHEN p IS NULL THEN null ELSE p {.name, .format, .sha256} END AS pipeline,
  COUNT { (run)<-[:OUTPUT_OF]-(:Sample {split: 'train'}) } AS trainSamples,
  COUNT { (run)<-[:OUTPUT_OF]-(:Sample {split: 'test'}) } AS testSamples,
  COUNT { (run)<-[:OUTPUT_OF]-(:Sample {erased: true}) } AS erasedSamples,
  COUNT { (:Model)-[:TRAINED_ON]->(run) } AS modelCount,
  models
