// Workbench: "Which rows of this file did the run read, and which samples came of each?" — one
// file of the run's lineage DAG expanded: its rows by row number from $offset, at most $limit,
// each with how many of the run's samples derive from it. An erased row comes back as its
// skeleton (id, row, erased: no key). No record when the run read no file with this id.
// Parameters: $runId, $fileId (SourceFile id, the content sha256), $offset (integer, rows
// skipped), $limit (integer, rows returned).
MATCH (run:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile {id: $fileId})
WITH DISTINCT run, f
// Rows are found by their ids (`<fileId>:<row>`, a unique index seek each), not by sorting every
// row of the file: the page costs the same at 1M applicants as at 20k.
CALL (run, f) {
  UNWIND range($offset, $offset + $limit - 1) AS n
  MATCH (r:SourceRow {id: f.id + ':' + n})
  WITH r ORDER BY r.row
  RETURN collect({id: r.id, row: r.row, erased: coalesce(r.erased, false),
    key: CASE WHEN coalesce(r.erased, false) THEN null ELSE r.key END,
    samples: COUNT { MATCH (r)<-[:DERIVED_FROM]-(s:Sample) WHERE (s)-[:OUTPUT_OF]->(run) }}) AS rows
}
// Only SourceRows point IN_FILE to a file: the count is the file node's degree.
RETURN f {.id, .name, .table, .rows, .keyColumn} AS file, COUNT { (f)<-[:IN_FILE]-() } AS rowCount, rows
