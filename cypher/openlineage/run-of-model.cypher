// OpenLineage: what the events about one model version name: its version, the ingest run it was
// trained on (id and pipeline name) and the erasure request that produced it (absent for a
// version 1, which a train job produced). No record when there is no such model.
// Parameters: $modelId (Model id).
MATCH (m:Model {id: $modelId})-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (u:UnlearningRequest)-[:PRODUCED]->(m)
RETURN m.id AS modelId, m.version AS version, run.id AS runId, run.pipeline AS pipeline,
  head(collect(u.id)) AS producedBy
