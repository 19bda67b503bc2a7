// Clean-up of a failed ingest: deletes the run's Samples (and their OUTPUT_OF and DERIVED_FROM
// edges) in batches. Runs in an auto-commit transaction.
// Parameters: $runId.
MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(s:Sample)
CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 10000 ROWS
