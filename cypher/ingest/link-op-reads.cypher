// Links each load Op to the SourceFile it read: (op)-[:READ]->(file).
// Parameters: $ops (op ids), $files (SourceFile ids), parallel lists.
UNWIND range(0, size($ops) - 1) AS i
MATCH (o:Op {id: $ops[i]})
MATCH (f:SourceFile {id: $files[i]})
CREATE (o)-[:READ]->(f)
RETURN count(*) AS edges
