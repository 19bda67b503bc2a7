// Auditor: "Which source rows hold this business key (e.g. customer SK_ID_CURR 100002) in this
// table?" — the starting point of an erasure request or a sources / descendants question.
// Parameters: $table (logical table, e.g. `application`), $key (the key as text).
MATCH (r:SourceRow {key: $key})-[:IN_FILE]->(f:SourceFile)
WHERE f.table = $table
RETURN r.id AS sourceRowId, f.name AS file, f.id AS fileId, r.row AS row, r.erased AS erased
ORDER BY file, row
