// Train job: the status of the run to train on (no row: the run is not in the graph; a null
// status counts as complete).
// Parameters: $runId.
MATCH (r:Run {id: $runId}) RETURN r.status AS status
