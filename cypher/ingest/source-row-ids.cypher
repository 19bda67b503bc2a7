// The internal node ids of the SourceRows of a file that is already complete (a re-ingest of
// the same file in row mode): the DERIVED_FROM batches look rows up by them.
// Parameters: $fileId.
MATCH (:SourceFile {id: $fileId})<-[:IN_FILE]-(r:SourceRow)
RETURN r.row AS row, id(r) AS nodeId
