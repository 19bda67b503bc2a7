// Unlearning: "Did this request already complete, and with what result?" Its summary properties,
// metrics and certificate, and the version of the model it produced (or of the unchanged model it
// kept). A job delivered again after its write-back committed answers from this.
// Parameters: $id (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $id})
WHERE u.status = 'complete'
OPTIONAL MATCH (u)-[:PRODUCED]->(produced:Model)
OPTIONAL MATCH (kept:Model {id: u.modelId})
RETURN properties(u) AS summary, coalesce(produced.version, kept.version) AS version,
       u.certificate AS certificate, u.metrics AS metrics
