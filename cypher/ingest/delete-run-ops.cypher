// Clean-up of a failed ingest: deletes the run's Ops (and their HAS_OP, AFTER and READ edges).
// Parameters: $runId.
MATCH (:Run {id: $runId})-[:HAS_OP]->(o:Op)
DETACH DELETE o
RETURN count(o) AS ops
