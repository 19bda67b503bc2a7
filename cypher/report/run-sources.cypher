// Report: "Which source files did this run read?" — each file its load ops READ (content sha256 as
// `id`, name, path, table, rows, business-key column, data-subject name) with how many of its rows
// are erased now. Never row content.
// Parameters: $runId (Run id).
MATCH (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
WITH DISTINCT f
RETURN f.id AS id, f.name AS name, f.path AS path, f.table AS table, f.rows AS rows, f.keyColumn AS keyColumn,
  f.subjectName AS subjectName, COUNT { (f)<-[:IN_FILE]-(r:SourceRow) WHERE r.erased = true } AS erasedRows
ORDER BY table, name, id
