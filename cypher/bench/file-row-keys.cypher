// Bench (erasure completeness): the business keys and subjects of some rows of one file, and how
// many samples derive from each.
// Parameters: $fileId (SourceFile id), $rows (0-based row numbers).
MATCH (r:SourceRow)-[:IN_FILE]->(f:SourceFile {id: $fileId})
WHERE r.row IN $rows
RETURN r.row AS row, r.key AS key, r.subject AS subject, r.erased AS erased,
       COUNT { (:Sample)-[:DERIVED_FROM]->(r) } AS samples
