// Creates the Ops of a run, each linked from its Run by HAS_OP.
// Parameters: $runId, $ops (list of maps: id, seq, kind, name, params (JSON text), columns (JSON text or null),
// step (the declared pipeline step the op implements, or null)).
MATCH (run:Run {id: $runId})
UNWIND $ops AS op
CREATE (run)-[:HAS_OP]->(o:Op {id: op.id, seq: op.seq, kind: op.kind, name: op.name, params: op.params, columns: op.columns,
  step: op.step})
RETURN count(o) AS ops
