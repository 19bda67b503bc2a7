// OpenLineage export: the complete ingest runs to replay as events (oldest first), each with its
// counts and times, the pipeline it executed (name, sha256 and canonical text, when recorded),
// the source files it read (id, name, path, table, rows), and the models a train job fitted on it
// (version 1 of each line; later versions are erasures'), with their training times.
// Parameters: $runId (one run id, or null for every run), $since (ISO time: runs started at or
// after it, or null).
MATCH (run:Run {status: 'complete'})
WHERE ($runId IS NULL OR run.id = $runId) AND ($since IS NULL OR run.startedAt >= $since)
OPTIONAL MATCH (run)-[:USES]->(p:Pipeline)
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
  WITH DISTINCT f ORDER BY f.table, f.name
  RETURN collect(f {.id, .name, .path, .table, .rows}) AS files
}
CALL (run) {
  OPTIONAL MATCH (m:Model {version: 1})-[:TRAINED_ON]->(run)
  WITH m ORDER BY m.trainedAt
  RETURN collect(m {.id, .kind, .lambda, trainedAt: toString(m.trainedAt)}) AS models
}
RETURN run.id AS runId, run.pipeline AS pipeline, run.mode AS mode, run.startedAt AS startedAt,
  run.finishedAt AS finishedAt, run.samples AS samples, run.sourceRows AS sourceRows,
  run.provenanceEdges AS provenanceEdges, run.ops AS ops, p.sha256 AS pipelineSha256,
  p.text AS pipelineText, files, models
ORDER BY run.startedAt, run.id
