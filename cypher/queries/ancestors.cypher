// Auditor: "Which operations does this op depend on, up to $depth steps upstream?" Walks the op
// DAG along AFTER (an op points to the ops whose output it consumes) breadth-first, each
// ancestor once, at its shortest distance. One record of parallel lists ordered by depth, then
// seq (no record when the op does not exist; empty lists when it has no ancestors).
// Parameters: $opId (Op id), $depth (integer >= 1; pass it as --param depth:int=N).
MATCH (o:Op {id: $opId})
OPTIONAL MATCH p = (o)-[:AFTER*1..]->(a:Op)
WITH o, a, min(length(p)) AS depth
WHERE a IS NULL OR depth <= $depth
WITH o, a, depth
ORDER BY depth, a.seq
RETURN o.id AS opId, collect(a.id) AS opIds, collect(a.seq) AS seqs, collect(a.kind) AS kinds, collect(a.name) AS names,
  collect(depth) AS depths
