// LOAD CSV reference (graph benchmark), CREATE variant: the SourceRows with IN_FILE into an
// empty graph, in transactions of 10,000 rows.
// Parameters: $prefix.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'source_rows.csv' AS line
CALL (line) {
  MATCH (f:SourceFile {id: line.fileId})
  CREATE (r:SourceRow {id: line.id, row: toInteger(line.row), key: nullif(line.key, ''), erased: false})-[:IN_FILE]->(f)
} IN TRANSACTIONS OF 10000 ROWS
