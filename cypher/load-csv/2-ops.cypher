// LOAD CSV reference (graph benchmark): CREATE the Ops with HAS_OP.
// Parameters: $prefix, $runId.
MATCH (run:Run {id: $runId})
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'ops.csv' AS line
CREATE (run)-[:HAS_OP]->(:Op {id: line.id, seq: toInteger(line.seq), kind: line.kind, name: line.name, params: line.params,
  columns: nullif(line.columns, '')})
