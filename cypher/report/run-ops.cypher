// Report: "Which operations made this run's model matrix?" — its ops in order, with kind, name,
// the declared pipeline step each implements (null for runs without a pipeline file), params and
// column lineage as recorded (JSON text).
// Parameters: $runId (Run id).
MATCH (:Run {id: $runId})-[:HAS_OP]->(op:Op)
RETURN op.seq AS seq, op.kind AS kind, op.name AS name, op.step AS step, op.params AS params, op.columns AS columns
ORDER BY seq
