// LOAD CSV reference (graph benchmark): the AFTER edges of the op DAG.
// Parameters: $prefix.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'op_after.csv' AS line
MATCH (o:Op {id: line.from})
MATCH (input:Op {id: line.to})
CREATE (o)-[:AFTER {position: toInteger(line.position)}]->(input)
