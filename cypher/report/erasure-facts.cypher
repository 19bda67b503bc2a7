// Report: "What did this erasure request erase, and from which models?" — the request's properties,
// the source rows it TARGETS per file (file id, name, table, row numbers: never a key or content),
// the model versions it PRODUCED with the version each superseded (before → after), and how many
// samples it AFFECTED. No record when there is no such request.
// Parameters: $requestId (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $requestId})
CALL (u) {
  OPTIONAL MATCH (u)-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
  WITH f, r ORDER BY r.row
  WITH f, collect(r.row) AS rows, sum(CASE WHEN r.erased = true THEN 1 ELSE 0 END) AS erased
  WHERE f IS NOT NULL
  RETURN collect({fileId: f.id, file: f.name, table: f.table, rows: rows, erased: erased}) AS files
}
CALL (u) {
  OPTIONAL MATCH (u)-[:PRODUCED]->(after:Model)
  OPTIONAL MATCH (after)-[:SUPERSEDES]->(before:Model)
  OPTIONAL MATCH (after)-[:TRAINED_ON]->(run:Run)
  WITH after, before, run ORDER BY after.version
  RETURN collect(CASE WHEN after IS NULL THEN null ELSE {before: before.id, after: after.id, version: after.version,
    status: after.status, runId: run.id, testAccuracy: after.testAccuracy, beforeTestAccuracy: before.testAccuracy} END) AS produced
}
RETURN properties(u) AS request, toString(u.requestedAt) AS requestedAt, toString(u.completedAt) AS completedAt,
  files, produced, COUNT { (u)-[:AFFECTED]->(:Sample) } AS affected
