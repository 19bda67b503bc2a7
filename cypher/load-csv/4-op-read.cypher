// LOAD CSV reference (graph benchmark): the READ edges of load ops.
// Parameters: $prefix.
LOAD CSV WITH HEADERS FROM 'file:///' + $prefix + 'op_read.csv' AS line
MATCH (o:Op {id: line.op})
MATCH (f:SourceFile {id: line.file})
CREATE (o)-[:READ]->(f)
