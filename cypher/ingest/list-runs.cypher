// Runs, newest first, all or those of one status, with their lease: `leaseExpired` is true for a
// running Run whose ingest stopped renewing it (presumed dead; `traceprop runs fail` cleans it).
// Parameters: $status (`running`, `complete`, `failed`, or null for all), $limit, $leaseMs
// (lease length in milliseconds, for Runs written before leases existed).
MATCH (run:Run)
WHERE $status IS NULL OR run.status = $status
WITH run, CASE run.status WHEN 'running' THEN coalesce(
  run.leaseUntil,
  datetime(coalesce(run.ingestStartedAt, run.startedAt)) + duration({milliseconds: $leaseMs})
) END AS leaseUntil
RETURN run.id AS id, run.pipeline AS pipeline, run.mode AS mode, run.status AS status,
       run.startedAt AS startedAt, run.finishedAt AS finishedAt, toString(leaseUntil) AS leaseUntil,
       run.status = 'running' AND coalesce(leaseUntil < datetime(), true) AS leaseExpired,
       run.samples AS samples, run.sourceRows AS sourceRows, run.error AS error
ORDER BY coalesce(run.ingestStartedAt, run.startedAt) DESC, run.id
LIMIT $limit
