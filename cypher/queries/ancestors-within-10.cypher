// Auditor: "Which operations does this op depend on, up to $depth steps upstream?" — the
// bounded form of ancestors.cypher for $depth <= 10: the breadth-first walk along AFTER stops
// after 10 steps instead of visiting the whole upstream DAG (Cypher takes no parameter as a
// variable-length bound, so the bound is this file's constant and $depth still filters). Same
// answer as ancestors.cypher for any $depth <= 10: one record of parallel lists ordered by depth,
// then seq (no record when the op does not exist; empty lists when it has no ancestors).
// Parameters: $opId (Op id), $depth (integer 1..10; pass it as --param depth:int=N).
MATCH (o:Op {id: $opId})
OPTIONAL MATCH p = (o)-[:AFTER*1..10]->(a:Op)
WITH o, a, min(length(p)) AS depth
WHERE a IS NULL OR depth <= $depth
WITH o, a, depth
ORDER BY depth, a.seq
RETURN o.id AS opId, collect(a.id) AS opIds, collect(a.seq) AS seqs, collect(a.kind) AS kinds, collect(a.name) AS names,
  collect(depth) AS depths
