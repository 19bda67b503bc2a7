// Creates the Run of an ingest in status `running`. Fails on the uniqueness constraint when a
// Run with this id exists already.
// Parameters: $run (map: id, pipeline, mode, startedAt, ingestStartedAt, files, ops, samples,
// sourceRows, provenanceEdges, featureNames, featureColumns, sampleKeyColumn).
CREATE (run:Run)
SET run = $run, run.status = 'running'
RETURN run.id AS id
