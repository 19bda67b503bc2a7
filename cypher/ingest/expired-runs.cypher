// Running Runs whose lease expired: their ingest died (or stalled longer than the lease) without
// marking them failed. A Run without `leaseUntil` (written before leases existed) is leased from
// its ingest start for $leaseMs.
// Parameters: $leaseMs (lease length in milliseconds, for Runs without `leaseUntil`).
MATCH (run:Run {status: 'running'})
WITH run, coalesce(
  run.leaseUntil,
  datetime(coalesce(run.ingestStartedAt, run.startedAt)) + duration({milliseconds: $leaseMs})
) AS leaseUntil
WHERE leaseUntil IS NULL OR leaseUntil < datetime()
RETURN run.id AS id, toString(leaseUntil) AS leaseUntil
ORDER BY run.id
