// Unlearning write-back, step 4 (after the new model version is written): the request PRODUCED it.
// Parameters: $id (request id), $modelId (the new Model id).
MATCH (u:UnlearningRequest {id: $id}), (m:Model {id: $modelId})
MERGE (u)-[:PRODUCED]->(m)
