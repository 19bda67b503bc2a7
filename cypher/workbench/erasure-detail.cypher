// Workbench erasure page: "What did this erasure request do?" — the request's properties
// (status, mode, times, metrics and certificate as JSON text, the recorded target, counts, model
// ids, error), the model it PRODUCED, and the source rows it TARGETS as skeletons (file, row,
// erased, when: never a key or any content), by file and row, at most $limit, with their total.
// No record when there is no such request.
// Parameters: $requestId (UnlearningRequest id), $limit (integer, target rows returned).
MATCH (u:UnlearningRequest {id: $requestId})
CALL (u) {
  OPTIONAL MATCH (u)-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
  WITH r, f ORDER BY f.name, f.id, r.row LIMIT $limit
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {id: r.id, fileId: f.id, file: f.name, table: f.table, row: r.row,
    erased: coalesce(r.erased, false), erasedAt: toString(r.erasedAt), erasedBy: r.erasedBy} END) AS targets
}
OPTIONAL MATCH (u)-[:PRODUCED]->(m:Model)
RETURN properties(u) AS request, m {.id, .version, .status} AS produced, targets,
  COUNT { (u)-[:TARGETS]->(:SourceRow) } AS targetTotal,
  COUNT { (u)-[:AFFECTED]->(:Sample) } AS affected
