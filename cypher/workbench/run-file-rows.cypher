// Workbench: "Which rows of this file did the run read, and which samples came of each?" — one
// file of the run's lineage DAG expanded: its rows by row number from $offset, at most $limit,
// each with how many of the run's samples derive from it. An erased row comes back as its
// skeleton (id, row, erased: no key). No record when the run read no file with this id.
// Parameters: $runId, $fileId (SourceFile id, the content sha256), $offset (integer, rows
// skipped), $limit (integer, rows returned).
MATCH (run:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile {id: $fileId})
WITH DISTINCT run, f
CALL (run, f) {
  MATCH (r:SourceRow)-[:IN_FILE]->(f)
  WITH r ORDER BY r.row SKIP $offset LIMIT $limit
  RETURN collect({id: r.id, row: r.row, erased: coalesce(r.erased, false),
    key: CASE WHEN coalesce(r.erased, false) THEN null ELSE r.key END,
    samples: COUNT { (r)<-[:DERIVED_FROM]-(:Sample)-[:OUTPUT_OF]->(run) }}) AS rows
}
RETURN f {.id, .name, .table, .rows, .keyColumn} AS file, COUNT { (:SourceRow)-[:IN_FILE]->(f) } AS rowCount, rows
