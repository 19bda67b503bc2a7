// Clean-up of a failed ingest: deletes a SourceFile the run created, once its rows are gone, unless
// another run has started reading it meanwhile.
// Parameters: $runId, $fileId.
MATCH (f:SourceFile {id: $fileId})
WHERE f.firstRun = $runId AND NOT EXISTS { (f)<-[:READ]-() } AND NOT EXISTS { (f)<-[:IN_FILE]-() }
DETACH DELETE f
RETURN count(*) AS files
