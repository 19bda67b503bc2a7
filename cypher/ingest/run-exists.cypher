// Is a run id taken? Checked before an ingest with an explicit run id does any work (an ingest
// that reused the id would fail only after the pipeline, and must not touch the other run's
// artifacts). Returns one row: whether a Run with that id exists, and its status.
// Parameters: $runId.
OPTIONAL MATCH (run:Run {id: $runId})
RETURN run IS NOT NULL AS exists, run.status AS status
