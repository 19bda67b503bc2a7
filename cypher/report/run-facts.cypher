// Report: "What does the graph hold about this run?" — the Run's properties, its declared Pipeline
// (when it has one) and the models trained on it (every version, oldest first). No record when
// there is no such run.
// Parameters: $runId (Run id).
MATCH (run:Run {id: $runId})
OPTIONAL MATCH (run)-[:USES]->(p:Pipeline)
CALL (run) {
  OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
  WITH m ORDER BY m.trainedAt, m.id
  RETURN collect(m {.id, .version, .kind, .status, trainedAt: toString(m.trainedAt), .trainAccuracy, .testAccuracy,
    .trainRows, .testRows}) AS models
}
RETURN properties(run) AS run, toString(run.startedAt) AS runStartedAt, toString(run.finishedAt) AS runFinishedAt,
  p {.name, .sha256, .format, .text} AS pipeline, models
