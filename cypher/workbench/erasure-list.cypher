// Workbench: "Which erasure (unlearning) requests were made, and how did each end?" — newest
// first (by request time), at most $limit, optionally only those with status $status: each with
// its mode, times, status, error code, the model it named, the model it updated and the one it
// produced, and how many rows it targeted and samples it affected. `total` counts every match.
// Parameters: $status (`queued`, `complete` or `failed`, or null for every request), $limit
// (integer, requests returned).
CALL () {
  MATCH (x:UnlearningRequest)
  WHERE $status IS NULL OR x.status = $status
  RETURN count(x) AS total
}
CALL () {
  MATCH (u:UnlearningRequest)
  WHERE $status IS NULL OR u.status = $status
  WITH u ORDER BY u.requestedAt DESC, u.id LIMIT $limit
  OPTIONAL MATCH (u)-[:PRODUCED]->(m:Model)
  WITH u, m ORDER BY u.requestedAt DESC, u.id
  RETURN collect(u {.id, .status, .mode, requestedAt: toString(u.requestedAt), completedAt: toString(u.completedAt),
    .errorCode, .modelId, .previousModelId, .requestedModelId, producedModelId: m.id,
    targets: COUNT { (u)-[:TARGETS]->(:SourceRow) }, affected: COUNT { (u)-[:AFFECTED]->(:Sample) }}) AS requests
}
RETURN total, requests
