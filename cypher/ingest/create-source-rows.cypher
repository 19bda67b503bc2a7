// Creates a batch of SourceRows of a file that had none (the fast path of a first ingest), each
// linked to its file. Row numbers are $start .. $start + $count - 1; ids are `<fileId>:<row>`.
// A row's `subject` is its data subject's id (absent when the table or the row has none).
// Returns the rows' positions in the batch and their internal node ids (the DERIVED_FROM batches
// that follow in the same ingest look rows up by them).
// Parameters: $fileId, $start (int), $count (int), $keys (business key per row, or null),
// $subjects (subject id per row, or null).
MATCH (f:SourceFile {id: $fileId})
UNWIND range(0, $count - 1) AS i
CREATE (r:SourceRow {id: $fileId + ':' + toString($start + i), row: $start + i, key: $keys[i], subject: $subjects[i], erased: false})-[:IN_FILE]->(f)
RETURN collect(i) AS positions, collect(id(r)) AS nodeIds
