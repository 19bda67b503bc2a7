// Workbench: "What is this run?" — its status, mode, times and the counts its ingest recorded,
// the samples per split (recorded by the ingest; counted for older runs) and how many erasures dropped, the declared pipeline it executed
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
// Samples per split: recorded on the Run by its ingest; counted only for runs written before.
CALL (run) {
  WITH run WHERE run.trainSamples IS NULL
  OPTIONAL MATCH (run)<-[:OUTPUT_OF]-(s:Sample)
  RETURN {trainSamples: count(CASE WHEN s.split = 'train' THEN 1 END),
    testSamples: count(CASE WHEN s.split = 'test' THEN 1 END)} AS counted
}
// Erased samples, from the index on Sample.erased (few), not from every sample of the run.
CALL (run) {
  OPTIONAL MATCH (s:Sample {erased: true}) USING INDEX s:Sample(erased)
  WHERE (s)-[:OUTPUT_OF]->(run)
  RETURN count(s) AS erasedSamples
}
RETURN run {.id, .pipeline, .mode, .status, startedAt: toString(run.startedAt), finishedAt: toString(run.finishedAt),
    .error, .sampleKeyColumn, .files, .ops, .samples, .sourceRows, .provenanceEdges} AS run,
  size(coalesce(run.featureNames, [])) AS features,
  CASE WHEN p IS NULL THEN null ELSE p {.name, .format, .sha256} END AS pipeline,
  coalesce(run.trainSamples, counted.trainSamples) AS trainSamples,
  coalesce(run.testSamples, counted.testSamples) AS testSamples,
  erasedSamples,
  COUNT { (:Model)-[:TRAINED_ON]->(run) } AS modelCount,
  models
