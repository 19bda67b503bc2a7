// Marks a Run failed, with the reason, unless it is complete, or (without $force) it is running
// and its lease is still live (its ingest may be writing). Returns whether it was marked, its
// status before, its lease, and the SourceFiles it created (firstRun) that no other Run reads:
// those and their SourceRows are removed by the clean-up that follows.
// Parameters: $runId, $finishedAt, $error, $force (fail a running Run whatever its lease),
// $leaseMs (lease length in milliseconds, for Runs written before leases existed).
MATCH (run:Run {id: $runId})
WITH run, run.status AS before, coalesce(
  run.leaseUntil,
  datetime(coalesce(run.ingestStartedAt, run.startedAt)) + duration({milliseconds: $leaseMs})
) AS leaseUntil
WITH run, before, leaseUntil, before <> 'complete'
  AND ($force OR before <> 'running' OR coalesce(leaseUntil < datetime(), true)) AS fail
CALL (run, fail, before) {
  // A Run failed before keeps its first error and finish time; the clean-up runs again.
  WITH run WHERE fail AND before <> 'failed'
  SET run.status = 'failed', run.finishedAt = $finishedAt, run.error = $error
}
WITH run, before, leaseUntil, fail
OPTIONAL MATCH (run)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
WHERE fail AND f.firstRun = $runId
  AND NOT EXISTS { (f)<-[:READ]-(:Op)<-[:HAS_OP]-(other:Run) WHERE other.id <> $runId }
RETURN run.id AS id, before AS status, fail AS failed, toString(leaseUntil) AS leaseUntil,
       collect(DISTINCT f.id) AS orphanFiles
