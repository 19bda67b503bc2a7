// LOAD CSV reference (graph benchmark): MERGE the SourceRows with IN_FILE, as the writer's
// idempotent path does, in transactions of 10,000 rows.
// Parameters: $prefix.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'source_rows.csv' AS line
CALL (line) {
  MATCH (f:SourceFile {id: line.fileId})
  MERGE (r:SourceRow {id: line.id})
    ON CREATE SET r.row = toInteger(line.row), r.key = nullif(line.key, ''), r.erased = false
  MERGE (r)-[:IN_FILE]->(f)
} IN TRANSACTIONS OF 10000 ROWS
