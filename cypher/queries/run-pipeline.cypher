// Auditor: "Which declared pipeline did this run execute, and what did it say?" — the run's
// Pipeline (name, format, sha256 and canonical text: the parsed file as JSON, defaults filled in),
// how many runs used the same pipeline, and the run's ops per declared step. No row when the run
// has no declared pipeline (e.g. the built-in credit-risk ingest).
// Parameters: $runId.
MATCH (run:Run {id: $runId})-[:USES]->(p:Pipeline)
CALL (run) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(op:Op)
  WITH op.step AS step, count(op) AS ops, min(op.seq) AS first
  WHERE step IS NOT NULL
  WITH step, ops ORDER BY first
  RETURN collect({step: step, ops: ops}) AS steps
}
RETURN run.id AS runId, run.status AS status, run.startedAt AS startedAt, p.name AS pipeline,
       p.format AS format, p.sha256 AS sha256, p.text AS text, COUNT { (p)<-[:USES]-(:Run) } AS runs, steps
