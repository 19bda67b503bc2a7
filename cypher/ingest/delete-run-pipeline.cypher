// Clean-up of a failed ingest: removes the run's USES edge, and its Pipeline when no other Run
// uses it any more (a Pipeline another run uses stays). The SET/REMOVE takes the node's write
// lock before the check, so an ingest linking a new Run to it meanwhile is either seen here or
// waits until this transaction is done.
// Parameters: $runId.
MATCH (:Run {id: $runId})-[uses:USES]->(p:Pipeline)
DELETE uses
WITH DISTINCT p
SET p.cleanupLock = true
REMOVE p.cleanupLock
WITH p
WHERE NOT EXISTS { (p)<-[:USES]-(:Run) }
DELETE p
RETURN count(p) AS pipelines
