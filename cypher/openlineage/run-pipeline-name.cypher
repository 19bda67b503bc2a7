// OpenLineage: the pipeline name of one ingest run (its `ingest.<pipeline>` job, and the
// `train.<pipeline>` job of the models trained on it). No record when there is no such run.
// Parameters: $runId (Run id).
MATCH (run:Run {id: $runId})
RETURN run.id AS runId, run.pipeline AS pipeline
