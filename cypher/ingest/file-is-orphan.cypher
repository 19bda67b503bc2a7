// Clean-up of a failed ingest: is a SourceFile read by no Op at all (so its rows may go)?
// Parameters: $fileId.
MATCH (f:SourceFile {id: $fileId})
RETURN NOT EXISTS { (f)<-[:READ]-() } AS orphan
