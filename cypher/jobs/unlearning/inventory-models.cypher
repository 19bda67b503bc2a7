// Erasure inventory, models: every model version trained on the given runs, with its artifact's
// path and content hash, when it was trained (epoch milliseconds), and whether this request
// produced it.
// Parameters: $id (UnlearningRequest id), $runIds (list of Run ids).
UNWIND $runIds AS runId
MATCH (m:Model)-[:TRAINED_ON]->(run:Run {id: runId})
RETURN m.id AS id, m.version AS version, m.status AS status, m.trainedAt.epochMillis AS trainedAt, run.id AS runId,
       m.artifactPath AS artifactPath,
       m.paramsSha256 AS paramsSha256, EXISTS { (:UnlearningRequest {id: $id})-[:PRODUCED]->(m) } AS produced
ORDER BY runId, id
