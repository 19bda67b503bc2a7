// LOAD CSV reference (graph benchmark): CREATE the Samples with OUTPUT_OF, in transactions of
// 10,000 rows.
// Parameters: $prefix, $runId.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'samples.csv' AS line
CALL (line) {
  MATCH (run:Run {id: $runId})
  CREATE (:Sample {id: line.id, index: toInteger(line.index), split: line.split, key: line.key,
    label: toFloat(nullif(line.label, ''))})-[:OUTPUT_OF]->(run)
} IN TRANSACTIONS OF 10000 ROWS
