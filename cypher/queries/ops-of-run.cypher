// Auditor: "Which operations, in which order and with which parameters, made this run's model
// matrix?" $id may name the Run or one of its Samples. Each op lists the ops whose output it
// consumes (AFTER, in input order), for a load op the file it read, and for a run of a declared
// pipeline the step the op implements (null otherwise).
// Parameters: $id (Run id or Sample id).
CALL () {
  MATCH (run:Run {id: $id})
  RETURN run
  UNION
  MATCH (:Sample {id: $id})-[:OUTPUT_OF]->(run:Run)
  RETURN run
}
MATCH (run)-[:HAS_OP]->(op:Op)
CALL (op) {
  OPTIONAL MATCH (op)-[after:AFTER]->(input:Op)
  WITH input ORDER BY after.position
  RETURN collect(input.id) AS inputs
}
OPTIONAL MATCH (op)-[:READ]->(f:SourceFile)
RETURN run.id AS runId, run.pipeline AS pipeline, run.mode AS mode, run.status AS status, op.id AS opId, op.seq AS seq,
  op.kind AS kind, op.name AS name, op.params AS params, op.step AS step, inputs, f.id AS fileId, f.name AS file
ORDER BY seq
