// Links each Op to the Ops whose output it consumes: (op)-[:AFTER {position}]->(input), where
// `position` is the input's place in the op's input list (0 = left side of a join).
// Parameters: $from (op ids), $to (input op ids), $positions (numbers), parallel lists.
UNWIND range(0, size($from) - 1) AS i
MATCH (o:Op {id: $from[i]})
MATCH (input:Op {id: $to[i]})
CREATE (o)-[:AFTER {position: toInteger($positions[i])}]->(input)
RETURN count(*) AS edges
