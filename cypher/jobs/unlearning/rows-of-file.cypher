// Unlearning: the SourceRows of one file (by content id) at the given 0-based rows; a row that has
// no SourceRow comes back with a null id.
// Parameters: $fileId (SourceFile id), $rows (list of row numbers).
UNWIND $rows AS row
OPTIONAL MATCH (r:SourceRow {id: $fileId + ':' + toString(toInteger(row))})
RETURN toString(toInteger(row)) AS asked, r.id AS id
