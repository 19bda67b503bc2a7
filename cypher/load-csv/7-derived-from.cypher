// LOAD CSV reference (graph benchmark): the DERIVED_FROM edges, in transactions of 10,000 rows.
// Parameters: $prefix.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'derived_from.csv' AS line
CALL (line) {
  MATCH (s:Sample {id: line.sample})
  MATCH (r:SourceRow {id: line.row})
  CREATE (s)-[:DERIVED_FROM]->(r)
} IN TRANSACTIONS OF 10000 ROWS
