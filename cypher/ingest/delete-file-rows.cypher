// Clean-up of a failed ingest: deletes the SourceRows of a file the run created and no other run
// reads, in batches. Runs in an auto-commit transaction.
// Parameters: $fileId.
MATCH (:SourceFile {id: $fileId})<-[:IN_FILE]-(r:SourceRow)
CALL (r) { DETACH DELETE r } IN TRANSACTIONS OF 10000 ROWS
