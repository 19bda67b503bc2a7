// Report: "What does the graph hold about this model?" — the Model's properties, the Run it was
// trained on (with its declared Pipeline, when it has one), and every version of the model's line
// (from its newest version, the head, down the SUPERSEDES chain), each with its status and test
// accuracy. No record
// when there is no such model.
// Parameters: $modelId (Model id).
MATCH (m:Model {id: $modelId})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (run)-[:USES]->(p:Pipeline)
CALL (m) {
  MATCH (head:Model)-[:SUPERSEDES*0..]->(m)
  WHERE NOT EXISTS { (:Model)-[:SUPERSEDES]->(head) }
  RETURN head LIMIT 1
}
CALL (head) {
  MATCH path = (head)-[:SUPERSEDES*0..]->(v:Model)
  WITH v, length(path) AS depth ORDER BY depth
  OPTIONAL MATCH (v)-[:TRAINED_ON]->(vrun:Run)
  RETURN collect(v {.id, .version, .status, .testAccuracy, trainedAt: toString(v.trainedAt), runId: vrun.id}) AS line
}
RETURN properties(m) AS model, toString(m.trainedAt) AS trainedAt, properties(run) AS run,
  toString(run.startedAt) AS runStartedAt, toString(run.finishedAt) AS runFinishedAt,
  p {.name, .sha256, .format, .text} AS pipeline, line
