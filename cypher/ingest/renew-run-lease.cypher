// Sets or renews the lease of a running Run: its ingest is alive until `leaseUntil` (a DateTime
// on the Neo4j server's clock, so the clocks of writer and recoverer never disagree). Returns no
// row when the Run is no longer running: another process failed it, the lease was lost.
// Parameters: $runId, $leaseMs (lease length in milliseconds).
MATCH (run:Run {id: $runId})
WHERE run.status = 'running'
SET run.leaseUntil = datetime() + duration({milliseconds: $leaseMs})
RETURN run.id AS id, toString(run.leaseUntil) AS leaseUntil
