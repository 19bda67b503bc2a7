// Bench (scale): the nodes and relationships of the whole graph (a private database per size).
// Parameters: none.
MATCH (n)
WITH count(n) AS nodes
MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
